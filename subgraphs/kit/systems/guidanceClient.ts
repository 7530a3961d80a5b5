import type { Logger } from 'pino';
import { createSystemHttp, type SystemHttp } from '../systemHttp.js';
import type { GuidanceConnection } from './connections.js';
import { createChangeFeedReader, goneFields, sequenceOf, textOf, type ChangeFeedReader } from './changeFeedReader.js';
import { TRACK_FROM_DANISH, type Track } from '../vocabulary.js';
import { fromIsoDate, optional } from '../dates.js';

/** A young person as UU's youth register (ungeregisteret) knows them, in the graph's words. */
export interface GuidanceYouth {
  id: string;
  cpr: string;
  firstName: string;
  lastName: string;
  birthDate: string;
  gender: 'FEMALE' | 'MALE';
  guidance: GuidanceRecord;
}

export interface InstitutionLink {
  institution: { id: string; name: string };
  programme: string;
  status: 'ENROLLED' | 'APPLYING' | 'DROPPED_OUT' | 'COMPLETED';
  start: string;
  end: string | null;
  needsSupport: boolean;
}

export interface ReadinessAssessment {
  date: string;
  kind: 'PRELIMINARY' | 'FINAL' | 'REASSESSMENT';
  grade: number;
  vocational: 'READY' | 'NOT_READY';
  upperSecondary: 'READY' | 'NOT_READY';
  gradeAverage: number;
  academic: boolean;
  personal: boolean;
  social: boolean;
  practical: boolean;
}

export interface GuidanceRecord {
  counsellor: { initials: string; name: string; email: string };
  readinessHistory: ReadinessAssessment[];
  educationPlan: { goal: string; track: Track; updated: string; steps: { text: string; due: string; done: boolean }[] } | null;
  institutions: InstitutionLink[];
  completedYouthEducation: boolean;
  vocationalQualification: boolean;
  fguTargetGroup: boolean;
  activity: 'EDUCATION' | 'FULL_TIME_WORK' | 'PART_TIME_WORK' | 'UNEMPLOYED' | 'OTHER';
  educationDuty: { fulfilled: boolean } | null;
}

/** As UU's system sends it. */
interface Ung {
  uuId: string;
  cpr: string;
  fornavn: string;
  efternavn: string;
  foedselsdato: string;
  koen: 'K' | 'M';
  vejleder: { initialer: string; navn: string; email: string };
  upv: {
    dato: string;
    type: 'FORELOEBIG' | 'ENDELIG' | 'REVURDERING';
    klassetrin: number;
    eud: 'PARAT' | 'IKKE_PARAT';
    gym: 'PARAT' | 'IKKE_PARAT';
    karaktergennemsnit: number;
    faglig: boolean;
    personlig: boolean;
    social: boolean;
    praksis: boolean;
  }[];
  uddannelsesplan: {
    maal: string;
    spor: string;
    opdateret: string;
    delmaal: { tekst: string; frist: string; status: 'AABEN' | 'OPFYLDT' }[];
  } | null;
  tilknytninger: {
    institutionNr: string;
    institutionNavn: string;
    uddannelse: string;
    status: 'INDSKREVET' | 'ANSOEGER' | 'AFBRUDT' | 'FULDFOERT';
    start: string;
    slut: string | null;
    stoettebehov: boolean;
  }[];
  ungdomsuddannelseFuldfoert: boolean;
  erhvervskompetence: boolean;
  fguMaalgruppe: boolean;
  aktivitet: 'UDDANNELSE' | 'FULDTIDSJOB' | 'DELTIDSJOB' | 'LEDIG' | 'ANDET';
  uddannelsespligt: { opfyldt: boolean } | null;
}

export const GUIDANCE_BATCH_LIMIT = 100;

const ASSESSMENT_KIND = { FORELOEBIG: 'PRELIMINARY', ENDELIG: 'FINAL', REVURDERING: 'REASSESSMENT' } as const;
const READINESS = { PARAT: 'READY', IKKE_PARAT: 'NOT_READY' } as const;
const LINK_STATUS = { INDSKREVET: 'ENROLLED', ANSOEGER: 'APPLYING', AFBRUDT: 'DROPPED_OUT', FULDFOERT: 'COMPLETED' } as const;
const ACTIVITY = {
  UDDANNELSE: 'EDUCATION',
  FULDTIDSJOB: 'FULL_TIME_WORK',
  DELTIDSJOB: 'PART_TIME_WORK',
  LEDIG: 'UNEMPLOYED',
  ANDET: 'OTHER',
} as const;

export function toGuidanceYouth(ung: Ung): GuidanceYouth {
  return {
    id: ung.uuId,
    cpr: ung.cpr,
    firstName: ung.fornavn,
    lastName: ung.efternavn,
    birthDate: fromIsoDate(ung.foedselsdato),
    gender: ung.koen === 'K' ? 'FEMALE' : 'MALE',
    guidance: {
      counsellor: { initials: ung.vejleder.initialer, name: ung.vejleder.navn, email: ung.vejleder.email },
      readinessHistory: ung.upv
        .map((a) => ({
          date: fromIsoDate(a.dato),
          kind: ASSESSMENT_KIND[a.type],
          grade: a.klassetrin,
          vocational: READINESS[a.eud],
          upperSecondary: READINESS[a.gym],
          gradeAverage: a.karaktergennemsnit,
          academic: a.faglig,
          personal: a.personlig,
          social: a.social,
          practical: a.praksis,
        }))
        .sort((a, b) => b.date.localeCompare(a.date)),
      educationPlan: ung.uddannelsesplan && {
        goal: ung.uddannelsesplan.maal,
        track: TRACK_FROM_DANISH[ung.uddannelsesplan.spor] ?? 'OTHER',
        updated: fromIsoDate(ung.uddannelsesplan.opdateret),
        steps: ung.uddannelsesplan.delmaal.map((s) => ({ text: s.tekst, due: fromIsoDate(s.frist), done: s.status === 'OPFYLDT' })),
      },
      institutions: ung.tilknytninger.map((t) => ({
        institution: { id: t.institutionNr, name: t.institutionNavn },
        programme: t.uddannelse,
        status: LINK_STATUS[t.status],
        start: fromIsoDate(t.start),
        end: optional(t.slut, fromIsoDate),
        needsSupport: t.stoettebehov,
      })),
      completedYouthEducation: ung.ungdomsuddannelseFuldfoert,
      vocationalQualification: ung.erhvervskompetence,
      fguTargetGroup: ung.fguMaalgruppe,
      activity: ACTIVITY[ung.aktivitet],
      educationDuty: ung.uddannelsespligt && { fulfilled: ung.uddannelsespligt.opfyldt },
    },
  };
}

export class GuidanceClient {
  constructor(private readonly http: SystemHttp) {}

  /** One call for up to GUIDANCE_BATCH_LIMIT young people by CPR number. */
  async findByCprs(cprs: readonly string[], requestId?: string): Promise<Map<string, GuidanceYouth>> {
    const found = await this.http.request(
      { url: '/uu/unge', params: { cpr: cprs.join(',') }, requestId },
      (body: { unge: Ung[] }) => new Map(body.unge.map((ung) => [ung.cpr, toGuidanceYouth(ung)])),
    );
    return found ?? new Map();
  }

  /** One call for up to GUIDANCE_BATCH_LIMIT young people by UU's own key (the graph's Youth.id). */
  async findByIds(ids: readonly string[], requestId?: string): Promise<Map<string, GuidanceYouth>> {
    const found = await this.http.request(
      { url: '/uu/unge', params: { id: ids.join(',') }, requestId },
      (body: { unge: Ung[] }) => new Map(body.unge.map((ung) => [ung.uuId, toGuidanceYouth(ung)])),
    );
    return found ?? new Map();
  }

  /** A page of the whole register, for the screening job: after `from` (exclusive), in uuId order. */
  async extract(from: string | null, size: number, requestId?: string): Promise<{ youths: GuidanceYouth[]; next: string | null }> {
    const page = await this.http.request(
      { url: '/uu/unge', params: { ...(from ? { fra: from } : {}), antal: size }, requestId },
      (body: { unge: Ung[]; naeste: string | null }) => ({ youths: body.unge.map(toGuidanceYouth), next: body.naeste }),
    );
    return page ?? { youths: [], next: null };
  }
}

/** The configured client: base URL, credential, timeout and connection bound from the config. */
export function createGuidanceClient(system: GuidanceConnection, logger: Logger): GuidanceClient {
  return new GuidanceClient(
    createSystemHttp({
      service: 'guidance',
      baseURL: system.url,
      headers: { 'x-uu-token': system.token },
      timeoutMs: system.timeoutMs,
      maxSockets: system.concurrency,
      policy: system,
      logger,
    }),
  );
}

/** UU's change feed: `GET /uu/haendelser?efter=&antal=&vent=`; its events carry UU's own key too (systems/README.md). */
export function createGuidanceChangeFeed(system: GuidanceConnection): ChangeFeedReader {
  type Page = {
    haendelser: { nr: unknown; cpr: unknown; uuId: unknown; tid: unknown; type: unknown }[];
    seneste: unknown;
    stroemId: unknown;
  };
  return createChangeFeedReader<Page>(
    { service: 'guidance', baseURL: system.url, headers: { 'x-uu-token': system.token }, timeoutMs: system.timeoutMs },
    {
      path: '/uu/haendelser',
      query: { after: 'efter', limit: 'antal', wait: 'vent' },
      page: (body) => ({
        events: body.haendelser.map((e) => ({
          sequence: sequenceOf(e.nr, 'nr'),
          cpr: textOf(e.cpr, 'cpr'),
          youthId: textOf(e.uuId, 'uuId'),
          at: textOf(e.tid, 'tid'),
          kind: textOf(e.type, 'type'),
        })),
        head: sequenceOf(body.seneste, 'seneste'),
        stream: textOf(body.stroemId, 'stroemId'),
      }),
      gone: (body) => goneFields(body, 'seneste', 'stroemId'),
    },
  );
}
