import { ConfigError, readInt, readOptionalString, readString } from '../../platform/env.js';
import { CURSOR_KEY_BYTES } from './cursor.js';
import { CASELOAD_LIMIT } from './store/limits.js';
import {
  readGuidanceConnection,
  readJobcenterConnection,
  readSchoolConnection,
  readSocialConnection,
  type GuidanceConnection,
  type JobcenterConnection,
  type SchoolConnection,
  type SocialConnection,
} from '../kit/systems/connections.js';
import { SUBGRAPH_REGISTRY } from '../registry.js';

export interface CoordinationConfig {
  port: number;
  /** A PostgreSQL server; when unset, embedded PostgreSQL (PGlite) in `dataDir`. */
  databaseUrl: string | undefined;
  dataDir: string;
  /** Database schema for the coordination's tables. */
  databaseSchema: string;
  fundedCapacity: number;
  /** Caseload limit a new contact person gets unless the coordinator sets another (about 25, the note's estimate). */
  defaultCaseload: number;
  /** How often each replica tries the day's assignment review (ends at 25, anchoring); 0 = never. */
  assignmentReviewIntervalMinutes: number;
  /** How often each replica tries the month's snapshot of the success measures (reporting/snapshots.ts); 0 = never. */
  measureSnapshotIntervalMinutes: number;
  /** How often the screening register is rebuilt from the systems' extracts; 0 = only at start. */
  screeningIntervalMinutes: number;
  /** Page size for the systems' extracts. */
  extractPageSize: number;
  /**
   * The key that seals `youths` cursors (cursor.ts), shared by every replica. Undefined outside
   * production: a development key is generated in `dataDir` (devCursorKey.ts).
   */
  cursorKey: Buffer | undefined;
  /** The systems the coordination reads facts from (for the register and to check mutations). */
  systems: {
    school: SchoolConnection;
    guidance: GuidanceConnection;
    jobcenter: JobcenterConnection;
    social: SocialConnection;
  };
}

export function loadCoordinationConfig(env: Record<string, string | undefined> = process.env): CoordinationConfig {
  return {
    port: readInt(env, 'COORDINATION_SUBGRAPH_PORT', SUBGRAPH_REGISTRY.coordination.defaultPort, 0, 65535),
    databaseUrl: readOptionalString(env, 'DATABASE_URL'),
    dataDir: readString(env, 'COORDINATION_DATA_DIR', '.data/coordination'),
    databaseSchema: readString(env, 'COORDINATION_DB_SCHEMA', 'coordination'),
    fundedCapacity: readInt(env, 'CONTACT_PERSON_FUNDED_CAPACITY', 60, 0, 100_000),
    defaultCaseload: readInt(env, 'CONTACT_PERSON_CASELOAD', CASELOAD_LIMIT.default, CASELOAD_LIMIT.min, CASELOAD_LIMIT.max),
    assignmentReviewIntervalMinutes: readInt(env, 'ASSIGNMENT_REVIEW_INTERVAL_MINUTES', 60, 0, 24 * 60),
    measureSnapshotIntervalMinutes: readInt(env, 'MEASURE_SNAPSHOT_INTERVAL_MINUTES', 60, 0, 24 * 60),
    screeningIntervalMinutes: readInt(env, 'SCREENING_INTERVAL_MINUTES', 15, 0, 24 * 60),
    extractPageSize: readInt(env, 'SCREENING_EXTRACT_PAGE_SIZE', 1000, 10, 1000),
    cursorKey: readCursorKey(env),
    systems: {
      school: readSchoolConnection(env),
      guidance: readGuidanceConnection(env),
      jobcenter: readJobcenterConnection(env),
      social: readSocialConnection(env),
    },
  };
}

/**
 * COORDINATION_CURSOR_KEY: 32 random bytes, base64 (`openssl rand -base64 32`) or 64 hex digits. Required
 * when NODE_ENV=production (replicas must share it, so none may invent its own). The messages never echo
 * the value: it is a secret.
 */
export function readCursorKey(env: Record<string, string | undefined>): Buffer | undefined {
  const raw = readOptionalString(env, 'COORDINATION_CURSOR_KEY')?.trim();
  if (raw === undefined) {
    if (env.NODE_ENV === 'production') {
      throw new ConfigError(
        `NODE_ENV=production needs COORDINATION_CURSOR_KEY (${CURSOR_KEY_BYTES} random bytes, base64: openssl rand -base64 ${CURSOR_KEY_BYTES}), the same for every coordination replica`,
      );
    }
    return undefined;
  }
  const key = /^[0-9a-fA-F]{64}$/.test(raw)
    ? Buffer.from(raw, 'hex')
    : /^[A-Za-z0-9+/_-]+={0,2}$/.test(raw)
      ? Buffer.from(raw, raw.includes('-') || raw.includes('_') ? 'base64url' : 'base64')
      : undefined;
  if (key === undefined || key.length !== CURSOR_KEY_BYTES) {
    throw new ConfigError(
      `COORDINATION_CURSOR_KEY must be ${CURSOR_KEY_BYTES} random bytes as base64 (openssl rand -base64 ${CURSOR_KEY_BYTES}) or 64 hex digits; ` +
        (key === undefined ? 'the value is neither' : `it holds ${key.length} bytes`),
    );
  }
  return key;
}
