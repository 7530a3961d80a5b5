import type { Logger } from 'pino';
import { createSystemHttp, type SystemHttp } from '../systemHttp.js';
import type { SchoolConnection } from './connections.js';
import { createChangeFeedReader, goneFields, sequenceOf, textOf, type ChangeFeedReader } from './changeFeedReader.js';
import { fromDayMonthYearDashed, optional } from '../dates.js';

/** The school administration's pupil record, in the graph's words. */
export interface SchoolRecord {
  school: { id: string; name: string };
  grade: number;
  className: string;
  absence: { schoolYear: string; schoolDays: number; absentDays: number; unlawfulAbsenceDates: string[] }[];
  pprInvolvedSince: string | null;
  wellbeingForum: boolean;
}

/** As the system sends it (elevadministrationens API v2). */
interface Elev {
  cpr: string;
  skoleNr: string;
  skoleNavn: string;
  klassetrin: number;
  klasse: string;
  fravaer: { skoleaar: string; skoledage: number; fravaersdage: number; ulovligtFravaer: string[] }[];
  ppr: { involveret: boolean; siden: string | null } | null;
  trivselsforum: boolean;
}

/** The system answers at most this many CPR numbers per batch look-up. */
export const SCHOOL_BATCH_LIMIT = 50;

export function toSchoolRecord(elev: Elev): SchoolRecord {
  return {
    school: { id: elev.skoleNr, name: elev.skoleNavn },
    grade: elev.klassetrin,
    className: elev.klasse,
    absence: elev.fravaer.map((year) => ({
      schoolYear: year.skoleaar,
      schoolDays: year.skoledage,
      absentDays: year.fravaersdage,
      unlawfulAbsenceDates: year.ulovligtFravaer.map(fromDayMonthYearDashed),
    })),
    pprInvolvedSince: elev.ppr?.involveret ? optional(elev.ppr.siden, fromDayMonthYearDashed) : null,
    wellbeingForum: elev.trivselsforum,
  };
}

export class SchoolClient {
  constructor(private readonly http: SystemHttp) {}

  /** One call for up to SCHOOL_BATCH_LIMIT pupils; CPR numbers the system does not know are absent. */
  async findPupils(cprs: readonly string[], requestId?: string): Promise<Map<string, SchoolRecord>> {
    const found = await this.http.request(
      { method: 'POST', url: '/api/v2/elever/opslag', data: { cprNumre: cprs }, idempotent: true, requestId },
      (body: { elever: Elev[] }) => new Map(body.elever.map((elev) => [elev.cpr, toSchoolRecord(elev)])),
    );
    return found ?? new Map();
  }

  /** A page (from 1) of every pupil, for the screening register. */
  async extract(
    page: number,
    size: number,
    requestId?: string,
  ): Promise<{ pupils: { cpr: string; record: SchoolRecord }[]; next: number | null }> {
    const result = await this.http.request(
      { url: '/api/v2/elever', params: { side: page, antal: size }, requestId },
      (body: { elever: Elev[]; naesteSide: number | null }) => ({
        pupils: body.elever.map((elev) => ({ cpr: elev.cpr, record: toSchoolRecord(elev) })),
        next: body.naesteSide,
      }),
    );
    return result ?? { pupils: [], next: null };
  }
}

/** The configured client: base URL, credential, timeout and connection bound from the config. */
export function createSchoolClient(system: SchoolConnection, logger: Logger): SchoolClient {
  return new SchoolClient(
    createSystemHttp({
      service: 'school',
      baseURL: system.url,
      headers: { 'x-api-key': system.apiKey },
      timeoutMs: system.timeoutMs,
      maxSockets: system.concurrency,
      policy: system,
      logger,
    }),
  );
}

/** The school administration's change feed: `GET /api/v2/aendringer?efter=&antal=&vent=` (systems/README.md). */
export function createSchoolChangeFeed(system: SchoolConnection): ChangeFeedReader {
  type Page = { aendringer: { loebenr: unknown; cpr: unknown; tidspunkt: unknown; art: unknown }[]; hoved: unknown; stroem: unknown };
  return createChangeFeedReader<Page>(
    { service: 'school', baseURL: system.url, headers: { 'x-api-key': system.apiKey }, timeoutMs: system.timeoutMs },
    {
      path: '/api/v2/aendringer',
      query: { after: 'efter', limit: 'antal', wait: 'vent' },
      page: (body) => ({
        events: body.aendringer.map((e) => ({
          sequence: sequenceOf(e.loebenr, 'loebenr'),
          cpr: textOf(e.cpr, 'cpr'),
          at: textOf(e.tidspunkt, 'tidspunkt'),
          kind: textOf(e.art, 'art'),
        })),
        head: sequenceOf(body.hoved, 'hoved'),
        stream: textOf(body.stroem, 'stroem'),
      }),
      gone: (body) => goneFields(body, 'hoved', 'stroem'),
    },
  );
}
