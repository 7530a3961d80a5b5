import { readInt, readString } from '../../platform/env.js';
import { readSystemConnection, type SystemConnection } from '../kit/systemConfig.js';
import { devCredentials } from '../../systems/credentials.js';

export interface BenefitsSubgraphConfig {
  port: number;
  system: SystemConnection & { clientId: string; clientSecret: string };
}

export function loadBenefitsConfig(env: Record<string, string | undefined> = process.env): BenefitsSubgraphConfig {
  return {
    port: readInt(env, 'BENEFITS_SUBGRAPH_PORT', 4005, 0, 65535),
    system: {
      ...readSystemConnection(env, 'BENEFITS', 4105),
      clientId: readString(env, 'BENEFITS_CLIENT_ID', devCredentials.benefits.clientId),
      clientSecret: readString(env, 'BENEFITS_CLIENT_SECRET', devCredentials.benefits.clientSecret),
    },
  };
}
