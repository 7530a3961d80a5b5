/**
 * The real supergraph: what the six subgraphs' SDL composes to is committed, and the gateway serves it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { loadGatewayConfig } from '../../gateway/config.js';
import { createGateway } from '../../gateway/server.js';
import { createLogger } from '../../platform/logger.js';
import { composeSupergraph, REPO_ROOT, renderSupergraphFile, SUPERGRAPH_FILE } from '../../schema/compose.js';
import { SUBGRAPHS } from '../../schema/subgraphs.js';

it('schema/supergraph.graphql is what the subgraphs compose to (npm run compose)', () => {
  const committed = readFileSync(join(REPO_ROOT, SUPERGRAPH_FILE), 'utf8');
  expect(committed).toBe(renderSupergraphFile(composeSupergraph().supergraphSdl));
  for (const subgraph of SUBGRAPHS) expect(committed).toContain(`@join__graph(name: "${subgraph.name}", url: "${subgraph.defaultUrl}")`);
});

it('the gateway loads the committed supergraph', async () => {
  const gateway = await createGateway({ config: loadGatewayConfig({}), logger: createLogger('gateway-test') });
  try {
    await gateway.start();
    expect(gateway.health.ready).toBe(true);
    expect(Object.keys(gateway.subgraphUrls).sort()).toEqual(SUBGRAPHS.map((s) => s.name).sort());
  } finally {
    await gateway.stop();
  }
});
