import { ConfigError, readBool, readInt, readOptionalString, readString } from '../../platform/env.js';
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
  /**
   * How often the screening register is rebuilt from the systems' extracts; 0 = only at start. Default 15
   * minutes, or once a day (1440, the nightly fallback) when the change feeds keep it current.
   */
  screeningIntervalMinutes: number;
  /** The register follows the systems' change feeds on the leader (screening/changeFeed.ts). */
  changeFeeds: {
    enabled: boolean;
    /** Long-poll: how long one read of a feed waits for a change (0: plain polling every `pollSeconds`). */
    waitSeconds: number;
    /** Between reads when not long-polling, and the first wait after a failure. */
    pollSeconds: number;
    /** Events per read. */
    batchSize: number;
    /** A feed that cannot be read this long gets a full rebuild. */
    unreadableRebuildMinutes: number;
  };
  /**
   * How long the leader's lease holds (screening/leadership.ts): the replica running the jobs renews it
   * every third of that; when it dies, another takes the jobs over within this much. Shorter than the
   * screening interval, so a dead leader's screening is taken over before the next one is due.
   */
  leaderLeaseSeconds: number;
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
  const changeFeeds = readBool(env, 'CHANGE_FEEDS', true);
  const config: CoordinationConfig = {
    port: readInt(env, 'COORDINATION_SUBGRAPH_PORT', SUBGRAPH_REGISTRY.coordination.defaultPort, 0, 65535),
    databaseUrl: readOptionalString(env, 'DATABASE_URL'),
    dataDir: readString(env, 'COORDINATION_DATA_DIR', '.data/coordination'),
    databaseSchema: readString(env, 'COORDINATION_DB_SCHEMA', 'coordination'),
    fundedCapacity: readInt(env, 'CONTACT_PERSON_FUNDED_CAPACITY', 60, 0, 100_000),
    defaultCaseload: readInt(env, 'CONTACT_PERSON_CASELOAD', CASELOAD_LIMIT.default, CASELOAD_LIMIT.min, CASELOAD_LIMIT.max),
    assignmentReviewIntervalMinutes: readInt(env, 'ASSIGNMENT_REVIEW_INTERVAL_MINUTES', 60, 0, 24 * 60),
    measureSnapshotIntervalMinutes: readInt(env, 'MEASURE_SNAPSHOT_INTERVAL_MINUTES', 60, 0, 24 * 60),
    // With the change feeds on, the full rebuild is the nightly fallback (and the one for a gap).
    screeningIntervalMinutes: readInt(env, 'SCREENING_INTERVAL_MINUTES', changeFeeds ? 24 * 60 : 15, 0, 24 * 60),
    changeFeeds: {
      enabled: changeFeeds,
      waitSeconds: readInt(env, 'CHANGE_FEED_WAIT_SECONDS', 20, 0, 30),
      pollSeconds: readInt(env, 'CHANGE_FEED_POLL_SECONDS', 5, 1, 3600),
      batchSize: readInt(env, 'CHANGE_FEED_BATCH', 500, 1, 1000),
      unreadableRebuildMinutes: readInt(env, 'CHANGE_FEED_UNREADABLE_MINUTES', 15, 1, 24 * 60),
    },
    leaderLeaseSeconds: readInt(env, 'COORDINATION_LEADER_LEASE_SECONDS', 30, 1, 3600),
    extractPageSize: readInt(env, 'SCREENING_EXTRACT_PAGE_SIZE', 1000, 10, 1000),
    cursorKey: readCursorKey(env),
    systems: {
      school: readSchoolConnection(env),
      guidance: readGuidanceConnection(env),
      jobcenter: readJobcenterConnection(env),
      social: readSocialConnection(env),
    },
  };
  checkLeaderLease(config);
  return config;
}

/** The leader's lease must end before the next screening is due: a dead leader's screening is taken over in time. */
function checkLeaderLease({ leaderLeaseSeconds, screeningIntervalMinutes }: CoordinationConfig): void {
  if (screeningIntervalMinutes > 0 && leaderLeaseSeconds >= screeningIntervalMinutes * 60) {
    throw new ConfigError(
      `COORDINATION_LEADER_LEASE_SECONDS (${leaderLeaseSeconds}) must be less than the screening interval ` +
        `(SCREENING_INTERVAL_MINUTES=${screeningIntervalMinutes}, ${screeningIntervalMinutes * 60} s): when the leader dies, another replica ` +
        'takes its jobs over within one lease, which must come before the next screening is due',
    );
  }
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
