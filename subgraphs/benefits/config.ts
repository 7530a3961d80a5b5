import { readInt } from '../../platform/env.js';
import { readBenefitsConnection, type BenefitsConnection } from '../kit/systems/connections.js';
import { SUBGRAPH_REGISTRY } from '../registry.js';

export interface BenefitsSubgraphConfig {
  port: number;
  system: BenefitsConnection;
}

export function loadBenefitsConfig(env: Record<string, string | undefined> = process.env): BenefitsSubgraphConfig {
  return {
    port: readInt(env, 'BENEFITS_SUBGRAPH_PORT', SUBGRAPH_REGISTRY.benefits.defaultPort, 0, 65535),
    system: readBenefitsConnection(env),
  };
}
