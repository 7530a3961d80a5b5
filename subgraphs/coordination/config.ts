import { readInt, readOptionalString, readString } from '../../platform/env.js';
import { loadSchoolConfig, type SchoolSubgraphConfig } from '../school/config.js';
import { loadGuidanceConfig, type GuidanceSubgraphConfig } from '../guidance/config.js';
import { loadJobcenterConfig, type JobcenterSubgraphConfig } from '../jobcenter/config.js';
import { loadSocialConfig, type SocialSubgraphConfig } from '../social/config.js';

export interface CoordinationConfig {
  port: number;
  /** A PostgreSQL server; when unset, embedded PostgreSQL (PGlite) in `dataDir`. */
  databaseUrl: string | undefined;
  dataDir: string;
  /** Database schema for the coordination's tables. */
  databaseSchema: string;
  fundedCapacity: number;
  /** How often the screening register is rebuilt from the systems' extracts; 0 = only at start. */
  screeningIntervalMinutes: number;
  /** Page size for the systems' extracts. */
  extractPageSize: number;
  /** The systems the coordination reads facts from (for the register and to check mutations). */
  systems: {
    school: SchoolSubgraphConfig['system'];
    guidance: GuidanceSubgraphConfig['system'];
    jobcenter: JobcenterSubgraphConfig['system'];
    social: SocialSubgraphConfig['system'];
  };
}

export function loadCoordinationConfig(env: Record<string, string | undefined> = process.env): CoordinationConfig {
  return {
    port: readInt(env, 'COORDINATION_SUBGRAPH_PORT', 4006, 0, 65535),
    databaseUrl: readOptionalString(env, 'DATABASE_URL'),
    dataDir: readString(env, 'COORDINATION_DATA_DIR', '.data/coordination'),
    databaseSchema: readString(env, 'COORDINATION_DB_SCHEMA', 'coordination'),
    fundedCapacity: readInt(env, 'CONTACT_PERSON_FUNDED_CAPACITY', 60, 0, 100_000),
    screeningIntervalMinutes: readInt(env, 'SCREENING_INTERVAL_MINUTES', 15, 0, 24 * 60),
    extractPageSize: readInt(env, 'SCREENING_EXTRACT_PAGE_SIZE', 1000, 10, 1000),
    systems: {
      school: loadSchoolConfig(env).system,
      guidance: loadGuidanceConfig(env).system,
      jobcenter: loadJobcenterConfig(env).system,
      social: loadSocialConfig(env).system,
    },
  };
}
