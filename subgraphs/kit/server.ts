import { readFileSync } from 'node:fs';
import { ApolloServer, type BaseContext } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import { parse } from 'graphql';
import type { Logger } from 'pino';
import { graphqlRequestListener, sendJson, type RequestInfo } from '../../platform/graphqlHttp.js';
import { formatSubgraphError } from './errors.js';

/** What every subgraph's context carries; each subgraph adds its own loaders. */
export interface SubgraphContext extends BaseContext {
  requestId: string;
  authorization: string | undefined;
}

export function baseContext(info: RequestInfo): SubgraphContext {
  const auth = info.headers.authorization;
  return { requestId: info.requestId, authorization: typeof auth === 'string' ? auth : undefined };
}

export function loadSchema(schemaUrl: URL): string {
  return readFileSync(schemaUrl, 'utf8');
}

export interface SubgraphOptions<TContext extends SubgraphContext> {
  name: string;
  typeDefs: string;
  resolvers: GraphQLResolverMap<TContext>;
  context: (info: RequestInfo) => Promise<TContext>;
  logger: Logger;
  /** Answers /healthz: true when this subgraph can serve (its store is open, ...). */
  ready?: () => boolean | Promise<boolean>;
}

export interface BuiltSubgraph<TContext extends SubgraphContext> {
  name: string;
  apollo: ApolloServer<TContext>;
  /** Starts Apollo Server and answers the node:http request listener to mount or listen with. */
  start(): Promise<ReturnType<typeof graphqlRequestListener<TContext>>>;
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
    // The gateway is the only intended client; there is no page to land on.
    plugins: [ApolloServerPluginLandingPageDisabled()],
  });
  return {
    name: options.name,
    apollo,
    async start() {
      await apollo.start();
      return graphqlRequestListener<TContext>({
        apollo,
        context: options.context,
        routes: {
          '/healthz': async (_req, res) => {
            const ok = options.ready ? await options.ready() : true;
            sendJson(res, ok ? 200 : 503, { status: ok ? 'ok' : 'starting', subgraph: options.name });
          },
        },
      });
    },
    stop: () => apollo.stop(),
  };
}
