import { readInt } from '../../platform/env.js';
import { readSchoolConnection, type SchoolConnection } from '../kit/systems/connections.js';
import { SUBGRAPH_REGISTRY } from '../registry.js';

export interface SchoolSubgraphConfig {
  port: number;
  system: SchoolConnection;
}

export function loadSchoolConfig(env: Record<string, string | undefined> = process.env): SchoolSubgraphConfig {
  return {
    port: readInt(env, 'SCHOOL_SUBGRAPH_PORT', SUBGRAPH_REGISTRY.school.defaultPort, 0, 65535),
    system: readSchoolConnection(env),
  };
}
