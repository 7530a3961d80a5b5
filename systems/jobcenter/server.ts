import type { EffortType, Person } from '../population/model.js';
import type { Population } from '../population/generate.js';
import { cprDigits } from '../population/cpr.js';
import { devCredentials, type JobcenterCredential } from '../credentials.js';
import { formats } from '../kit/dates.js';
import { fail, intParam } from '../kit/http.js';
import { resolveOptions, type SystemOptions } from '../kit/options.js';
import { Router } from '../kit/router.js';
import { createSimulatedSystem, header, sameSecret, type SimulatedSystem } from '../kit/system.js';
import { DANISH_TRACK } from '../kit/vocabulary.js';

/** Uddannelseshuset Jobcenter: 18-29 without a vocational qualification, Bearer key, dates `YYYYMMDD`, no batch. */
export const JOBCENTER_PAGE_MAX = 1000;

const EFFORT: Readonly<Record<EffortType, string>> = {
  COMPANY_INTERNSHIP: 'VIRKSOMHEDSPRAKTIK',
  WAGE_SUBSIDY: 'LOENTILSKUD',
  PROJECT: 'PROJEKT',
  BRIDGE_BUILDING: 'BROBYGNING',
  MENTOR: 'MENTOR',
};

export function toBorger(person: Person) {
  const jc = person.jobcenter;
  if (!jc) return null;
  const date = (iso: string): string => formats.compactDate(iso) ?? iso;
  return {
    borger_cpr: cprDigits(person.cpr),
    raadgiver_id: jc.advisor.id,
    raadgiver_navn: jc.advisor.name,
    kategori: jc.category === 'EDUCATION_READY' ? 'UDDANNELSESPARAT' : 'AKTIVITETSPARAT',
    visitations_dato: date(jc.referred),
    maal_spor: DANISH_TRACK[jc.goal.track],
    maal_tekst: jc.goal.text,
    indsatser: jc.efforts.map((e) => ({
      indsats_type: EFFORT[e.type],
      start_dato: date(e.start),
      slut_dato: formats.compactDate(e.end),
      beskrivelse: e.description,
    })),
  };
}

export function createJobcenterSystem(
  population: Population,
  options?: Partial<SystemOptions<JobcenterCredential>>,
): SimulatedSystem<JobcenterCredential> {
  // The caseload and its index, made again after a change (a citizen may have been referred or let go).
  let derived: { caseload: Person[]; byDigits: Map<string, Person> } | null = null;
  const current = () => {
    if (!derived) {
      const caseload = population.people.filter((p) => p.jobcenter !== null).sort((a, b) => a.cpr.localeCompare(b.cpr));
      derived = { caseload, byDigits: new Map(caseload.map((p) => [cprDigits(p.cpr), p])) };
    }
    return derived;
  };

  const router = new Router()
    .add({
      method: 'GET',
      path: '/jobcenter/api/borgere/:cpr',
      handler: ({ params }) => {
        const cpr = params.cpr ?? '';
        if (!/^\d{10}$/.test(cpr)) throw fail(400, 'Ugyldigt CPR-nummer: angives som 10 cifre uden bindestreg');
        const person = current().byDigits.get(cpr);
        if (!person) throw fail(404, 'Borgeren er ikke tilknyttet jobcentret');
        return toBorger(person);
      },
    })
    .add({
      method: 'GET',
      path: '/jobcenter/api/borgere',
      handler: ({ query }) => {
        const page = intParam(query, 'page', 0, 0, Number.MAX_SAFE_INTEGER);
        const size = intParam(query, 'size', 100, 1, JOBCENTER_PAGE_MAX);
        const from = page * size;
        const { caseload } = current();
        const content = caseload.slice(from, from + size).map((p) => toBorger(p)!);
        return { content, page, last: from + size >= caseload.length };
      },
    });

  return createSimulatedSystem({
    name: 'jobcenter',
    population,
    options: resolveOptions(options, { ...devCredentials.jobcenter }),
    authenticate: (req, credential) => {
      const auth = header(req, 'authorization');
      return auth !== undefined && auth.startsWith('Bearer ') && sameSecret(auth.slice(7), credential.apiKey);
    },
    router,
    changes: {
      style: {
        path: '/jobcenter/api/haendelser',
        query: { after: 'after', limit: 'size', wait: 'wait' },
        list: 'content',
        head: 'head',
        stream: 'stream',
        oldest: 'oldest',
        event: (e) => ({ sekvens_nr: e.sequence, borger_cpr: cprDigits(e.cpr), tidspunkt: e.at, haendelse_type: e.kind }),
      },
      defaultKind: 'BORGER',
      onChange: () => {
        derived = null;
      },
    },
  });
}
