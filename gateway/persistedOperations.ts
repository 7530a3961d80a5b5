/**
 * Persisted operations.
 *
 * - **Partners run only what is in their safelist.** A token with `partner:education` may run exactly
 *   the operations of `operations/partner-manifest.json` (generated from `operations/partner/*.graphql`
 *   by `npm run persisted:manifest`, in Apollo's persisted-query manifest format): by id (the
 *   `persistedQuery` extension's `sha256Hash`, the id in the manifest) or by sending the very body the
 *   manifest holds. Any other document is refused with `PERSISTED_QUERY_NOT_IN_SAFELIST`, an id the
 *   manifest does not hold with `PERSISTED_QUERY_NOT_FOUND`; nothing of it is parsed, planned or run.
 * - **Everyone else may use automatic persisted queries** (APQ): Apollo Server's `persistedQueries`
 *   with the shared cache (platform/sharedState.ts), so a query registered on one replica is known to all.
 *
 * The check is an Apollo Server plugin. `requestDidStart` runs before Apollo Server looks at the
 * `persistedQuery` extension, so a listed id is resolved to its body there; a refused request has its
 * document replaced by an inert placeholder and its error thrown from `didResolveOperation`, the hook
 * whose errors Apollo Server answers as errors (with their HTTP status) rather than as crashes.
 */
import { readFile } from 'node:fs/promises';
import type { ApolloServerPlugin, GraphQLRequest } from '@apollo/server';
import {
  GraphQLError,
  Kind,
  parse,
  print,
  visit,
  type DefinitionNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
} from 'graphql';
import type { Logger } from 'pino';
import { sha256Hex } from '../platform/hash.js';
import type { GatewayContext } from './context.js';
import { ErrorCode } from '../platform/errorCodes.js';

export const MANIFEST_FORMAT = 'apollo-persisted-query-manifest';
export const PARTNER_SCOPE = 'partner:education';
export const NOT_IN_SAFELIST = ErrorCode.PERSISTED_QUERY_NOT_IN_SAFELIST;
export const NOT_FOUND = ErrorCode.PERSISTED_QUERY_NOT_FOUND;

export interface ManifestOperation {
  /** SHA-256 (hex) of `body`: the id a client sends as `extensions.persistedQuery.sha256Hash`. */
  id: string;
  name: string;
  type: 'query' | 'mutation' | 'subscription';
  /** The operation and the fragments it uses, as graphql-js prints them. */
  body: string;
}

export interface PersistedQueryManifest {
  format: typeof MANIFEST_FORMAT;
  version: 1;
  operations: ManifestOperation[];
}

// ---------------------------------------------------------------------------------------------------
// The manifest, built from documents

/** A document that cannot be in a safelist: what is wrong and where. */
export class ManifestError extends Error {
  override name = 'ManifestError';
}

function fragmentsUsedBy(
  operation: OperationDefinitionNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  source: string,
): FragmentDefinitionNode[] {
  const used = new Map<string, FragmentDefinitionNode>();
  const pending: DefinitionNode[] = [operation];
  while (pending.length > 0) {
    visit(pending.pop()!, {
      FragmentSpread(node) {
        const name = node.name.value;
        if (used.has(name)) return;
        const fragment = fragments.get(name);
        if (!fragment) throw new ManifestError(`${source}: fragment "${name}" is used but not defined`);
        used.set(name, fragment);
        pending.push(fragment);
      },
    });
  }
  return [...used.values()].sort((a, b) => a.name.value.localeCompare(b.name.value));
}

/**
 * One manifest entry per named operation of the documents. Fragments may sit in any of the documents;
 * each operation's body carries the ones it uses. Names must be unique; entries are sorted by name.
 */
export function buildManifest(documents: readonly { source: string; text: string }[]): PersistedQueryManifest {
  const fragments = new Map<string, FragmentDefinitionNode>();
  const operations: { operation: OperationDefinitionNode; source: string }[] = [];
  for (const { source, text } of documents) {
    let document: DocumentNode;
    try {
      document = parse(text);
    } catch (error) {
      throw new ManifestError(`${source}: ${(error as Error).message}`);
    }
    for (const definition of document.definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) {
        if (fragments.has(definition.name.value))
          throw new ManifestError(`${source}: fragment "${definition.name.value}" is defined twice`);
        fragments.set(definition.name.value, definition);
      } else if (definition.kind === Kind.OPERATION_DEFINITION) {
        if (!definition.name) throw new ManifestError(`${source}: every persisted operation needs a name`);
        operations.push({ operation: definition, source });
      } else {
        throw new ManifestError(`${source}: only operations and fragments belong in an operations document`);
      }
    }
  }
  const seen = new Set<string>();
  const entries = operations.map(({ operation, source }) => {
    const name = operation.name!.value;
    if (seen.has(name)) throw new ManifestError(`${source}: operation "${name}" is defined twice`);
    seen.add(name);
    const body = [operation, ...fragmentsUsedBy(operation, fragments, source)].map((definition) => print(definition)).join('\n\n');
    return { id: sha256Hex(body), name, type: operation.operation, body };
  });
  entries.sort((a, b) => a.name.localeCompare(b.name));
  return { format: MANIFEST_FORMAT, version: 1, operations: entries };
}

export function renderManifest(manifest: PersistedQueryManifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

// ---------------------------------------------------------------------------------------------------
// The safelist, read from a manifest

export interface Safelist {
  /** Manifest entries by id. */
  readonly byId: ReadonlyMap<string, ManifestOperation>;
}

/** Checks the manifest's shape and that every id is the SHA-256 of its body. */
export function safelistFrom(manifest: unknown, origin = 'manifest'): Safelist {
  const m = manifest as Partial<PersistedQueryManifest> | null;
  if (!m || m.format !== MANIFEST_FORMAT || m.version !== 1 || !Array.isArray(m.operations)) {
    throw new ManifestError(`${origin} is not an ${MANIFEST_FORMAT} of version 1`);
  }
  const byId = new Map<string, ManifestOperation>();
  for (const operation of m.operations) {
    if (typeof operation?.id !== 'string' || typeof operation.body !== 'string' || typeof operation.name !== 'string') {
      throw new ManifestError(`${origin}: every operation needs an id, a name and a body`);
    }
    if (sha256Hex(operation.body) !== operation.id)
      throw new ManifestError(`${origin}: the id of "${operation.name}" is not the SHA-256 of its body`);
    byId.set(operation.id, operation);
  }
  return { byId };
}

export async function loadSafelist(path: string): Promise<Safelist> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ManifestError(
      `Cannot read the partners' persisted-operation manifest at ${path} (run \`npm run persisted:manifest\`): ${(error as Error).message}`,
    );
  }
  try {
    return safelistFrom(JSON.parse(text), path);
  } catch (error) {
    if (error instanceof ManifestError) throw error;
    throw new ManifestError(`${path} is not valid JSON: ${(error as Error).message}`);
  }
}

// ---------------------------------------------------------------------------------------------------
// The plugin

/** Runs nothing and asks no subgraph: what a refused request executes (if it got that far) instead. */
const REFUSED_OPERATION = 'PersistedOperationRefused';
const REFUSED_DOCUMENT = `query ${REFUSED_OPERATION} { __typename }`;

function refusal(code: typeof NOT_IN_SAFELIST | typeof NOT_FOUND): GraphQLError {
  const message =
    code === NOT_FOUND
      ? 'Persisted query not found: partner clients may run only the operations registered in their safelist, by id'
      : 'This operation is not in the safelist: partner clients may run only registered operations';
  return new GraphQLError(message, { extensions: { code, http: { status: 400 } } });
}

function persistedHash(request: GraphQLRequest): string | undefined {
  const persisted = request.extensions?.['persistedQuery'] as { sha256Hash?: unknown } | undefined;
  return typeof persisted?.sha256Hash === 'string' ? persisted.sha256Hash : undefined;
}

/** What a partner's request may run: a listed operation's body, or a refusal. */
export function checkPartnerRequest(
  safelist: Safelist,
  request: GraphQLRequest,
): { body: string } | { refused: typeof NOT_IN_SAFELIST | typeof NOT_FOUND } {
  const hash = persistedHash(request);
  if (hash !== undefined) {
    const listed = safelist.byId.get(hash);
    if (listed && (request.query === undefined || request.query === listed.body)) return { body: listed.body };
    // A hash with a document is an attempt to register it; a bare hash asks for something unknown.
    return { refused: request.query === undefined ? NOT_FOUND : NOT_IN_SAFELIST };
  }
  if (typeof request.query !== 'string' || request.query === '') return { refused: NOT_FOUND };
  const listed = safelist.byId.get(sha256Hex(request.query));
  return listed ? { body: listed.body } : { refused: NOT_IN_SAFELIST };
}

export interface PartnerSafelistOptions {
  safelist: Safelist;
  logger: Logger;
}

/** Tokens with `partner:education` run only safelisted operations. */
export function partnerSafelistPlugin(options: PartnerSafelistOptions): ApolloServerPlugin<GatewayContext> {
  const log = options.logger.child({ component: 'persisted-operations' });
  return {
    async requestDidStart({ request, contextValue }) {
      if (!contextValue.identity?.scopes.has(PARTNER_SCOPE)) return;
      const verdict = checkPartnerRequest(options.safelist, request);
      if ('body' in verdict) {
        // Apollo Server checks the hash against this body and runs it; the client's own text is not needed.
        request.query = verdict.body;
        return;
      }
      log.info(
        { requestId: contextValue.requestId, sub: contextValue.identity.subject, code: verdict.refused },
        'partner operation refused',
      );
      // Nothing of the client's document is parsed or validated: an inert placeholder stands in, and the
      // refusal is raised where Apollo Server answers it as an error.
      request.query = REFUSED_DOCUMENT;
      request.operationName = REFUSED_OPERATION;
      request.variables = {};
      if (request.extensions) delete request.extensions['persistedQuery'];
      return {
        async didResolveOperation() {
          throw refusal(verdict.refused);
        },
      };
    },
  };
}
