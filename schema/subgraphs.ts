/**
 * The one list of subgraphs. Composition reads their SDL from here; the URLs become the supergraph's
 * `join__graph` urls, which the gateway uses unless `SUBGRAPH_<NAME>_URL` overrides them.
 */
export interface SubgraphEntry {
  /** Subgraph name as it appears in the supergraph (`join__Graph`) and in `SUBGRAPH_<NAME>_URL`. */
  readonly name: string;
  /** SDL file, relative to the repository root (or absolute). */
  readonly schemaPath: string;
  /** Where the subgraph listens by default when everything runs on one machine. */
  readonly defaultUrl: string;
}

export const SUBGRAPHS: readonly SubgraphEntry[] = [
  { name: 'guidance', schemaPath: 'subgraphs/guidance/schema.graphql', defaultUrl: 'http://127.0.0.1:4002/graphql' },
  { name: 'school', schemaPath: 'subgraphs/school/schema.graphql', defaultUrl: 'http://127.0.0.1:4001/graphql' },
  { name: 'jobcenter', schemaPath: 'subgraphs/jobcenter/schema.graphql', defaultUrl: 'http://127.0.0.1:4003/graphql' },
  { name: 'social', schemaPath: 'subgraphs/social/schema.graphql', defaultUrl: 'http://127.0.0.1:4004/graphql' },
  { name: 'benefits', schemaPath: 'subgraphs/benefits/schema.graphql', defaultUrl: 'http://127.0.0.1:4005/graphql' },
  { name: 'coordination', schemaPath: 'subgraphs/coordination/schema.graphql', defaultUrl: 'http://127.0.0.1:4006/graphql' },
];
