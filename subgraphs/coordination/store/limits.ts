import { TARGET_GROUP_MAX_AGE, TARGET_GROUP_MIN_AGE } from '../rules/targetGroup.js';

/**
 * Every bound the coordination subgraph puts on its input, in one place: the resolvers check the
 * graph's arguments and the store checks its own input against these same values, so the two cannot
 * disagree again (they did: ages 0-120 in the resolvers, 0-150 in the store; pages 500 vs 1000).
 * The database's CHECK constraints (migrations/) hold the text lengths too, as the last line of defence.
 */

/** Ids of young people, contact persons, schools and institutions. */
export const ID_MAX = 128;
/** Who acts: the caller's subject, recorded as assignedBy, createdBy, ... (and the idempotency scope). */
export const ACTOR_MAX = 200;
export const IDEMPOTENCY_KEY_MAX = 200;

/** Free text, by field (the migrations' CHECK constraints say the same). */
export const TEXT_MAX = {
  note: 2000,
  endReason: 500,
  title: 200,
  description: 4000,
  summary: 4000,
  /** A failed screening run's error as recorded (longer messages are cut, not refused). */
  runError: 2000,
  /** Why a contact person is assigned by judgement (migration 004's CHECK says the same). */
  justification: 4000,
  /** How the contact person and an existing mentor or social-law contact person work together. */
  supportCoordination: 4000,
  contactPersonName: 200,
  contactPersonEmail: 254,
  contactPersonUnit: 100,
  /** Why a plan action was edited or cancelled (migration 009's CHECK says the same). */
  changeReason: 500,
  /** Where a meeting was held, in words (migration 009). */
  placeNote: 200,
  /** The caller's role and unit as recorded in a plan action's history. */
  actorDetail: 100,
} as const;

/**
 * A judgement assignment's justification must say something: at least this many characters and words
 * (after trimming). "ok" or "needs one" is not a reason a colleague or the young person can follow
 * later; two plain sentences are. A decision of this project (the note asks only that it is "judged").
 */
export const JUSTIFICATION_MIN = { characters: 40, words: 6 } as const;
/** How the coordination with an existing mentor or social-law contact person is arranged: one sentence at least. */
export const SUPPORT_COORDINATION_MIN = { characters: 20, words: 4 } as const;
/**
 * Why a plan action is edited or cancelled: a few words a colleague can follow later ("typo" is not;
 * "moved to January, the college has no place before" is). A decision of this project (issue 15).
 */
export const CHANGE_REASON_MIN = { characters: 10, words: 2 } as const;

/**
 * A meeting (issue 15): one entry per person present, at most this many (a coordinating meeting has a
 * handful; 30 is a large network meeting, more is a mistake); joint decisions and plan actions linked
 * at once, at most this many.
 */
export const MEETING_PARTICIPANTS_MAX = 30;
export const MEETING_LINKS_MAX = 50;
/**
 * A meeting is about a young person of the coordinated effort, which starts at 13 (the target group's
 * lower bound): a meeting dated before the 13th birthday is a typo. Parents or guardians take part while
 * the young person is under 18 (the age of majority; after it the young person decides alone).
 */
export const MEETING_MIN_AGE = TARGET_GROUP_MIN_AGE;
export const PARENTS_UNTIL_AGE = 18;

/**
 * A contact person's caseload: about 25 young people (the note's estimate, "Vurderingen er et skøn"),
 * the default for a new contact person unless CONTACT_PERSON_CASELOAD or the coordinator says otherwise.
 */
export const CASELOAD_LIMIT = { min: 0, max: 1000, default: 25 } as const;
/** UU's keys for young people are short opaque tokens (`youth(id:)`); anything else cannot name one. */
export const YOUTH_ID_FORMAT = /^[A-Za-z0-9_-]{1,64}$/;
/** Contact-person ids the coordinator chooses (migration 001's format). */
export const CONTACT_PERSON_ID_FORMAT = /^[A-Za-z0-9_-]{1,64}$/;
/** How long a daily job's claim holds before another replica may take the day over (a crashed run). */
export const DAILY_JOB_LEASE_MS = 15 * 60_000;
/** Young people whose facts the daily review reads at the same time (bounded fan-out to the systems). */
export const REVIEW_CONCURRENCY = 4;

/**
 * Ages a filter may ask for, in whole years. The register holds Aalborg's young people aged 13-29
 * (the target group's own bounds, rules/targetGroup.ts): an age outside it cannot match anyone, so it
 * is a mistake the caller hears about (a typo, a birth year, months for years), not an empty page.
 */
export const AGE_RANGE = { min: TARGET_GROUP_MIN_AGE, max: TARGET_GROUP_MAX_AGE } as const;

/**
 * Page size of the register's list: the graph's documented 1-500 (schema.graphql), for the store too.
 * 500 rows with a count is about what one request should cost; a client wanting more pages on.
 */
export const PAGE_SIZE = { min: 1, max: 500, default: 20 } as const;

/** A worklist's window (`dueWithinDays`, `Youth.due(withinDays:)`): from 1 day (today and tomorrow) to a year ahead. */
export const DUE_WITHIN_DAYS = { min: 1, max: 366 } as const;
/** `nameContains`: 2-100 characters after trimming. */
export const NAME_CONTAINS = { min: 2, max: 100 } as const;
/** A first or last name as UU's register holds it. */
export const REGISTER_NAME_MAX = 200;

/** School grades the register records (the school system's 0-10). */
export const GRADE_RANGE = { min: 0, max: 10 } as const;

/** The municipality's funded capacity of contact-person assignments (configuration, checked again here). */
export const FUNDED_CAPACITY_MAX = 1_000_000;

/** Calendar years a date may fall in: anything else is a typo, and PostgreSQL would take it silently. */
export const DATE_YEAR_RANGE = { min: 1900, max: 2200 } as const;

/** A joint decision may be dated this far ahead of the server's clock (clocks differ a little). */
export const DECIDED_AT_FUTURE_TOLERANCE_MS = 5 * 60_000;

/** Batched look-ups (DataLoader keys) and the screening run's statements. */
export const KEY_LIST_MAX = 10_000;
export const SCREENING_CHUNK = { min: 1, max: 10_000, default: 1000 } as const;
/** Partner institutions one register row may name. */
export const INSTITUTIONS_PER_ROW_MAX = 100;

/**
 * `youths { totalCount }` at a national register (a million rows): a count of that size costs tens of
 * milliseconds on every page, so a list's count is kept and reused for later pages (store/screeningCount.ts)
 * once it is at least `above`, for at most `maxAgeMs`, for at most `entries` lists at once. Smaller counts
 * cost little and are counted exactly on every page.
 */
export const SCREENING_COUNT_CACHE = { above: 10_000, maxAgeMs: 60_000, entries: 500 } as const;

/**
 * After a rebuild's swap wrote at least `rows + share × register size` rows (written or deleted), the
 * register's planner statistics are gathered at once (`ANALYZE youth_screening`: 0.8 s at a million rows)
 * instead of whenever autovacuum comes round, or never where it is off. Without them the planner took an
 * indicator or age list at a million rows for a few hundred matches, sorted all of them (with a counsellor's
 * relation conditions per row) and answered a page in 260-350 ms instead of 1-5 ms. The numbers are
 * autovacuum's own defaults (autovacuum_analyze_threshold, autovacuum_analyze_scale_factor).
 */
export const REGISTER_ANALYZE_AFTER = { rows: 50, share: 0.1 } as const;
