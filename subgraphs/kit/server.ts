import { readFileSync } from 'node:fs';
import type { IncomingMessage, RequestListener } from 'node:http';
import { ApolloServer, type BaseContext } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import { parse } from 'graphql';
import type { Logger } from 'pino';
import { createGraphQLHandler } from '../../platform/graphqlHttp.js';
import { Health } from '../../platform/health.js';
import { formatSubgraphError } from './errors.js';

/** What every subgraph's context carries; each subgraph adds its own loaders. */
export interface SubgraphContext extends BaseContext {
  requestId: string;
  authorization: string | undefined;
}

export function baseContext(req: IncomingMessage, requestId: string): SubgraphContext {
  const auth = req.headers.authorization;
  return { requestId, authorization: typeof auth === 'string' ? auth : undefined };
}

export function loadSchema(schemaUrl: URL): string {
  return readFileSync(schemaUrl, 'utf8');
}

export interface SubgraphOptions<TContext extends SubgraphContext> {
  name: string;
  typeDefs: string;
  resolvers: GraphQLResolverMap<TContext>;
  context: (req: IncomingMessage, requestId: string) => Promise<TContext>;
  logger: Logger;
}

export interface BuiltSubgraph<TContext extends SubgraphContext> {
  name: string;
  apollo: ApolloServer<TContext>;
  health: Health;
  /** Starts Apollo Server and answers the node:http request listener to mount or listen with. */
  start(): Promise<RequestListener>;
  stop(): Promise<void>;
}

/** Builds (never listens) a federation subgraph: schema, error policy, health route. */
export function createSubgraph<TContext extends SubgraphContext>(options: SubgraphOptions<TContext>): BuiltSubgraph<TContext> {
  const schema = buildSubgraphSchema([{ typeDefs: parse(options.typeDefs), resolvers: options.resolvers as GraphQLResolverMap<unknown> }]);
  const apollo = new ApolloServer<TContext>({
    schema,
    logger: options.logger,
    formatError: formatSubgraphError,
    includeStacktraceInErrorResponses: false,
    // The gateway is the only intended client: no page to land on, and no usage traces to send anyone.
    plugins: [ApolloServerPluginLandingPageDisabled(), ApolloServerPluginInlineTraceDisabled()],
    stopOnTerminationSignals: false,
  });
  const health = new Health();
  return {
    name: options.name,
    apollo,
    health,
    async start() {
      await apollo.start();
      health.markReady();
      return createGraphQLHandler<TContext>({ apollo, context: options.context, logger: options.logger, health });
    },
    async stop() {
      health.markStopping();
      await apollo.stop();
    },
  };
}
