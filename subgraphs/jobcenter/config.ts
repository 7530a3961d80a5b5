import { readInt, readString } from '../../platform/env.js';
import { readSystemConnection, type SystemConnection } from '../kit/systemConfig.js';
import { devCredentials } from '../../systems/credentials.js';

export interface JobcenterSubgraphConfig {
  port: number;
  system: SystemConnection & { apiKey: string };
}

export function loadJobcenterConfig(env: Record<string, string | undefined> = process.env): JobcenterSubgraphConfig {
  return {
    port: readInt(env, 'JOBCENTER_SUBGRAPH_PORT', 4003, 0, 65535),
    system: { ...readSystemConnection(env, 'JOBCENTER', 4103), apiKey: readString(env, 'JOBCENTER_API_KEY', devCredentials.jobcenter.apiKey) },
  };
}
