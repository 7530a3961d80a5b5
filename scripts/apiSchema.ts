/**
 * The graph's API schema: what clients see (no `join__*`, no `@link`, no security directives), built from
 * supergraph SDL the same way the gateway builds it. Codegen, the schema check and the example-operation
 * tests all read the schema through here, so they agree with what the gateway serves.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApolloGateway } from '@apollo/gateway';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { stripSecurityDirectives } from '../platform/authorization/rules.js';
import { createLogger } from '../platform/logger.js';
import { REPO_ROOT, SUPERGRAPH_FILE } from '../schema/compose.js';

/** The API schema of a supergraph, as `ApolloGateway` derives it when it loads the supergraph. */
export async function apiSchemaOfSupergraph(supergraphSdl: string): Promise<GraphQLSchema> {
  // The gateway reports usage to Apollo unless told not to; this is an offline build.
  process.env.APOLLO_TELEMETRY_DISABLED = '1';
  const gateway = new ApolloGateway({ supergraphSdl: stripSecurityDirectives(supergraphSdl), logger: createLogger('api-schema', 'warn') });
  let schema: GraphQLSchema | undefined;
  const unsubscribe = gateway.onSchemaLoadOrUpdate(({ apiSchema }) => {
    schema = apiSchema;
  });
  try {
    await gateway.load();
  } finally {
    unsubscribe();
    await gateway.stop();
  }
  if (!schema) throw new Error('the supergraph yielded no API schema');
  return schema;
}

/** The API schema of the committed `schema/supergraph.graphql`. */
export async function committedApiSchema(root: string = REPO_ROOT): Promise<GraphQLSchema> {
  return apiSchemaOfSupergraph(readFileSync(join(root, SUPERGRAPH_FILE), 'utf8'));
}

/** SDL with types and fields in alphabetical order, so the file diffs cleanly between releases. */
export function printApiSchema(schema: GraphQLSchema): string {
  return `${printSchema(lexicographicSortSchema(schema)).trimEnd()}\n`;
}
