/**
 * The benchmark's supergraph: the four subgraphs composed with @apollo/composition. Every gateway is
 * given the same file, with the URLs where this run's subgraphs listen. `tsx bench/federation/supergraph.ts`
 * rewrites the committed copy (bench/federation/supergraph.graphql, subgraphs on ports 4001-4004).
 */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { SUBGRAPH_NAMES, SUBGRAPH_SDL, type SubgraphName } from './subgraphs/schemas.js';

export function composeBenchSupergraph(urls: Readonly<Record<SubgraphName, string>>): string {
  const result = composeServices(SUBGRAPH_NAMES.map((name) => ({ name, url: urls[name], typeDefs: parse(SUBGRAPH_SDL[name]) })));
  if (result.errors) throw new Error(`The benchmark subgraphs do not compose:\n${result.errors.map((error) => error.message).join('\n')}`);
  return result.supergraphSdl;
}

export const COMMITTED_SUPERGRAPH = fileURLToPath(new URL('./supergraph.graphql', import.meta.url));

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const urls = Object.fromEntries(SUBGRAPH_NAMES.map((name, i) => [name, `http://localhost:${4001 + i}/graphql`])) as Record<
    SubgraphName,
    string
  >;
  await writeFile(COMMITTED_SUPERGRAPH, composeBenchSupergraph(urls));
  process.stdout.write(`wrote ${COMMITTED_SUPERGRAPH}\n`);
}
