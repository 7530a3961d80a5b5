import { readInt } from '../../platform/env.js';
import { readGuidanceConnection, type GuidanceConnection } from '../kit/systems/connections.js';
import { SUBGRAPH_REGISTRY } from '../registry.js';

export interface GuidanceSubgraphConfig {
  port: number;
  system: GuidanceConnection;
}

export function loadGuidanceConfig(env: Record<string, string | undefined> = process.env): GuidanceSubgraphConfig {
  return {
    port: readInt(env, 'GUIDANCE_SUBGRAPH_PORT', SUBGRAPH_REGISTRY.guidance.defaultPort, 0, 65535),
    system: readGuidanceConnection(env),
  };
}
