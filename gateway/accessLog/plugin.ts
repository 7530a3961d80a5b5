/**
 * The access log in the gateway's request pipeline (an Apollo Server plugin). Before execution it makes
 * the operation identify every young person it touches; before the answer leaves, it records one entry
 * per young person in the answer and only then releases the data. When the entries cannot be stored
 * (in time), no data is released: the client gets ACCESS_LOG_UNAVAILABLE and HTTP 503, and the entries
 * never land late (store.ts withdraws them or the database refuses them). Entries carry the time the
 * request was asked. Refusals release nothing, so they do not wait: they go to the denial batch
 * (denials.ts), against every young person the refused fields named (named.ts).
 */
import type { ApolloServerPlugin, BaseContext, GraphQLRequestContextWillSendResponse } from '@apollo/server';
import { getOperationAST, GraphQLError, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import { sha256Hex } from '../../platform/hash.js';
import { legalBasesOf, ownUnitsOf, YOUTH_ROLE } from '../../platform/authorization/legalBasis.js';
import type { Logger } from '../../platform/logger.js';
import {
  collectAccess,
  ReservedAliasError,
  type CollectedAccess,
  type SharingState,
  stripAuditSelections,
  withAuditSelections,
} from './collect.js';
import { UNAUTHORIZED_CODE } from '../../platform/authorization/rules.js';
import { withDeadline } from './deadline.js';
import type { DenialSink } from './denials.js';
import { MAX_NAMED_YOUTHS, youthIdsNamedAt } from './named.js';
import type { AccessLogEntry, AccessLogWriter } from './store.js';
import { ErrorCode } from '../../platform/errorCodes.js';

/** Who is asking, as the auth layer verified it from the token. */
export interface AccessIdentity {
  /** `sub` */
  subject: string;
  /** `org` */
  organisation?: string | null | undefined;
  role?: string | null | undefined;
  scopes: readonly string[] | ReadonlySet<string>;
}

export function hasScope(identity: AccessIdentity, scope: string): boolean {
  const scopes = identity.scopes;
  return Array.isArray(scopes) ? (scopes as readonly string[]).includes(scope) : (scopes as ReadonlySet<string>).has(scope);
}

/** What the plugin reads from the request context (the gateway's context has more). */
export interface AuditContext extends BaseContext {
  requestId: string;
  /** Absent when the request was not authenticated. */
  identity?: AccessIdentity | undefined;
  /** The role's default purpose, recorded when the request states none (`X-Purpose`). */
  defaultPurpose?: string | undefined;
  /** Need to know: the relation each young person was released under, and a granted break-the-glass (gateway/breakTheGlass.ts). */
  relations?: ReadonlyMap<string, string> | undefined;
  breakTheGlass?: { reason: string } | undefined;
}

export const DEFAULT_WRITE_TIMEOUT_MS = 2000;
export const MAX_PURPOSE_LENGTH = 200;
export const ACCESS_LOG_UNAVAILABLE = ErrorCode.ACCESS_LOG_UNAVAILABLE;
export const UNAVAILABLE_MESSAGE = 'The access could not be recorded, so no personal data is released';

export interface AccessLogPluginOptions {
  store: AccessLogWriter;
  /**
   * The data categories a schema coordinate discloses (from the field rules: the scope that opens it), or
   * null. Gets the caller too, for fields that several scopes open (`youth:identity` or `partner:education`).
   */
  categoryOf: (coordinate: string, identity: AccessIdentity | undefined) => string | readonly string[] | null;
  logger: Logger;
  /** Hash of the operation text recorded in the log. Default: SHA-256, hex. */
  hashOperation?: (source: string) => string;
  /** Longest wait for the log to store a request's entries (`AUDIT_WRITE_TIMEOUT_MS`). Default 2000. */
  writeTimeoutMs?: number;
  /**
   * Where refusals go (the gateway's DenialQueue: batched, bounded, never waited for). Default: each is
   * written on its own, within the write deadline, and not waited for either.
   */
  denials?: DenialSink;
}

/** The stated purpose (`X-Purpose`, trimmed, at most 200 characters), else the fallback, else `unspecified`. */
export function purposeOf(header: string | null | undefined, fallback?: string | null): string {
  const stated = header?.trim();
  if (stated) return stated.slice(0, MAX_PURPOSE_LENGTH);
  const otherwise = fallback?.trim();
  return otherwise ? otherwise.slice(0, MAX_PURPOSE_LENGTH) : 'unspecified';
}

/** The relation an entry records, with the stated reason for a break-the-glass access. */
function relationOf(context: AuditContext, youthId: string): { relation: string | null; breakTheGlassReason: string | null } {
  const relation = context.relations?.get(youthId) ?? null;
  return { relation, breakTheGlassReason: relation === 'BREAK_THE_GLASS' ? (context.breakTheGlass?.reason ?? null) : null };
}

/** Whether the caller may read `Youth.consent`, and so the facts a legal basis is decided on. */
function maySeeSharing(identity: AccessIdentity | undefined): boolean {
  return identity !== undefined && (hasScope(identity, 'youth:identity') || hasScope(identity, 'partner:education'));
}

/**
 * The legal basis of each category released about one young person (platform/authorization/legalBasis.ts),
 * from the verified caller and the facts the answer itself carried; never from the request.
 */
function legalBasesFor(
  identity: AccessIdentity | undefined,
  youthId: string,
  categories: readonly string[],
  sharing: SharingState | undefined,
): { bases: Record<string, string>; unexplained: string[] } {
  return legalBasesOf(categories, {
    ownUnits: ownUnitsOf(identity?.organisation),
    // The youth role reads only its own rows; the id must be the subject's own to count as subject access.
    subjectAccess: identity?.role === YOUTH_ROLE && identity.subject === youthId,
    age: null,
    underStatutoryAge: sharing ? !sharing.required : undefined,
    consentUnits: sharing?.units ?? [],
  });
}

function whoOf(identity: AccessIdentity | undefined): (string | null)[] {
  return [identity?.subject ?? null, identity?.organisation ?? null, identity?.role ?? null];
}

/** A sink that writes each refusal on its own (within `deadlineMs`), never waited for. */
export function directDenials(store: AccessLogWriter, deadlineMs: number, logger: Logger): DenialSink {
  return {
    enqueue(entry) {
      store
        .record([entry], { deadlineMs })
        .catch((err: unknown) => logger.error({ err, requestId: entry.requestId }, 'could not record a denied attempt'));
    },
  };
}

/** Replaces the whole answer: no data, not even `data: null`, one error. */
function withhold(requestContext: GraphQLRequestContextWillSendResponse<BaseContext>, status: number): void {
  requestContext.response.body = {
    kind: 'single',
    singleResult: { errors: [{ message: UNAVAILABLE_MESSAGE, extensions: { code: ACCESS_LOG_UNAVAILABLE } }] },
  };
  requestContext.response.http.status = status;
}

export function accessLogPlugin<TContext extends AuditContext = AuditContext>(
  options: AccessLogPluginOptions,
): ApolloServerPlugin<TContext> {
  const { store, categoryOf, logger } = options;
  const hashOperation = options.hashOperation ?? sha256Hex;
  const timeoutMs = options.writeTimeoutMs ?? DEFAULT_WRITE_TIMEOUT_MS;
  const log = logger.child({ component: 'access-log' });
  const denials = options.denials ?? directDenials(store, timeoutMs, log);

  return {
    async requestDidStart() {
      // When the request was asked: the time every entry of it carries (not when the log got to it).
      const askedAt = new Date();
      // The document that actually runs: the client's, plus the selections that identify young people.
      let audited: DocumentNode | undefined;

      return {
        async didResolveOperation(requestContext) {
          if (!requestContext.operation) return;
          let document: DocumentNode;
          try {
            document = withAuditSelections(requestContext.document, requestContext.schema, {
              sharing: maySeeSharing(requestContext.contextValue.identity),
            });
          } catch (err) {
            if (err instanceof ReservedAliasError) {
              throw new GraphQLError(err.message, { extensions: { code: ErrorCode.BAD_USER_INPUT, http: { status: 400 } } });
            }
            throw err;
          }
          audited = document;
          if (document === requestContext.document) return;
          // The pipeline executes `requestContext.document` (and hands it to the gateway's executor),
          // so replacing it here is what makes the subgraphs fetch the ids.
          const operation = getOperationAST(document, requestContext.request.operationName);
          const writable = requestContext as { document: DocumentNode; operation?: OperationDefinitionNode };
          writable.document = document;
          if (operation) writable.operation = operation;
        },

        async willSendResponse(requestContext) {
          const { response, contextValue } = requestContext;
          const body = response.body;
          if (body.kind !== 'single') {
            // Incremental delivery would release data before it is logged: not supported, so nothing leaves.
            if (audited) {
              log.error({ requestId: contextValue.requestId }, 'incremental delivery is not audited; answer withheld');
              withhold(requestContext, 500);
            }
            return;
          }
          const result = body.singleResult;
          const document = audited ?? requestContext.document;
          // A request whose personal-data fields were all refused released nobody's data: it is recorded
          // as a denied attempt, against each young person the refused fields named (else against nobody).
          // It goes to the denial batch: the answer does not wait for it, whatever the store does.
          const recordRefusal = () => {
            const refused = (result.errors ?? []).filter((error) => error.extensions?.['code'] === UNAUTHORIZED_CODE);
            if (refused.length === 0) return;
            const paths = [...new Set(refused.map((error) => (error.path ?? []).join('.')))].sort();
            let named: string[] = [];
            try {
              named = document
                ? youthIdsNamedAt(
                    refused.map((error) => error.path ?? []),
                    document,
                    requestContext.schema,
                    { operationName: requestContext.operationName, variables: requestContext.request.variables },
                  )
                : [];
            } catch (err) {
              log.error({ err, requestId: contextValue.requestId }, 'could not tell whom a refused read named');
            }
            const more = named.length - MAX_NAMED_YOUTHS;
            const reason = `refused: ${paths.join(', ')}${more > 0 ? ` (and ${more} more young people named)` : ''}`.slice(0, 500);
            for (const youthId of named.length > 0 ? named.slice(0, MAX_NAMED_YOUTHS) : [null]) {
              denials.enqueue(
                deniedEntry({
                  identity: contextValue.identity,
                  reason,
                  requestId: contextValue.requestId,
                  purpose: requestContext.request.http?.headers.get('x-purpose') ?? contextValue.defaultPurpose,
                  operationName: requestContext.operationName ?? undefined,
                  operationHash: requestContext.source ? hashOperation(requestContext.source) : undefined,
                  youthId,
                  at: askedAt,
                }),
              );
            }
          };
          if (result.data === null || result.data === undefined || !document) {
            if (result.errors) body.singleResult = stripAuditSelections(result);
            recordRefusal();
            return;
          }

          let collected: CollectedAccess<typeof result>;
          try {
            collected = collectAccess(result, document, requestContext.schema, {
              categoryOf: (coordinate) => categoryOf(coordinate, contextValue.identity),
              operationName: requestContext.operationName,
            });
          } catch (err) {
            log.error({ err, requestId: contextValue.requestId }, 'could not tell whose data the answer holds; answer withheld');
            withhold(requestContext, 500);
            return;
          }
          if (collected.unidentified > 0) {
            // A young person whose id the answer lacks cannot be logged, so their data cannot be released.
            log.error(
              { requestId: contextValue.requestId, unidentified: collected.unidentified },
              'answer holds young people without an id; answer withheld',
            );
            withhold(requestContext, 500);
            return;
          }
          if (collected.youthIds.length === 0) {
            body.singleResult = collected.result;
            recordRefusal();
            return;
          }

          const identity = contextValue.identity;
          const [subject, organisation, role] = whoOf(identity);
          const purpose = purposeOf(requestContext.request.http?.headers.get('x-purpose'), contextValue.defaultPurpose);
          const filtered = (result.errors ?? []).some((error) => error.extensions?.['code'] === UNAUTHORIZED_CODE);
          const operationHash = requestContext.source ? hashOperation(requestContext.source) : null;
          const entries: AccessLogEntry[] = collected.youthIds.map((youthId) => {
            const withheld = [...(collected.withheldByYouth.get(youthId) ?? [])].sort();
            const categories = [...(collected.categoriesByYouth.get(youthId) ?? [])].sort();
            const sharing = collected.sharingByYouth.get(youthId);
            const { bases, unexplained } = legalBasesFor(identity, youthId, categories, sharing);
            if (unexplained.length > 0) {
              // Without the facts (a caller who may not read them) the basis stays open; with them, a
              // category the rule withholds was released by a subgraph: an error to look into.
              const level = sharing ? 'error' : 'warn';
              log[level](
                { requestId: contextValue.requestId, categories: unexplained },
                'no legal basis could be recorded for released categories',
              );
            }
            return {
              requestId: contextValue.requestId,
              subject: subject ?? null,
              organisation: organisation ?? null,
              role: role ?? null,
              youthId,
              categories,
              fields: [...(collected.fieldsByYouth.get(youthId) ?? [])].sort(),
              operationName: requestContext.operationName ?? null,
              operationHash,
              purpose,
              outcome: filtered ? 'FILTERED' : 'ALLOWED',
              reason: withheld.length > 0 ? `withheld: ${withheld.join(', ')}` : null,
              ...relationOf(contextValue, youthId),
              legalBases: bases,
              at: askedAt,
            };
          });

          try {
            // Within the deadline or not at all: past it the answer is withheld, and the entries are
            // withdrawn or refused by the database, so a 503 is never on record as a release.
            await withDeadline(store.record(entries, { deadlineMs: timeoutMs }), timeoutMs);
          } catch (err) {
            // No youth ids in the log line: the application log is not the place for whose data it was.
            log.error({ err, requestId: contextValue.requestId, entries: entries.length }, 'access log write failed; answer withheld');
            withhold(requestContext, 503);
            return;
          }
          body.singleResult = collected.result;
        },
      };
    },
  };
}

export interface RecordDeniedOptions {
  store: AccessLogWriter;
  /** Who, when the token told; absent for a request without a valid token. */
  identity?: AccessIdentity | undefined;
  /** Why it was refused, e.g. `token expired`, `missing scope audit:read`. */
  reason: string;
  requestId: string;
  purpose?: string | null | undefined;
  operationName?: string | null | undefined;
  /** The young person the refused request named, when it named one. */
  youthId?: string | null | undefined;
  /** Hash of the refused operation's text, when there was one. */
  operationHash?: string | null | undefined;
  /** When the refused request was asked; default: when it is stored. */
  at?: Date | undefined;
}

/** The DENIED entry for one refused attempt (the auth layer's 401, the audit route's 403, refused fields). */
export function deniedEntry(options: Omit<RecordDeniedOptions, 'store'>): AccessLogEntry {
  const [subject, organisation, role] = whoOf(options.identity);
  return {
    requestId: options.requestId,
    subject: subject ?? null,
    organisation: organisation ?? null,
    role: role ?? null,
    youthId: options.youthId ?? null,
    categories: [],
    fields: [],
    operationName: options.operationName ?? null,
    operationHash: options.operationHash ?? null,
    purpose: purposeOf(options.purpose),
    outcome: 'DENIED',
    reason: options.reason,
    at: options.at,
  };
}

/**
 * Records one refused attempt (outcome DENIED) and waits for it; rejects when the log cannot store it.
 * The request paths hand refusals to a DenialQueue instead, which never holds an answer back.
 */
export async function recordDenied(options: RecordDeniedOptions): Promise<void> {
  await options.store.record([deniedEntry(options)]);
}
