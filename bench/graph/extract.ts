/**
 * A reporting extract through the graph: `youths(filter, first: <max page>, after)` paged from the
 * first page to the last, every young person with the target-group status, every indicator and the
 * facts the indicators are computed from, the way a reporting client would page (one page after the
 * other: the cursor of one page is the start of the next). Per page: its latency, and how many calls
 * each existing system got for it (the systems count their calls).
 */
import { percentile } from '../lib/autocannon.js';
import type { SystemsCallCounts } from './protocol.js';
import type { Progress } from '../../platform/progress.js';

/** The coordination's largest page (subgraphs/coordination/resolvers.ts MAX_PAGE). */
export const MAX_PAGE_SIZE = 500;

/** Batch limits of the systems with a batch look-up (systems/README.md). */
export const BATCH_LIMITS: Readonly<Record<string, number>> = { school: 50, guidance: 100, benefits: 40 };

export const EXTRACT_QUERY = /* GraphQL */ `
  query TargetGroupExtract($filter: YouthFilter, $first: Int!, $after: String) {
    youths(filter: $filter, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          birthDate
          school {
            grade
            absence {
              schoolYear
              schoolDays
              absentDays
              unlawfulAbsenceDates
            }
          }
          guidance {
            readiness {
              grade
              vocational
              upperSecondary
            }
            currentEnrolment {
              needsSupport
            }
            completedYouthEducation
            vocationalQualification
            activity
          }
          socialSummary {
            openCases {
              unit
            }
          }
          benefits {
            currentMonthlyAmountDkk
          }
          targetGroup {
            inTargetGroup
            indicators
          }
        }
      }
    }
  }
`;

interface ExtractPage {
  data?: {
    youths: {
      totalCount: number;
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
      edges: { node: { id: string; targetGroup: { inTargetGroup: boolean; indicators: string[] } | null } }[];
    };
  };
  errors?: { message: string; extensions?: { code?: string } }[];
}

export interface ExtractOptions {
  url: string;
  authorization: string;
  filter: Record<string, unknown> | null;
  pageSize: number;
  /** The systems' call counters, read before and after each page. */
  systemStats: () => Promise<SystemsCallCounts>;
  progress: Progress;
  /** Stop after this many pages (quick runs); the figures then cover those pages. */
  maxPages?: number;
  /**
   * Pages asked at once. 1: one after the other, each page's cursor starting the next. More: the
   * cursors are listed first (a cheap `youths { edges { cursor } }` walk, answered by the coordination
   * alone), then that many pages are fetched at once, as a reporting client that knows the cursors
   * may (they are stable keys, not offsets). The calls per page are then counted across the pages in
   * flight and reported as an average per page.
   */
  parallelPages?: number;
}

const CURSORS_QUERY = /* GraphQL */ `
  query ExtractCursors($filter: YouthFilter, $first: Int!, $after: String) {
    youths(filter: $filter, first: $first, after: $after) {
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

export interface ExtractResult {
  youths: number;
  totalCount: number;
  pages: number;
  seconds: number;
  pageP50Ms: number;
  pageP95Ms: number;
  pageP99Ms: number;
  /** Young people whose target-group status did not come back (null), or pages that failed. */
  errors: number;
  errorSamples: string[];
  /** Most calls one page cost each system, and the bound for the batch-capable ones. */
  maxCallsPerPage: Record<string, number>;
  /** Pages whose calls to a batch-capable system exceeded ceil(page size / batch limit). */
  pagesOverBatchBound: Record<string, number>;
  inTargetGroup: number;
}

async function postJson<T>(
  options: ExtractOptions,
  query: string,
  variables: Record<string, unknown>,
): Promise<{ status: number; ok: boolean; body: T }> {
  const response = await fetch(options.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: options.authorization },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, ok: response.ok, body: (await response.json()) as T };
}

interface CursorsPage {
  data?: { youths: { pageInfo: { hasNextPage: boolean; endCursor: string | null } } };
}

/** The start cursor of every page (null for the first), from a walk that asks for cursors only. */
async function listPageStarts(options: ExtractOptions): Promise<(string | null)[]> {
  const starts: (string | null)[] = [null];
  let after: string | null = null;
  for (;;) {
    const answer: { body: CursorsPage } = await postJson<CursorsPage>(options, CURSORS_QUERY, {
      filter: options.filter,
      first: options.pageSize,
      after,
    });
    const pageInfo: { hasNextPage: boolean; endCursor: string | null } | undefined = answer.body.data?.youths.pageInfo;
    if (!pageInfo?.hasNextPage || !pageInfo.endCursor) return starts;
    if (options.maxPages !== undefined && starts.length >= options.maxPages) return starts;
    after = pageInfo.endCursor;
    starts.push(after);
  }
}

export async function runExtract(options: ExtractOptions): Promise<ExtractResult> {
  const parallel = Math.max(1, options.parallelPages ?? 1);
  return parallel === 1 ? runSequentialExtract(options) : runParallelExtract(options, parallel);
}

type ExtractConnection = NonNullable<ExtractPage['data']>['youths'];

/** What both clients count per page: time, young people, target-group statuses, errors (five kept as samples). */
class PageTally {
  private readonly pageTimes: number[] = [];
  private readonly errorSamples: string[] = [];
  youths = 0;
  totalCount = 0;
  errors = 0;
  inTargetGroup = 0;

  constructor(private readonly progress: Progress) {}

  /** One page's answer: its connection, or undefined when the page failed (counted as an error). */
  record(page: number, ms: number, answer: { ok: boolean; status: number; body: ExtractPage }): ExtractConnection | undefined {
    this.pageTimes.push(ms);
    const { body } = answer;
    const codes = () => body.errors?.map((e) => e.extensions?.code ?? e.message).join(', ') ?? '';
    const connection = body.data?.youths;
    if (!answer.ok || !connection) {
      this.errors += 1;
      this.sample(`page ${page}: HTTP ${answer.status} ${codes()}`);
      return undefined;
    }
    if (body.errors?.length) this.sample(`page ${page}: ${codes()}`);
    if (this.totalCount === 0) this.progress.setTotal(connection.totalCount);
    this.totalCount = connection.totalCount;
    for (const edge of connection.edges) {
      if (!edge.node.targetGroup) this.errors += 1;
      else if (edge.node.targetGroup.inTargetGroup) this.inTargetGroup += 1;
    }
    this.youths += connection.edges.length;
    this.progress.tick(connection.edges.length);
    return connection;
  }

  result(pages: number, seconds: number, calls: Pick<ExtractResult, 'maxCallsPerPage' | 'pagesOverBatchBound'>): ExtractResult {
    const times = [...this.pageTimes].sort((a, b) => a - b);
    return {
      youths: this.youths,
      totalCount: this.totalCount,
      pages,
      seconds,
      pageP50Ms: percentile(times, 0.5),
      pageP95Ms: percentile(times, 0.95),
      pageP99Ms: percentile(times, 0.99),
      errors: this.errors,
      errorSamples: this.errorSamples,
      ...calls,
      inTargetGroup: this.inTargetGroup,
    };
  }

  private sample(line: string): void {
    if (this.errorSamples.length < 5) this.errorSamples.push(line);
  }
}

async function runParallelExtract(options: ExtractOptions, parallel: number): Promise<ExtractResult> {
  const tally = new PageTally(options.progress);
  const started = performance.now();
  const before = await options.systemStats();
  const starts = await listPageStarts(options);
  let next = 0;
  const worker = async () => {
    while (next < starts.length) {
      const index = next++;
      const pageStarted = performance.now();
      const answer = await postJson<ExtractPage>(options, EXTRACT_QUERY, {
        filter: options.filter,
        first: options.pageSize,
        after: starts[index],
      });
      tally.record(index + 1, performance.now() - pageStarted, answer);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, starts.length) }, worker));
  const after = await options.systemStats();
  const seconds = (performance.now() - started) / 1000;
  options.progress.done(`${tally.youths} young people in ${starts.length} pages, ${parallel} at once, ${seconds.toFixed(1)} s`);
  // Pages overlap: the calls are counted over the whole run and averaged per page (rounded up).
  const maxCallsPerPage: Record<string, number> = {};
  const pagesOverBatchBound: Record<string, number> = {};
  for (const name of Object.keys(after)) {
    maxCallsPerPage[name] = Math.ceil((after[name]!.calls - (before[name]?.calls ?? 0)) / Math.max(1, starts.length));
    const limit = BATCH_LIMITS[name];
    if (limit !== undefined) pagesOverBatchBound[name] = maxCallsPerPage[name] > Math.ceil(options.pageSize / limit) ? starts.length : 0;
  }
  return tally.result(starts.length, seconds, { maxCallsPerPage, pagesOverBatchBound });
}

async function runSequentialExtract(options: ExtractOptions): Promise<ExtractResult> {
  const tally = new PageTally(options.progress);
  const maxCallsPerPage: Record<string, number> = {};
  const pagesOverBatchBound: Record<string, number> = Object.fromEntries(Object.keys(BATCH_LIMITS).map((name) => [name, 0]));
  let after: string | null = null;
  let pages = 0;
  const started = performance.now();

  for (;;) {
    const before = await options.systemStats();
    const pageStarted = performance.now();
    const answer = await postJson<ExtractPage>(options, EXTRACT_QUERY, { filter: options.filter, first: options.pageSize, after });
    const ms = performance.now() - pageStarted;
    const afterPage = await options.systemStats();
    pages += 1;
    const connection = tally.record(pages, ms, answer);
    if (!connection) break;

    for (const name of Object.keys(afterPage)) {
      const calls = afterPage[name]!.calls - (before[name]?.calls ?? 0);
      maxCallsPerPage[name] = Math.max(maxCallsPerPage[name] ?? 0, calls);
      const limit = BATCH_LIMITS[name];
      if (limit !== undefined && calls > Math.ceil(connection.edges.length / limit)) pagesOverBatchBound[name]! += 1;
    }

    after = connection.pageInfo.endCursor;
    if (!connection.pageInfo.hasNextPage || !after) break;
    if (options.maxPages !== undefined && pages >= options.maxPages) break;
  }
  const seconds = (performance.now() - started) / 1000;
  options.progress.done(`${tally.youths} young people in ${pages} pages, ${seconds.toFixed(1)} s`);
  return tally.result(pages, seconds, { maxCallsPerPage, pagesOverBatchBound });
}
