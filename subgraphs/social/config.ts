import { readInt, readString } from '../../platform/env.js';
import { readSystemConnection, type SystemConnection } from '../kit/systemConfig.js';
import { devCredentials } from '../../systems/credentials.js';

export interface SocialSubgraphConfig {
  port: number;
  system: SystemConnection & { user: string; password: string };
}

export function loadSocialConfig(env: Record<string, string | undefined> = process.env): SocialSubgraphConfig {
  return {
    port: readInt(env, 'SOCIAL_SUBGRAPH_PORT', 4004, 0, 65535),
    system: {
      ...readSystemConnection(env, 'SOCIAL', 4104),
      user: readString(env, 'SOCIAL_USER', devCredentials.social.user),
      password: readString(env, 'SOCIAL_PASSWORD', devCredentials.social.password),
    },
  };
}
