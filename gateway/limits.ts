/**
 * Hardening of the gateway's GraphQL endpoint: query limits, no batching, CSRF prevention, no
 * introspection and no field suggestions in production.
 *
 * - Depth, aliases and cost: GraphQL Armor's validation rules (`@escape.tech/graphql-armor-max-depth`,
 *   `-max-aliases`, `-cost-limit`), used directly rather than through the `@escape.tech/graphql-armor`
 *   bundle, so that their rejection can be our own error.
 * - Tokens: graphql-js's own parser limit (Apollo Server's `parseOptions.maxTokens`): the parse stops at
 *   the limit, nothing is parsed twice. (Armor's max-tokens plugin for Apollo throws out of
 *   `unexpectedErrorProcessingRequest` under Apollo Server 5, which fails the request instead of
 *   answering it.)
 * - An exceeded limit answers "Query is too complex" with code `QUERY_TOO_COMPLEX` (HTTP 400) and never
 *   the limit or the measured value: a client probing the limits learns nothing to tune an attack with.
 * - Suggestions ("Did you mean ...?") name schema elements a client did not ask for; production removes
 *   them from every error: Apollo Server's `hideSchemaDetailsFromClientErrors` for validation errors, and
 *   a plugin here for the rest (variable coercion errors from the executor suggest enum values too).
 */
import type { ApolloServerOptionsWithGateway, ApolloServerPlugin, BaseContext } from '@apollo/server';
import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import {
  GraphQLError,
  validate,
  type DocumentNode,
  type GraphQLSchema,
  type ParseOptions,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import { readInt } from '../platform/env.js';
import { ErrorCode } from '../platform/errorCodes.js';

export const TOO_COMPLEX_MESSAGE = 'Query is too complex';
export const TOO_COMPLEX_CODE = ErrorCode.QUERY_TOO_COMPLEX;

export interface LimitsConfig {
  /** Nesting depth of selections (fragments count as a level). */
  maxDepth: number;
  /** Aliased fields per operation (`__typename` aliases are free). */
  maxAliases: number;
  /** Lexical tokens of the document. */
  maxTokens: number;
  /** GraphQL Armor's cost: objects 2, scalars 1, each level deeper ×1.5. */
  maxCost: number;
}

export const DEFAULT_LIMITS: Readonly<LimitsConfig> = { maxDepth: 12, maxAliases: 30, maxTokens: 3000, maxCost: 20000 };

type Env = Record<string, string | undefined>;

export function loadLimitsConfig(env: Env): LimitsConfig {
  return {
    maxDepth: readInt(env, 'LIMIT_MAX_DEPTH', DEFAULT_LIMITS.maxDepth, 1, 1000),
    maxAliases: readInt(env, 'LIMIT_MAX_ALIASES', DEFAULT_LIMITS.maxAliases, 0, 100_000),
    maxTokens: readInt(env, 'LIMIT_MAX_TOKENS', DEFAULT_LIMITS.maxTokens, 10, 10_000_000),
    maxCost: readInt(env, 'LIMIT_MAX_COST', DEFAULT_LIMITS.maxCost, 1, Number.MAX_SAFE_INTEGER),
  };
}

export interface HardeningOptions {
  production: boolean;
  limits: LimitsConfig;
}

/** The Apollo Server options hardening sets; spread them into the ApolloServer config. */
export type HardenedApolloOptions = Required<
  Pick<
    ApolloServerOptionsWithGateway<BaseContext>,
    'introspection' | 'allowBatchedHttpRequests' | 'csrfPrevention' | 'hideSchemaDetailsFromClientErrors'
  >
> & { parseOptions: ParseOptions };

export interface Hardening {
  /** For ApolloServer's `validationRules`. */
  validationRules: ValidationRule[];
  /** For ApolloServer's `plugins`. */
  plugins: ApolloServerPlugin<BaseContext>[];
  apolloOptions: HardenedApolloOptions;
}

/** Marks our rejection through Apollo Server's ValidationError, which overwrites `code`. */
const TOO_COMPLEX_MARK = 'tooComplex';
// graphql-js 16 words it "more that N tokens"; a fixed wording must not let the number through.
const TOKEN_LIMIT_MESSAGE = /^Syntax Error: Document contains more th(?:at|an) \d+ tokens\. Parsing aborted\.$/;
const SUGGESTION = / ?Did you mean [^?]*\?/g;

/**
 * One error per operation however many limits it exceeds (each armor rule reports on its own). Armor's
 * own error (which would carry the numbers) is never propagated.
 */
function rejectOnce(): (context: ValidationContext | null) => void {
  const reported = new WeakSet<ValidationContext>();
  return (context) => {
    if (!context || reported.has(context)) return;
    reported.add(context);
    context.reportError(new GraphQLError(TOO_COMPLEX_MESSAGE, { extensions: { [TOO_COMPLEX_MARK]: true } }));
  };
}

/**
 * The cost the cost limit measured for each document it accepted (the largest of its operations), for
 * the rate limiter's weights (rateLimits.ts): one measure for both. Apollo Server keeps validated
 * documents, so the same document object comes back without being validated again.
 */
const measuredCosts = new WeakMap<DocumentNode, number>();

function recordCost(context: ValidationContext | null, details: unknown): void {
  const cost = (details as { n?: unknown } | null)?.n;
  if (!context || typeof cost !== 'number') return;
  const document = context.getDocument();
  measuredCosts.set(document, Math.max(cost, measuredCosts.get(document) ?? 0));
}

/** GraphQL Armor's cost of a document: what the cost limit measured, or measured now with the same rule. */
export function operationCost(schema: GraphQLSchema, document: DocumentNode): number {
  const measured = measuredCosts.get(document);
  if (measured !== undefined) return measured;
  validate(schema, document, [
    costLimitRule({ maxCost: Number.MAX_SAFE_INTEGER, exposeLimits: false, propagateOnRejection: false, onAccept: [recordCost] }),
  ]);
  return measuredCosts.get(document) ?? 0;
}

function limitRules(limits: LimitsConfig): ValidationRule[] {
  const reject = rejectOnce();
  const common = { exposeLimits: false, errorMessage: TOO_COMPLEX_MESSAGE, propagateOnRejection: false, onReject: [reject] };
  return [
    maxDepthRule({ ...common, n: limits.maxDepth }),
    maxAliasesRule({ ...common, n: limits.maxAliases }),
    costLimitRule({ ...common, maxCost: limits.maxCost, onAccept: [recordCost] }),
  ] as ValidationRule[];
}

/**
 * Gives every limit error the same face: our message, code QUERY_TOO_COMPLEX. Errors are rewritten in
 * `didEncounterErrors`, which Apollo Server calls before it formats them.
 */
function tooComplexPlugin(): ApolloServerPlugin<BaseContext> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors }) {
          for (const error of errors) {
            const extensions = error.extensions as Record<string, unknown>;
            if (extensions[TOO_COMPLEX_MARK] === true || TOKEN_LIMIT_MESSAGE.test(error.message)) {
              error.message = TOO_COMPLEX_MESSAGE;
              // Where the parser gave up tells how many tokens it allowed.
              (error as { locations: unknown }).locations = undefined;
              delete extensions[TOO_COMPLEX_MARK];
              extensions['code'] = TOO_COMPLEX_CODE;
            }
          }
        },
      };
    },
  };
}

/** Production: no "Did you mean ...?" in any error. */
function hideSuggestionsPlugin(): ApolloServerPlugin<BaseContext> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors }) {
          for (const error of errors) {
            if (error.message.includes('Did you mean')) error.message = error.message.replace(SUGGESTION, '');
          }
        },
      };
    },
  };
}

export function hardening(options: HardeningOptions): Hardening {
  const { production, limits } = options;
  return {
    validationRules: limitRules(limits),
    plugins: production ? [tooComplexPlugin(), hideSuggestionsPlugin()] : [tooComplexPlugin()],
    apolloOptions: {
      introspection: !production,
      allowBatchedHttpRequests: false,
      csrfPrevention: true,
      hideSchemaDetailsFromClientErrors: production,
      parseOptions: { maxTokens: limits.maxTokens },
    },
  };
}
