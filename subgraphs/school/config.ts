import { readInt, readString } from '../../platform/env.js';
import { readSystemConnection, type SystemConnection } from '../kit/systemConfig.js';
import { devCredentials } from '../../systems/credentials.js';

export interface SchoolSubgraphConfig {
  port: number;
  system: SystemConnection & { apiKey: string };
}

export function loadSchoolConfig(env: Record<string, string | undefined> = process.env): SchoolSubgraphConfig {
  return {
    port: readInt(env, 'SCHOOL_SUBGRAPH_PORT', 4001, 0, 65535),
    system: { ...readSystemConnection(env, 'SCHOOL', 4101), apiKey: readString(env, 'SCHOOL_API_KEY', devCredentials.school.apiKey) },
  };
}
