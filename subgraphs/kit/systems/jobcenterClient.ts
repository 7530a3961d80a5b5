import type { Logger } from 'pino';
import { createSystemHttp, type SystemHttp } from '../systemHttp.js';
import type { JobcenterConnection } from './connections.js';
import { createChangeFeedReader, goneFields, sequenceOf, textOf, type ChangeFeedReader } from './changeFeedReader.js';
import { TRACK_FROM_DANISH, type EffortType, type Track } from '../vocabulary.js';
import { fromCompact, optional } from '../dates.js';

/** The jobcenter's record of a young person, in the graph's words. */
export interface JobcenterRecord {
  advisor: { id: string; name: string };
  category: 'EDUCATION_READY' | 'ACTIVITY_READY';
  referred: string;
  goal: { track: Track; text: string };
  efforts: { type: EffortType; start: string; end: string | null; description: string }[];
}

/** As the jobcenter system sends it (snake_case, dates as YYYYMMDD, CPR without dash). */
interface Borger {
  borger_cpr: string;
  raadgiver_id: string;
  raadgiver_navn: string;
  kategori: 'UDDANNELSESPARAT' | 'AKTIVITETSPARAT';
  visitations_dato: string;
  maal_spor: string;
  maal_tekst: string;
  indsatser: { indsats_type: string; start_dato: string; slut_dato: string | null; beskrivelse: string }[];
}

const EFFORT: Record<string, EffortType> = {
  VIRKSOMHEDSPRAKTIK: 'COMPANY_INTERNSHIP',
  LOENTILSKUD: 'WAGE_SUBSIDY',
  PROJEKT: 'PROJECT',
  BROBYGNING: 'BRIDGE_BUILDING',
  MENTOR: 'MENTOR',
};

export function toJobcenterRecord(borger: Borger): JobcenterRecord {
  return {
    advisor: { id: borger.raadgiver_id, name: borger.raadgiver_navn },
    category: borger.kategori === 'UDDANNELSESPARAT' ? 'EDUCATION_READY' : 'ACTIVITY_READY',
    referred: fromCompact(borger.visitations_dato),
    goal: { track: TRACK_FROM_DANISH[borger.maal_spor] ?? 'OTHER', text: borger.maal_tekst },
    efforts: borger.indsatser.map((i) => ({
      type: EFFORT[i.indsats_type] ?? 'PROJECT',
      start: fromCompact(i.start_dato),
      end: optional(i.slut_dato, fromCompact),
      description: i.beskrivelse,
    })),
  };
}

export class JobcenterClient {
  constructor(private readonly http: SystemHttp) {}

  /** The system answers one citizen per call; an unknown CPR number is null. */
  async findCitizen(cpr: string, requestId?: string): Promise<JobcenterRecord | null> {
    return this.http.request(
      { url: `/jobcenter/api/borgere/${encodeURIComponent(cpr.replace('-', ''))}`, nullOn404: true, requestId },
      toJobcenterRecord,
    );
  }

  /** A page (from 0) of every citizen the jobcenter serves, for the screening register. */
  async extract(
    page: number,
    size: number,
    requestId?: string,
  ): Promise<{ citizens: { cpr: string; record: JobcenterRecord }[]; next: number | null }> {
    const result = await this.http.request(
      { url: '/jobcenter/api/borgere', params: { page, size }, requestId },
      (body: { content: Borger[]; page: number; last: boolean }) => ({
        citizens: body.content.map((b) => ({ cpr: withDash(b.borger_cpr), record: toJobcenterRecord(b) })),
        next: body.last ? null : body.page + 1,
      }),
    );
    return result ?? { citizens: [], next: null };
  }
}

/** The jobcenter writes CPR numbers without the dash. */
function withDash(cpr10: string): string {
  return cpr10.includes('-') ? cpr10 : `${cpr10.slice(0, 6)}-${cpr10.slice(6)}`;
}

/** The configured client: base URL, credential, timeout and connection bound from the config. */
export function createJobcenterClient(system: JobcenterConnection, logger: Logger): JobcenterClient {
  return new JobcenterClient(
    createSystemHttp({
      service: 'jobcenter',
      baseURL: system.url,
      headers: { authorization: `Bearer ${system.apiKey}` },
      timeoutMs: system.timeoutMs,
      maxSockets: system.concurrency,
      policy: system,
      logger,
    }),
  );
}

/** The jobcenter's change feed: `GET /jobcenter/api/haendelser?after=&size=&wait=`, CPR numbers without the dash (systems/README.md). */
export function createJobcenterChangeFeed(system: JobcenterConnection): ChangeFeedReader {
  type Page = {
    content: { sekvens_nr: unknown; borger_cpr: unknown; tidspunkt: unknown; haendelse_type: unknown }[];
    head: unknown;
    stream: unknown;
  };
  return createChangeFeedReader<Page>(
    { service: 'jobcenter', baseURL: system.url, headers: { authorization: `Bearer ${system.apiKey}` }, timeoutMs: system.timeoutMs },
    {
      path: '/jobcenter/api/haendelser',
      query: { after: 'after', limit: 'size', wait: 'wait' },
      page: (body) => ({
        events: body.content.map((e) => ({
          sequence: sequenceOf(e.sekvens_nr, 'sekvens_nr'),
          cpr: withDash(textOf(e.borger_cpr, 'borger_cpr')),
          at: textOf(e.tidspunkt, 'tidspunkt'),
          kind: textOf(e.haendelse_type, 'haendelse_type'),
        })),
        head: sequenceOf(body.head, 'head'),
        stream: textOf(body.stream, 'stream'),
      }),
      gone: (body) => goneFields(body, 'head', 'stream'),
    },
  );
}
