import type { Logger } from 'pino';
import { createSystemHttp, type SystemHttp } from '../systemHttp.js';
import type { SocialConnection } from './connections.js';
import { createChangeFeedReader, goneFields, sequenceOf, textOf, type ChangeFeedReader } from './changeFeedReader.js';
import { TRACK_FROM_DANISH, type MeasureType, type SocialUnit, type Track } from '../vocabulary.js';
import { fromDayMonthYearDotted, optional } from '../dates.js';

/** Social services' cases for one young person, in the graph's words. */
export interface SocialCase {
  caseNumber: string;
  unit: SocialUnit;
  caseworker: { id: string; name: string };
  opened: string;
  closed: string | null;
  legalBasis: string;
  measures: { type: MeasureType; from: string; to: string | null }[];
  goal: { track: Track; text: string } | null;
}
export interface SocialRecord {
  cases: SocialCase[];
}

/** As the case system sends it (DD.MM.YYYY dates). */
interface Sag {
  sagsnr: string;
  enhed: string;
  sagsbehandler: { id: string; navn: string };
  aabnet: string;
  lukket: string | null;
  paragraf: string;
  foranstaltninger: { type: string; fra: string; til: string | null }[];
  maal: { spor: string; tekst: string } | null;
}

const UNIT: Record<string, SocialUnit> = {
  FAMILIEGRUPPE_1: 'FAMILY_GROUP_1',
  FAMILIEGRUPPE_2: 'FAMILY_GROUP_2',
  FAMILIEGRUPPE_3: 'FAMILY_GROUP_3',
  FAMILIEGRUPPE_4: 'FAMILY_GROUP_4',
  SPECIALGRUPPEN_BOERN: 'SPECIAL_GROUP_CHILDREN',
  SPECIALGRUPPEN_VOKSNE: 'SPECIAL_GROUP_ADULTS',
};
const MEASURE: Record<string, MeasureType> = {
  KONTAKTPERSON: 'CONTACT_PERSON',
  FAMILIEBEHANDLING: 'FAMILY_TREATMENT',
  ANBRINGELSE_NETVAERK: 'PLACEMENT_NETWORK',
  ANBRINGELSE_PLEJEFAMILIE: 'PLACEMENT_FOSTER_FAMILY',
  ANBRINGELSE_INSTITUTION: 'PLACEMENT_INSTITUTION',
  EFTERVAERN: 'AFTERCARE',
  BOSTOETTE: 'HOUSING_SUPPORT',
  BOTILBUD: 'SUPPORTED_HOUSING',
};

export function toSocialCase(sag: Sag): SocialCase {
  return {
    caseNumber: sag.sagsnr,
    unit: UNIT[sag.enhed] ?? 'SPECIAL_GROUP_ADULTS',
    caseworker: { id: sag.sagsbehandler.id, name: sag.sagsbehandler.navn },
    opened: fromDayMonthYearDotted(sag.aabnet),
    closed: optional(sag.lukket, fromDayMonthYearDotted),
    legalBasis: sag.paragraf,
    measures: sag.foranstaltninger.map((f) => ({
      type: MEASURE[f.type] ?? 'FAMILY_TREATMENT',
      from: fromDayMonthYearDotted(f.fra),
      to: optional(f.til, fromDayMonthYearDotted),
    })),
    goal: sag.maal && { track: TRACK_FROM_DANISH[sag.maal.spor] ?? 'OTHER', text: sag.maal.tekst },
  };
}

export class SocialClient {
  constructor(private readonly http: SystemHttp) {}

  /** One person per call; null when social services hold no case for the CPR number. */
  async findCases(cpr: string, requestId?: string): Promise<SocialRecord | null> {
    const record = await this.http.request(
      { url: `/sag/api/personer/${encodeURIComponent(cpr)}/sager`, nullOn404: true, requestId },
      (body: { personnummer: string; sager: Sag[] }) => ({
        cases: body.sager.map(toSocialCase).sort((a, b) => b.opened.localeCompare(a.opened)),
      }),
    );
    return record && record.cases.length > 0 ? record : null;
  }

  /** A page (from 1) of every person with a case, for the screening register. */
  async extract(
    page: number,
    size: number,
    requestId?: string,
  ): Promise<{ persons: { cpr: string; record: SocialRecord }[]; next: number | null }> {
    const result = await this.http.request(
      { url: '/sag/api/udtraek', params: { side: page, antal: size }, requestId },
      (body: { personer: { personnummer: string; sager: Sag[] }[]; naesteSide: number | null }) => ({
        persons: body.personer.map((p) => ({ cpr: p.personnummer, record: { cases: p.sager.map(toSocialCase) } })),
        next: body.naesteSide,
      }),
    );
    return result ?? { persons: [], next: null };
  }
}

/** The configured client: base URL, credential, timeout and connection bound from the config. */
export function createSocialClient(system: SocialConnection, logger: Logger): SocialClient {
  return new SocialClient(
    createSystemHttp({
      service: 'social',
      baseURL: system.url,
      auth: { username: system.user, password: system.password },
      timeoutMs: system.timeoutMs,
      maxSockets: system.concurrency,
      policy: system,
      logger,
    }),
  );
}

/** Social services' change feed: `GET /sag/api/aendringer?efter=&antal=&vent=` (systems/README.md). */
export function createSocialChangeFeed(system: SocialConnection): ChangeFeedReader {
  type Page = { aendringer: { nr: unknown; personnummer: unknown; tidspunkt: unknown; art: unknown }[]; seneste: unknown; stroem: unknown };
  return createChangeFeedReader<Page>(
    {
      service: 'social',
      baseURL: system.url,
      auth: { username: system.user, password: system.password },
      timeoutMs: system.timeoutMs,
    },
    {
      path: '/sag/api/aendringer',
      query: { after: 'efter', limit: 'antal', wait: 'vent' },
      page: (body) => ({
        events: body.aendringer.map((e) => ({
          sequence: sequenceOf(e.nr, 'nr'),
          cpr: textOf(e.personnummer, 'personnummer'),
          at: textOf(e.tidspunkt, 'tidspunkt'),
          kind: textOf(e.art, 'art'),
        })),
        head: sequenceOf(body.seneste, 'seneste'),
        stream: textOf(body.stroem, 'stroem'),
      }),
      gone: (body) => goneFields(body, 'seneste', 'stroem'),
    },
  );
}
