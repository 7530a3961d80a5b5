import { SUBGRAPH_DEFINITIONS } from '../subgraphs/registry.js';

/**
 * The subgraphs as composition sees them, read from the one registry (subgraphs/registry.ts).
 * Composition reads their SDL from here; the URLs become the supergraph's `join__graph` urls, which
 * the gateway uses unless `SUBGRAPH_<NAME>_URL` overrides them.
 */
export interface SubgraphEntry {
  /** Subgraph name as it appears in the supergraph (`join__Graph`) and in `SUBGRAPH_<NAME>_URL`. */
  readonly name: string;
  /** SDL file, relative to the repository root (or absolute). */
  readonly schemaPath: string;
  /** Where the subgraph listens by default when everything runs on one machine. */
  readonly defaultUrl: string;
}

export const SUBGRAPHS: readonly SubgraphEntry[] = SUBGRAPH_DEFINITIONS.map((subgraph) => ({
  name: subgraph.name,
  schemaPath: subgraph.schemaPath,
  defaultUrl: `http://127.0.0.1:${subgraph.defaultPort}/graphql`,
}));
