import type { Logger } from 'pino';
import { createSystemHttp, type SystemHttp } from '../systemHttp.js';
import type { BenefitsConnection } from './connections.js';
import type { BenefitType } from '../vocabulary.js';
import { fromIsoDateTime, optional, UpstreamFormatError } from '../dates.js';

/** What the benefits office pays a young person, in the graph's words. */
export interface BenefitsRecord {
  payments: { type: BenefitType; from: string; to: string | null; monthlyAmountDkk: number }[];
  oneOffPayments: { type: string; date: string; amountDkk: number }[];
}

/** As the benefits system sends it (ISO date-times, amounts as Danish-formatted strings). */
interface Modtager {
  cprnr: string;
  ydelser: { ydelsestype: string; periodeFra: string; periodeTil: string | null; beloebPrMaaned: string }[];
  engangsydelser: { type: string; dato: string; beloeb: string }[];
}

export const BENEFITS_BATCH_LIMIT = 40;

const BENEFIT: Record<string, BenefitType> = {
  UDDANNELSESHJAELP: 'EDUCATION_BENEFIT',
  KONTANTHJAELP: 'CASH_BENEFIT',
  RESSOURCEFORLOEBSYDELSE: 'RESOURCE_COURSE_BENEFIT',
  OVERGANGSYDELSE: 'TRANSITION_BENEFIT',
};

/** "6.118,00" → 6118 (thousands separated by dots, decimals by a comma). */
export function parseDanishAmount(raw: string): number {
  if (!/^-?\d{1,3}(\.\d{3})*(,\d{1,2})?$/.test(raw)) throw new UpstreamFormatError(`not a Danish amount: "${raw}"`);
  return Number(raw.replaceAll('.', '').replace(',', '.'));
}

export function toBenefitsRecord(modtager: Modtager): BenefitsRecord {
  return {
    payments: modtager.ydelser.map((y) => ({
      type: BENEFIT[y.ydelsestype] ?? 'CASH_BENEFIT',
      from: fromIsoDateTime(y.periodeFra),
      to: optional(y.periodeTil, fromIsoDateTime),
      monthlyAmountDkk: parseDanishAmount(y.beloebPrMaaned),
    })),
    oneOffPayments: modtager.engangsydelser.map((e) => ({
      type: e.type,
      date: fromIsoDateTime(e.dato),
      amountDkk: parseDanishAmount(e.beloeb),
    })),
  };
}

export class BenefitsClient {
  constructor(private readonly http: SystemHttp) {}

  /** One call for up to BENEFITS_BATCH_LIMIT recipients; CPR numbers with no payments are absent. */
  async findRecipients(cprs: readonly string[], requestId?: string): Promise<Map<string, BenefitsRecord>> {
    const found = await this.http.request(
      { method: 'POST', url: '/ydelser/v1/modtagere/soeg', data: { cprnr: cprs }, idempotent: true, requestId },
      (body: { modtagere: Modtager[] }) => new Map(body.modtagere.map((m) => [m.cprnr, toBenefitsRecord(m)])),
    );
    return found ?? new Map();
  }
}

/** The configured client: base URL, credential, timeout and connection bound from the config. */
export function createBenefitsClient(system: BenefitsConnection, logger: Logger): BenefitsClient {
  return new BenefitsClient(
    createSystemHttp({
      service: 'benefits',
      baseURL: system.url,
      headers: { 'x-client-id': system.clientId, 'x-client-secret': system.clientSecret },
      timeoutMs: system.timeoutMs,
      maxSockets: system.concurrency,
      policy: system,
      logger,
    }),
  );
}
