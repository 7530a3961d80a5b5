import { readInt } from '../../platform/env.js';
import { readSocialConnection, type SocialConnection } from '../kit/systems/connections.js';
import { SUBGRAPH_REGISTRY } from '../registry.js';

export interface SocialSubgraphConfig {
  port: number;
  system: SocialConnection;
}

export function loadSocialConfig(env: Record<string, string | undefined> = process.env): SocialSubgraphConfig {
  return {
    port: readInt(env, 'SOCIAL_SUBGRAPH_PORT', SUBGRAPH_REGISTRY.social.defaultPort, 0, 65535),
    system: readSocialConnection(env),
  };
}
