/**
 * How the gateway calls one subgraph: at the configured URL, with the gateway's credential for the caller
 * and the request id, within a deadline, over keep-alive sockets, and with failures turned into clean errors.
 *
 * Credential: platform/authentication/gatewayCredential.ts. The client's own token never goes on: subgraphs accept
 * the gateway's short-lived credential only, which carries the caller's verified claims for their rules.
 *
 * Fetcher: gateway/fetcher.ts (undici's `request` over a shared keep-alive Agent, which honours the
 * server's `Keep-Alive: timeout=N` hint; identical queries in flight are sent once). The gateway's
 * default fetcher (make-fetch-happen/agentkeepalive) keeps idle sockets 15 s whatever the server says,
 * which races servers that close sooner: random ECONNRESET under load.
 *
 * A `GraphQLDataSource` of its own rather than a `RemoteGraphQLDataSource`: that one builds node-fetch
 * Headers and a node-fetch Request per call that nothing reads (5-7% of the gateway's CPU under the
 * federation benchmark). The protocol is the same: POST `{query, variables, operationName}` as JSON,
 * the subgraph's `Cache-Control` restricting the response's cache policy.
 */
import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { FetcherResponse } from '@apollo/utils.fetcher';
import { BrokenCircuitError, type CircuitBreakerPolicy } from 'cockatiel';
import {
  GraphQLError,
  Kind,
  OperationTypeNode,
  parse,
  visit,
  type DocumentNode,
  type GraphQLFormattedError,
  type SelectionSetNode,
} from 'graphql';
import type { Logger } from 'pino';
import DataLoader from 'dataloader';
import type { GatewayContext } from './context.js';
import { MergedOperations, isMergeable, mergeVariables, splitAnswer, type FetchAnswer } from './fetchBatching.js';
import { createSubgraphFetcher, fetchTransport, sharable } from './fetcher.js';
import type { GatewayCredentials } from '../platform/authentication/gatewayCredential.js';
import { PlainHeaders } from './plainHeaders.js';
import { SubgraphPersistedQueries, persistedAnswerOf, type PersistedAnswer, type PersistedCall } from './subgraphPersistedQueries.js';
import { BREAK_THE_GLASS_GRANTED_HEADER } from '../platform/authorization/relation.js';
import { RELATIONS_EXTENSION } from '../subgraphs/coordination/relationsReport.js';
import {
  SubgraphFailure,
  callTimeout,
  reportSubgraphCall,
  subgraphBreaker,
  timeLeft,
  type CallOutcome,
  type GatewayResilienceConfig,
} from './resilience.js';
import { ErrorCode } from '../platform/errorCodes.js';
import {
  ANSWER_VARIES_HEADER,
  EVERYTHING,
  parseClaimSet,
  unionClaimSets,
  type CallerClaims,
  type ClaimSet,
} from '../platform/authorization/answerVaries.js';

/** An `Idempotency-Key` header the gateway passes on with a mutation: visible ASCII, at most 128 characters. */
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,128}$/;
/** The most fetches joined into one call (a plan's parallel fetches to one subgraph are a handful). */
const MAX_BATCH = 16;

export interface SubgraphDataSourceOptions {
  /** Subgraph name (as in the supergraph). */
  name: string;
  url: string;
  /** Deadline for one call, response body included. */
  timeoutMs: number;
  logger: Logger;
  /** Replaces the HTTP client (tests); the deadline is applied around it. */
  fetch?: typeof globalThis.fetch;
  /** Send identical queries in flight once (default true; gateway/fetcher.ts). */
  deduplicate?: boolean;
  /** Send queries of one request to this subgraph started together as one call (default true; gateway/fetchBatching.ts). */
  batch?: boolean;
  /** The subgraph's circuit breaker (gateway/resilience.ts); defaults 5 consecutive failures, 10 s open. */
  breaker?: Pick<GatewayResilienceConfig, 'breakerThreshold' | 'breakerHalfOpenMs'>;
  /**
   * Signs the gateway's credential for the verified caller (the request's `identity`). Without it, or for
   * a request without a verified caller, the call goes without credentials (and a subgraph refuses it).
   */
  credentials?: Pick<GatewayCredentials, 'credentialFor'>;
}

export class SubgraphDataSource implements GraphQLDataSource<GatewayContext> {
  readonly subgraphName: string;
  readonly url: string;
  private readonly fetcher: ReturnType<typeof createSubgraphFetcher>;
  private readonly timeoutMs: number;
  private readonly log: Logger;
  private readonly breaker: CircuitBreakerPolicy;
  private readonly batching: boolean;
  private readonly credentials: Pick<GatewayCredentials, 'credentialFor'> | undefined;
  /** Per request (its context): the fetches to this subgraph waiting to go as one call. */
  private readonly batches = new WeakMap<object, DataLoader<GraphQLDataSourceProcessOptions<GatewayContext>, ProcessResult>>();
  private readonly mergedOperations = new MergedOperations();
  /** The HTTP status behind the errors `errorFromResponse` made, to tell an outage (5xx) from a refusal. */
  private readonly statusOf = new WeakMap<object, number>();
  /** Which operation texts this subgraph holds (APQ): those go as their hash alone. */
  private readonly persisted = new SubgraphPersistedQueries();

  constructor(options: SubgraphDataSourceOptions) {
    this.url = options.url;
    this.subgraphName = options.name;
    this.timeoutMs = options.timeoutMs;
    this.log = options.logger;
    this.batching = options.batch ?? true;
    this.credentials = options.credentials;
    // Every call gets its own deadline: `timeoutMs`, or less when the request's deadline leaves less
    // (`callTimeout`, set by `process`).
    this.fetcher = createSubgraphFetcher({
      timeoutMs: options.timeoutMs,
      deadlineMs: () => callTimeout.getStore(),
      transport: options.fetch ? fetchTransport(options.fetch) : undefined,
      dedupe: options.deduplicate ?? true,
    });
    this.breaker = subgraphBreaker(
      options.name,
      options.url,
      options.breaker ?? { breakerThreshold: 5, breakerHalfOpenMs: 10_000 },
      options.logger,
    );
  }

  willSendRequest(options: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    const { request, context } = options;
    const headers = request.http?.headers;
    if (!headers) return;
    // The client's token is never passed on (the credential is set in `send`); the request id ties the
    // subgraphs' logs to ours.
    headers.delete('authorization');
    if (typeof context.requestId === 'string') headers.set('x-request-id', context.requestId);
    // Need to know: a granted break-the-glass travels in the gateway's own call (the fetcher's dedupe key
    // includes it, so a request with it never shares an answer with one without).
    headers.delete(BREAK_THE_GLASS_GRANTED_HEADER);
    if (context.breakTheGlass) headers.set(BREAK_THE_GLASS_GRANTED_HEADER, '1');
    // A client's Idempotency-Key goes with a mutation to the subgraphs (the coordination uses it when
    // the input carries no idempotencyKey of its own).
    const incoming = incomingRequest(options);
    if (incoming?.operation?.operation === OperationTypeNode.MUTATION) {
      const key = incoming.request.http?.headers.get('idempotency-key');
      if (typeof key === 'string' && key !== '') {
        if (!IDEMPOTENCY_KEY.test(key)) {
          throw new GraphQLError('The Idempotency-Key header must be 1 to 128 visible ASCII characters', {
            extensions: { code: ErrorCode.BAD_USER_INPUT },
          });
        }
        headers.set('idempotency-key', key);
      }
    }
  }

  /**
   * One fetch, sent once (never retried: it may be a mutation), within min(timeout, the request's time
   * left), through the subgraph's breaker. A call that fails answers errors at the paths of the fields it
   * was to deliver (see `failedResponse`) rather than throwing, so the client learns which fields are
   * null and why. Queries of one request to this subgraph started together go as one call
   * (gateway/fetchBatching.ts).
   */
  async process(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<ProcessResult> {
    const context = options.context as object | undefined;
    if (this.batching && typeof context === 'object' && context !== null && incomingRequest(options) && isBatchable(options)) {
      let batch = this.batches.get(context);
      if (!batch) {
        batch = new DataLoader((parts) => this.processTogether(parts), { cache: false, maxBatchSize: MAX_BATCH });
        this.batches.set(context, batch);
      }
      return batch.load(options);
    }
    return this.processAlone(options);
  }

  private async processAlone(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<ProcessResult> {
    const outcome = await this.call(options);
    if ('error' in outcome) return failedResponse(options, outcome.error);
    // The subgraph's document is parsed only when an answer has errors to pin (rare): parsing it on
    // every call was ~2% of the gateway's CPU.
    return pinEntityErrors(outcome.response, () => subgraphDocument(options), incomingRequest(options)?.document);
  }

  /** Fetches started together: one call with their operations joined, its answer split back. */
  private async processTogether(parts: readonly GraphQLDataSourceProcessOptions<GatewayContext>[]): Promise<(ProcessResult | Error)[]> {
    if (parts.length === 1) return [await this.processAlone(parts[0]!)];
    const merged = this.mergedOperations.get(
      parts.map((part) => part.request.query ?? ''),
      parts.map((part) => (part as { document: DocumentNode }).document),
    );
    const first = parts[0]!;
    const joined = {
      ...first,
      request: {
        ...first.request,
        query: merged.query,
        operationName: merged.operationName,
        variables: mergeVariables(parts.map((part) => part.request.variables)),
      },
      document: merged.document,
    } as GraphQLDataSourceProcessOptions<GatewayContext>;
    const outcome = await this.call(joined);
    if ('error' in outcome) {
      // Each fetch gets the failure at its own fields, as if it had been sent alone.
      return parts.map((part) => {
        try {
          return failedResponse(part, outcome.error);
        } catch (error) {
          return error instanceof Error ? error : new Error(String(error));
        }
      });
    }
    return splitAnswer(outcome.response as FetchAnswer, parts.length).map((answer, index) =>
      pinEntityErrors(answer as ProcessResult, () => subgraphDocument(parts[index]!), incomingRequest(parts[index]!)?.document),
    );
  }

  /** One call through the breaker within the deadline: the subgraph's answer, or the error for the client. */
  private async call(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<{ response: ProcessResult } | { error: unknown }> {
    const context = options.context as Partial<GatewayContext> | undefined;
    const operation = incomingRequest(options)?.operation?.operation ?? 'query';
    const left = timeLeft(options.context);
    const timeoutMs = left === undefined ? this.timeoutMs : Math.min(this.timeoutMs, Math.floor(left));
    const started = performance.now();
    const report = (outcome: CallOutcome) => reportSubgraphCall(this.subgraphName, operation, performance.now() - started, outcome);
    if (timeoutMs <= 0) {
      report('timeout');
      this.log.warn(
        { service: this.subgraphName, requestId: context?.requestId },
        'subgraph call not sent: the request deadline has passed',
      );
      return { error: unavailable(this.subgraphName, `Subgraph "${this.subgraphName}" was not asked: the request ran out of time`) };
    }
    let outcome: CallOutcome = 'ok';
    try {
      const response = await this.breaker.execute(() =>
        callTimeout.run(timeoutMs, async () => {
          try {
            // An identical query in flight may answer this one too; a mutation is always sent itself.
            return await sharable.run(sharingScope(options), () => this.send(options));
          } catch (error) {
            outcome = this.outcomeOf(error);
            const clientError = this.toClientError(error, context, timeoutMs, timeoutMs < this.timeoutMs);
            // What counts against the subgraph: it failed within its own full timeout, answered 5xx or garbage.
            const counts = outcome === 'error' || (outcome === 'timeout' && timeoutMs >= this.timeoutMs);
            throw counts ? new SubgraphFailure(clientError) : clientError;
          }
        }),
      );
      report(outcome);
      return { response };
    } catch (error) {
      if (error instanceof BrokenCircuitError) {
        report('open');
        this.log.debug({ service: this.subgraphName, requestId: context?.requestId }, 'subgraph call not sent: circuit open');
        return { error: unavailable(this.subgraphName, `Subgraph "${this.subgraphName}" is unavailable`) };
      }
      report(outcome === 'ok' ? 'error' : outcome);
      // An answer made of a failure says nothing about what it depends on: never shared with another caller.
      dependsOn(options.context, EVERYTHING);
      return { error: error instanceof SubgraphFailure ? error.clientError : error };
    }
  }

  /** One call over the fetcher: the caller's headers (see willSendRequest), the operation as JSON. */
  private async send(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<ProcessResult> {
    const { request } = options;
    const headers = PlainHeaders.from(request.http?.headers);
    headers.set('content-type', 'application/json');
    request.http = { method: 'POST', url: this.url, headers };
    this.willSendRequest(options);
    // One credential per caller and subgraph, reused while it lasts: identical calls of one caller still
    // share one call in flight (the fetcher keys them by this header), and never another caller's.
    const identity = (options.context as Partial<GatewayContext>).identity;
    if (identity && this.credentials)
      headers.set('authorization', `Bearer ${await this.credentials.credentialFor(identity, this.subgraphName)}`);
    const text = request.query;
    if (!text) throw new Error('Missing query');
    const record = headers.toRecord();
    // The text once, then its hash alone (gateway/subgraphPersistedQueries.ts); again with the text when
    // the subgraph does not hold it.
    let call = this.persisted.callFor(text);
    let answer = await this.post(options, record, call);
    // At most twice more: the hash alone, then text and hash, then plain; never a plain call again.
    for (let again = 0; again < 2 && answer.persisted !== 'ok'; again++) {
      if (answer.persisted === 'not-supported')
        this.log.info({ service: this.subgraphName }, 'subgraph does not serve persisted queries: operation texts are sent in full');
      if (!this.persisted.answered(text, call, answer.persisted)) break;
      call = this.persisted.callFor(text);
      answer = await this.post(options, record, call);
    }
    const { response, parsed } = answer;
    if (answer.persisted !== 'ok' || !response || !parsed)
      throw new Error(`Subgraph "${this.subgraphName}" refused the operation's hash and its text`);
    this.persisted.answered(text, call, 'ok');
    restrictCachePolicy(options, response.headers.get('cache-control'));
    dependsOn(options.context, parseClaimSet(response.headers.get(ANSWER_VARIES_HEADER)));
    collectRelations(parsed, options.context);
    return parsed;
  }

  /** One POST of the operation (its text, its hash or both) and the subgraph's JSON answer. */
  private async post(
    options: GraphQLDataSourceProcessOptions<GatewayContext>,
    headers: Record<string, string>,
    call: PersistedCall,
  ): Promise<{ response?: FetcherResponse; parsed?: ProcessResult; persisted: PersistedAnswer }> {
    const { request } = options;
    const body = JSON.stringify({
      query: call.query,
      variables: request.variables,
      operationName: request.operationName,
      extensions:
        call.hash === undefined ? request.extensions : { ...request.extensions, persistedQuery: { version: 1, sha256Hash: call.hash } },
    });
    const response = await this.fetcher(this.url, { method: 'POST', headers, body });
    if (!response.ok) {
      // The hash alone refused as a bad request: a subgraph that wants the text (nothing ran).
      if (call.query === undefined && response.status === 400) {
        await response.text().catch(() => '');
        return { persisted: 'not-supported' };
      }
      throw await this.errorFromResponse(response);
    }
    const type = response.headers.get('content-type') ?? '';
    const parsed: unknown =
      type.startsWith('application/json') || type.startsWith('application/graphql-response+json') ? await response.json() : undefined;
    // No body in the message: it goes to the log, and a subgraph's body may hold personal data.
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new Error(`Subgraph "${this.subgraphName}" did not answer a JSON object`);
    return { response, parsed, persisted: persistedAnswerOf(call, parsed) };
  }

  /** Non-2xx answers: a clean error instead of the default one carrying URL and body. */
  async errorFromResponse(response: FetcherResponse): Promise<GraphQLError> {
    const body = await response.text().catch(() => '');
    this.log.warn(
      { service: this.subgraphName, status: response.status, body: body.slice(0, 500).replace(/\b\d{6}-?\d{4}\b/g, '[redacted]') },
      'subgraph answered with an HTTP error',
    );
    const extensions = { service: this.subgraphName };
    let error: GraphQLError;
    if (response.status === 401) {
      error = new GraphQLError(`Subgraph "${this.subgraphName}" did not accept the credentials`, {
        extensions: { ...extensions, code: ErrorCode.UNAUTHENTICATED },
      });
    } else if (response.status === 403) {
      error = new GraphQLError(`Subgraph "${this.subgraphName}" refused the request`, {
        extensions: { ...extensions, code: ErrorCode.FORBIDDEN },
      });
    } else {
      error = unavailable(this.subgraphName, `Subgraph "${this.subgraphName}" failed to answer (HTTP ${response.status})`);
    }
    this.statusOf.set(error, response.status);
    return error;
  }

  /** A timeout; an outage (refused, reset, 5xx, not JSON); or a refusal (4xx, or an error we raised). */
  private outcomeOf(error: unknown): CallOutcome {
    if (isTimeout(error)) return 'timeout';
    const status = typeof error === 'object' && error !== null ? this.statusOf.get(error) : undefined;
    if (status !== undefined) return status >= 500 ? 'error' : 'refused';
    return error instanceof GraphQLError ? 'refused' : 'error';
  }

  private toClientError(
    error: unknown,
    context: Partial<GatewayContext> | undefined,
    timeoutMs: number,
    cutByDeadline: boolean,
  ): GraphQLError {
    if (error instanceof GraphQLError && typeof error.extensions['code'] === 'string') return error;
    const timedOut = isTimeout(error);
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause : undefined;
    this.log.warn(
      {
        service: this.subgraphName,
        url: this.url,
        requestId: context?.requestId,
        error: error instanceof Error ? error.message : String(error),
        cause: cause ? ((cause as NodeJS.ErrnoException).code ?? cause.message) : undefined,
      },
      timedOut ? 'subgraph call timed out' : 'subgraph call failed',
    );
    return unavailable(
      this.subgraphName,
      timedOut
        ? `Subgraph "${this.subgraphName}" did not answer within ${timeoutMs} ms${cutByDeadline ? " (the request's deadline)" : ''}`
        : `Subgraph "${this.subgraphName}" is unavailable`,
    );
  }
}

type ProcessResult = Awaited<ReturnType<GraphQLDataSource['process']>>;

/**
 * The relations the coordination reported for this answer (subgraphs/coordination/relationsReport.ts),
 * kept in the request's context for the access log; taken out of the answer, never passed to clients.
 */
function collectRelations(result: ProcessResult, context: Partial<GatewayContext> | undefined): void {
  const reported: unknown = result.extensions?.[RELATIONS_EXTENSION];
  if (reported === undefined) return;
  delete result.extensions?.[RELATIONS_EXTENSION];
  if (typeof reported !== 'object' || reported === null || !context?.relations) return;
  for (const [youthId, relation] of Object.entries(reported as Record<string, unknown>)) {
    if (typeof relation === 'string') context.relations.set(youthId, relation);
  }
}

/**
 * The subgraph's `Cache-Control` restricts the response's overall cache policy, as Apollo's own data
 * source does: no `max-age` means 0 (not cacheable), `private`/`public` set the scope.
 */
function restrictCachePolicy(options: GraphQLDataSourceProcessOptions<GatewayContext>, header: string | null): void {
  const incoming = incomingRequest(options);
  const policy = incoming?.overallCachePolicy as
    { restrict?: (hint: { maxAge?: number; scope?: 'PUBLIC' | 'PRIVATE' }) => void } | undefined;
  if (typeof policy?.restrict !== 'function') return;
  // The common case (our subgraphs send none): not cacheable, nothing to parse.
  if (!header) {
    policy.restrict({ maxAge: 0 });
    return;
  }
  const directives = new Map<string, string | true>();
  for (const part of (header ?? '').split(',')) {
    const [name, value] = part.trim().split('=', 2) as [string, string | undefined];
    if (name) directives.set(name.toLowerCase(), value ?? true);
  }
  const maxAge = directives.get('max-age');
  const hint: { maxAge: number; scope?: 'PUBLIC' | 'PRIVATE' } = {
    maxAge: typeof maxAge === 'string' && /^[0-9]+$/.test(maxAge) ? Number(maxAge) : 0,
  };
  if (directives.get('private') === true) hint.scope = 'PRIVATE';
  if (directives.get('public') === true) hint.scope = 'PUBLIC';
  policy.restrict(hint);
}

/**
 * The answer of a subgraph call that failed as a whole: no data, and the error at the path of every
 * field it was to deliver that the client asked for: `["_entities", i, field]` for an entity fetch (the
 * gateway maps it to the entity's path in the response), the root field for a root fetch. The gateway
 * then treats the fields as missing (null, and "unknown" for what `@requires` derives from them), as
 * for a thrown error, which gets no path at all. Calls outside a client's request still throw.
 */
function failedResponse(options: GraphQLDataSourceProcessOptions<GatewayContext>, error: unknown): ProcessResult {
  const incoming = incomingRequest(options);
  if (!incoming || !(error instanceof GraphQLError)) throw error;
  const formatted: GraphQLFormattedError = { message: error.message, extensions: { ...error.extensions } };
  const document = subgraphDocument(options);
  const asked = incoming.document ? fieldNames(incoming.document) : undefined;
  const representations: unknown = options.request.variables?.['representations'];
  if (Array.isArray(representations)) {
    const fields = document ? selectedFields(document, '_entities').filter((key) => asked?.has(key) ?? true) : [];
    const errors = representations.flatMap((_representation: unknown, i: number) =>
      fields.length > 0
        ? fields.map((field) => ({ ...formatted, path: ['_entities', i, field] }))
        : [{ ...formatted, path: ['_entities', i] }],
    );
    return { errors };
  }
  const roots = document ? selectedFields(document, null) : [];
  return { errors: roots.length > 0 ? roots.map((field) => ({ ...formatted, path: [field] })) : [formatted] };
}

/** The subgraph operation being sent: the planner's parsed document, or the query text parsed. */
function subgraphDocument(options: GraphQLDataSourceProcessOptions<GatewayContext>): DocumentNode | undefined {
  if ('document' in options && options.document) return options.document;
  try {
    return options.request.query ? parse(options.request.query) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A subgraph whose system failed fails the whole entity (its `__resolveReference`; so that what the
 * coordination derives from it reads "unknown", never a wrong "no"), with an error at
 * `["_entities", i]`, which the gateway maps to the entity's path (`["youth"]`). Here such an error is
 * pinned to the fields the subgraph was asked for on that entity and the client asked for too
 * (`["_entities", i, "social"]` becomes `["youth", "social"]`): the client sees which null field the
 * failing system owns. Fields fetched only for `@requires` are not the client's: they are left out,
 * and an error with none of the client's fields keeps the entity's path.
 */
function pinEntityErrors<T extends { errors?: readonly GraphQLFormattedError[] }>(
  response: T,
  subgraphDocumentOf: () => DocumentNode | undefined,
  clientDocument: DocumentNode | undefined,
): T {
  if (!response.errors?.length || !clientDocument) return response;
  const pinnable = (error: GraphQLFormattedError) =>
    error.extensions?.['code'] === ErrorCode.UPSTREAM_UNAVAILABLE &&
    error.path?.length === 2 &&
    error.path[0] === '_entities' &&
    typeof error.path[1] === 'number';
  if (!response.errors.some(pinnable)) return response;
  const document = subgraphDocumentOf();
  if (!document) return response;
  const asked = fieldNames(clientDocument);
  const fields = selectedFields(document, '_entities').filter((key) => asked.has(key));
  if (fields.length === 0) return response;
  const errors = response.errors.flatMap((error) =>
    pinnable(error) ? fields.map((field) => ({ ...error, path: [...error.path!, field] })) : [error],
  );
  return { ...response, errors };
}

/**
 * The response keys an operation selects at its root (`under` null), or on the root field `under`
 * (through inline fragments: `_entities { ... on Youth { social } }`), `__typename` left out.
 */
function selectedFields(document: DocumentNode, under: string | null): string[] {
  const keys = new Set<string>();
  const collect = (selectionSet: SelectionSetNode | undefined) => {
    for (const selection of selectionSet?.selections ?? []) {
      if (selection.kind === Kind.INLINE_FRAGMENT) collect(selection.selectionSet);
      else if (selection.kind === Kind.FIELD && selection.name.value !== '__typename')
        keys.add(selection.alias?.value ?? selection.name.value);
    }
  };
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    if (under === null) {
      collect(definition.selectionSet);
      continue;
    }
    for (const selection of definition.selectionSet.selections) {
      if (selection.kind === Kind.FIELD && selection.name.value === under) collect(selection.selectionSet);
    }
  }
  return [...keys];
}

const fieldNamesByDocument = new WeakMap<DocumentNode, Set<string>>();

/** Every field name and alias in the client's operation. */
function fieldNames(document: DocumentNode): Set<string> {
  let names = fieldNamesByDocument.get(document);
  if (names) return names;
  const found = new Set<string>();
  visit(document, {
    Field(node) {
      found.add(node.name.value);
      if (node.alias) found.add(node.alias.value);
    },
  });
  names = found;
  fieldNamesByDocument.set(document, names);
  return names;
}

/** The subgraph operation is a query (no mutation, no subscription): safe to share with an identical call. */
/**
 * May this call share one in flight: a query may, keyed by the caller's claims the answer reads when a
 * verified caller makes it (gateway/fetcher.ts); a mutation never.
 */
function sharingScope(options: GraphQLDataSourceProcessOptions<GatewayContext>): boolean | { caller: CallerClaims } {
  if (!isQueryOnly(options)) return false;
  const identity = (options.context as Partial<GatewayContext> | undefined)?.identity;
  return identity ? { caller: identity } : true;
}

/** Adds what one subgraph answer read to what the request's answer depends on (operation coalescing reads it). */
function dependsOn(context: unknown, reads: ClaimSet): void {
  if (typeof context !== 'object' || context === null) return;
  const request = context as Partial<GatewayContext>;
  request.answerDependsOn = unionClaimSets(request.answerDependsOn ?? NOTHING, reads);
}

const NOTHING: ClaimSet = new Set();

function isQueryOnly(options: GraphQLDataSourceProcessOptions<GatewayContext>): boolean {
  const document = 'document' in options ? options.document : undefined;
  if (!document) return false;
  return document.definitions.every(
    (definition) => definition.kind !== Kind.OPERATION_DEFINITION || definition.operation === OperationTypeNode.QUERY,
  );
}

/** A query the planner parsed for us, joinable with others (gateway/fetchBatching.ts `isMergeable`). */
function isBatchable(options: GraphQLDataSourceProcessOptions<GatewayContext>): boolean {
  const document = 'document' in options ? options.document : undefined;
  if (!document || typeof options.request.query !== 'string') return false;
  let mergeable = mergeableByDocument.get(document);
  if (mergeable === undefined) {
    mergeable = isMergeable(document);
    mergeableByDocument.set(document, mergeable);
  }
  return mergeable;
}

const mergeableByDocument = new WeakMap<DocumentNode, boolean>();

/** The client's request behind a subgraph call (absent for the gateway's own health checks). */
function incomingRequest(options: GraphQLDataSourceProcessOptions<GatewayContext>) {
  return 'incomingRequestContext' in options ? options.incomingRequestContext : undefined;
}

function isTimeout(error: unknown): boolean {
  return error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
}

function unavailable(service: string, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.SUBGRAPH_UNAVAILABLE, service } });
}
