import { readInt, readString } from '../../platform/env.js';
import { readSystemConnection, type SystemConnection } from '../kit/systemConfig.js';
import { devCredentials } from '../../systems/credentials.js';

export interface GuidanceSubgraphConfig {
  port: number;
  system: SystemConnection & { token: string };
}

export function loadGuidanceConfig(env: Record<string, string | undefined> = process.env): GuidanceSubgraphConfig {
  return {
    port: readInt(env, 'GUIDANCE_SUBGRAPH_PORT', 4002, 0, 65535),
    system: { ...readSystemConnection(env, 'GUIDANCE', 4102), token: readString(env, 'GUIDANCE_TOKEN', devCredentials.guidance.token) },
  };
}
