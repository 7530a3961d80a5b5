import type { BenefitType, Person } from '../population/model.js';
import type { Population } from '../population/generate.js';
import { devCredentials, type BenefitsCredential } from '../credentials.js';
import { danishAmount, formats } from '../kit/dates.js';
import { enforceBatchLimit, fail, readJsonBody, stringList } from '../kit/http.js';
import { resolveOptions, type SystemOptions } from '../kit/options.js';
import { Router } from '../kit/router.js';
import { createSimulatedSystem, header, sameSecret, type SimulatedSystem } from '../kit/system.js';

/** Ydelsesafdelingen: payments 18+, `X-Client-Id` + `X-Client-Secret`, ISO date-times, amounts as Danish strings. */
export const BENEFITS_BATCH_LIMIT = 40;

const BENEFIT: Readonly<Record<BenefitType, string>> = {
  EDUCATION_BENEFIT: 'UDDANNELSESHJAELP',
  CASH_BENEFIT: 'KONTANTHJAELP',
  RESOURCE_COURSE_BENEFIT: 'RESSOURCEFORLOEBSYDELSE',
  TRANSITION_BENEFIT: 'OVERGANGSYDELSE',
};

export function toModtager(person: Person) {
  const b = person.benefits;
  if (!b) return null;
  const dateTime = (iso: string): string => formats.isoDateTime(iso) ?? iso;
  return {
    cprnr: person.cpr,
    ydelser: b.payments.map((p) => ({
      ydelsestype: BENEFIT[p.type],
      periodeFra: dateTime(p.from),
      periodeTil: formats.isoDateTime(p.to),
      beloebPrMaaned: danishAmount(p.monthlyAmountDkk),
    })),
    engangsydelser: b.oneOff.map((o) => ({ type: o.type, dato: dateTime(o.date), beloeb: danishAmount(o.amountDkk) })),
  };
}

export function createBenefitsSystem(
  population: Population,
  options?: Partial<SystemOptions<BenefitsCredential>>,
): SimulatedSystem<BenefitsCredential> {
  const recipient = (cpr: string): Person | undefined => {
    const person = population.byCpr.get(cpr);
    return person?.benefits ? person : undefined;
  };

  const router = new Router()
    .add({
      method: 'POST',
      path: '/ydelser/v1/modtagere/soeg',
      handler: async ({ req }) => {
        const cprs = stringList(await readJsonBody(req), 'cprnr');
        enforceBatchLimit(cprs.length, BENEFITS_BATCH_LIMIT);
        const modtagere = [...new Set(cprs)]
          .map(recipient)
          .filter((p) => p !== undefined)
          .map((p) => toModtager(p)!);
        return { modtagere };
      },
    })
    .add({
      method: 'GET',
      path: '/ydelser/v1/modtagere/:cpr',
      handler: ({ params }) => {
        const cpr = params.cpr ?? '';
        if (!/^\d{6}-\d{4}$/.test(cpr)) throw fail(400, 'Ugyldigt CPR-nummer (forventet DDMMÅÅ-NNNN)');
        const person = recipient(cpr);
        if (!person) throw fail(404, 'Ingen ydelser registreret på CPR-nummeret');
        return toModtager(person);
      },
    });

  return createSimulatedSystem({
    name: 'benefits',
    population,
    options: resolveOptions(options, { ...devCredentials.benefits }),
    authenticate: (req, credential) => {
      const idOk = sameSecret(header(req, 'x-client-id'), credential.clientId);
      const secretOk = sameSecret(header(req, 'x-client-secret'), credential.clientSecret);
      return idOk && secretOk;
    },
    router,
    changes: {
      style: {
        path: '/ydelser/v1/haendelser',
        query: { after: 'efter', limit: 'antal', wait: 'vent' },
        list: 'haendelser',
        head: 'hoved',
        stream: 'stroem',
        oldest: 'aeldste',
        event: (e) => ({ sekvens: e.sequence, cprnr: e.cpr, tidspunkt: e.at, type: e.kind }),
      },
      defaultKind: 'MODTAGER',
    },
  });
}
