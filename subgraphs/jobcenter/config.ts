import { readInt } from '../../platform/env.js';
import { readJobcenterConnection, type JobcenterConnection } from '../kit/systems/connections.js';
import { SUBGRAPH_REGISTRY } from '../registry.js';

export interface JobcenterSubgraphConfig {
  port: number;
  system: JobcenterConnection;
}

export function loadJobcenterConfig(env: Record<string, string | undefined> = process.env): JobcenterSubgraphConfig {
  return {
    port: readInt(env, 'JOBCENTER_SUBGRAPH_PORT', SUBGRAPH_REGISTRY.jobcenter.defaultPort, 0, 65535),
    system: readJobcenterConnection(env),
  };
}
