import { GUIDANCE_BATCH_LIMIT } from '../../kit/systems/guidanceClient.js';
import { SCHOOL_BATCH_LIMIT, type SchoolRecord } from '../../kit/systems/schoolClient.js';
import type { SystemRecords } from './factsFromSystems.js';
import type { ScreeningSources } from './screeningJob.js';

/**
 * The four systems' current records of a few young people, by CPR number: what the change feeds'
 * follower (changeFeed.ts) recomputes their register rows from. UU first, in batches of 100: a CPR number
 * UU does not hold has no row, and the other systems are not asked about it. Then the school in batches
 * of 50, and the jobcenter and social services one person a call (they have no batch look-up), at most
 * `concurrency` at a time per system so a large batch does not fill the clients' queues.
 */
export interface CurrentRecords {
  /** By CPR number, for those UU holds. */
  records: Map<string, SystemRecords>;
  /** CPR numbers UU does not hold (their rows, if any, go). */
  notInRegister: Set<string>;
  /** Calls made to the systems (the cost per change). */
  calls: number;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** `work` over `items`, at most `concurrency` at once; the first failure fails the whole. */
async function pooled<T, R>(items: readonly T[], concurrency: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}

export async function currentRecords(
  sources: ScreeningSources,
  cprs: readonly string[],
  options: { requestId: string; concurrency?: number },
): Promise<CurrentRecords> {
  const { requestId } = options;
  const concurrency = options.concurrency ?? 8;
  let calls = 0;
  const guidance = new Map<string, SystemRecords['youth']>();
  for (const found of await pooled(chunks(cprs, GUIDANCE_BATCH_LIMIT), concurrency, (chunk) => {
    calls++;
    return sources.guidance.findByCprs(chunk, requestId);
  })) {
    for (const [cpr, youth] of found) guidance.set(cpr, youth);
  }
  const held = cprs.filter((cpr) => guidance.has(cpr));
  const [schools, jobcenter, social] = await Promise.all([
    pooled(chunks(held, SCHOOL_BATCH_LIMIT), concurrency, (chunk) => {
      calls++;
      return sources.school.findPupils(chunk, requestId);
    }),
    pooled(held, concurrency, (cpr) => {
      calls++;
      return sources.jobcenter.findCitizen(cpr, requestId);
    }),
    pooled(held, concurrency, (cpr) => {
      calls++;
      return sources.social.findCases(cpr, requestId);
    }),
  ]);
  const school = new Map<string, SchoolRecord>(schools.flatMap((found) => [...found]));
  const records = new Map<string, SystemRecords>();
  held.forEach((cpr, i) => {
    records.set(cpr, {
      youth: guidance.get(cpr)!,
      school: school.get(cpr) ?? null,
      jobcenter: jobcenter[i] ?? null,
      social: social[i] ?? null,
    });
  });
  return { records, notInRegister: new Set(cprs.filter((cpr) => !guidance.has(cpr))), calls };
}
