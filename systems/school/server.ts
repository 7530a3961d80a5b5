import type { Person } from '../population/model.js';
import type { Population } from '../population/generate.js';
import { devCredentials, type SchoolCredential } from '../credentials.js';
import { formats } from '../kit/dates.js';
import { enforceBatchLimit, fail, intParam, readJsonBody, stringList } from '../kit/http.js';
import { resolveOptions, type SystemOptions } from '../kit/options.js';
import { Router } from '../kit/router.js';
import { createSimulatedSystem, header, sameSecret, type SimulatedSystem } from '../kit/system.js';

/** Skoleforvaltningen's pupil administration (elevadministration): grades 7-10, `X-Api-Key`, dates `DD-MM-YYYY`. */
export const SCHOOL_BATCH_LIMIT = 50;
export const SCHOOL_PAGE_MAX = 1000;

export interface Elev {
  cpr: string;
  fornavn: string;
  efternavn: string;
  skoleNr: string;
  skoleNavn: string;
  klassetrin: number;
  klasse: string;
  fravaer: { skoleaar: string; skoledage: number; fravaersdage: number; ulovligtFravaer: string[] }[];
  ppr: { involveret: boolean; siden: string | null };
  trivselsforum: boolean;
}

export function toElev(person: Person): Elev | null {
  const school = person.school;
  if (!school) return null;
  return {
    cpr: person.cpr,
    fornavn: person.firstName,
    efternavn: person.lastName,
    skoleNr: school.schoolId,
    skoleNavn: school.schoolName,
    klassetrin: school.grade,
    klasse: school.className,
    fravaer: school.absence.map((year) => ({
      skoleaar: year.schoolYear,
      skoledage: year.schoolDays,
      fravaersdage: year.absentDays,
      ulovligtFravaer: year.unlawfulAbsenceDates.map((d) => formats.dayMonthYearDashed(d) ?? d),
    })),
    ppr: { involveret: school.pprInvolvedSince !== null, siden: formats.dayMonthYearDashed(school.pprInvolvedSince) },
    trivselsforum: school.wellbeingForum,
  };
}

export function createSchoolSystem(
  population: Population,
  options?: Partial<SystemOptions<SchoolCredential>>,
): SimulatedSystem<SchoolCredential> {
  // The extract's order, made again after a change (a pupil may have come or gone).
  let sortedPupils: Person[] | null = null;
  const pupils = (): Person[] =>
    (sortedPupils ??= population.people.filter((p) => p.school !== null).sort((a, b) => a.cpr.localeCompare(b.cpr)));
  const pupilByCpr = (cpr: string): Person | undefined => {
    const person = population.byCpr.get(cpr);
    return person?.school ? person : undefined;
  };

  const router = new Router()
    .add({
      method: 'POST',
      path: '/api/v2/elever/opslag',
      handler: async ({ req }) => {
        const cprs = stringList(await readJsonBody(req), 'cprNumre');
        enforceBatchLimit(cprs.length, SCHOOL_BATCH_LIMIT);
        const elever = [...new Set(cprs)]
          .map(pupilByCpr)
          .filter((p) => p !== undefined)
          .map((p) => toElev(p)!);
        return { elever };
      },
    })
    .add({
      method: 'GET',
      path: '/api/v2/elever/:cpr',
      handler: ({ params }) => {
        const cpr = params.cpr ?? '';
        if (!/^\d{6}-\d{4}$/.test(cpr)) throw fail(400, 'Ugyldigt CPR-nummer (forventet DDMMÅÅ-NNNN)');
        const person = pupilByCpr(cpr);
        if (!person) throw fail(404, 'Eleven findes ikke');
        return toElev(person);
      },
    })
    .add({
      method: 'GET',
      path: '/api/v2/elever',
      handler: ({ query }) => {
        const side = intParam(query, 'side', 1, 1, Number.MAX_SAFE_INTEGER);
        const antal = intParam(query, 'antal', 100, 1, SCHOOL_PAGE_MAX);
        const from = (side - 1) * antal;
        const all = pupils();
        const elever = all.slice(from, from + antal).map((p) => toElev(p)!);
        return { elever, naesteSide: from + antal < all.length ? side + 1 : null };
      },
    });

  return createSimulatedSystem({
    name: 'school',
    population,
    options: resolveOptions(options, { ...devCredentials.school }),
    authenticate: (req, credential) => sameSecret(header(req, 'x-api-key'), credential.apiKey),
    router,
    changes: {
      style: {
        path: '/api/v2/aendringer',
        query: { after: 'efter', limit: 'antal', wait: 'vent' },
        list: 'aendringer',
        head: 'hoved',
        stream: 'stroem',
        oldest: 'aeldste',
        event: (e) => ({ loebenr: e.sequence, cpr: e.cpr, tidspunkt: e.at, art: e.kind }),
      },
      defaultKind: 'ELEV',
      onChange: () => {
        sortedPupils = null;
      },
    },
  });
}
