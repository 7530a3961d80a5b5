import type { MeasureType, Person, SocialUnit } from '../population/model.js';
import type { Population } from '../population/generate.js';
import { devCredentials, type SocialCredential } from '../credentials.js';
import { formats } from '../kit/dates.js';
import { fail, intParam } from '../kit/http.js';
import { resolveOptions, type SystemOptions } from '../kit/options.js';
import { Router } from '../kit/router.js';
import { createSimulatedSystem, header, sameSecret, type SimulatedSystem } from '../kit/system.js';
import { DANISH_TRACK } from '../kit/vocabulary.js';

/** Familiegrupperne and Specialgrupperne: cases and measures, HTTP Basic, dates `DD.MM.YYYY`, no batch. */
export const SOCIAL_PAGE_MAX = 1000;

const UNIT: Readonly<Record<SocialUnit, string>> = {
  FAMILY_GROUP_1: 'FAMILIEGRUPPE_1',
  FAMILY_GROUP_2: 'FAMILIEGRUPPE_2',
  FAMILY_GROUP_3: 'FAMILIEGRUPPE_3',
  FAMILY_GROUP_4: 'FAMILIEGRUPPE_4',
  SPECIAL_GROUP_CHILDREN: 'SPECIALGRUPPEN_BOERN',
  SPECIAL_GROUP_ADULTS: 'SPECIALGRUPPEN_VOKSNE',
};
const MEASURE: Readonly<Record<MeasureType, string>> = {
  CONTACT_PERSON: 'KONTAKTPERSON',
  FAMILY_TREATMENT: 'FAMILIEBEHANDLING',
  PLACEMENT_NETWORK: 'ANBRINGELSE_NETVAERK',
  PLACEMENT_FOSTER_FAMILY: 'ANBRINGELSE_PLEJEFAMILIE',
  PLACEMENT_INSTITUTION: 'ANBRINGELSE_INSTITUTION',
  AFTERCARE: 'EFTERVAERN',
  HOUSING_SUPPORT: 'BOSTOETTE',
  SUPPORTED_HOUSING: 'BOTILBUD',
};

export function toPersonSager(person: Person) {
  const social = person.social;
  if (!social || social.cases.length === 0) return null;
  const date = (iso: string): string => formats.dayMonthYearDotted(iso) ?? iso;
  return {
    personnummer: person.cpr,
    sager: social.cases.map((c) => ({
      sagsnr: c.caseNumber,
      enhed: UNIT[c.unit],
      sagsbehandler: { id: c.caseworker.id, navn: c.caseworker.name },
      aabnet: date(c.opened),
      lukket: formats.dayMonthYearDotted(c.closed),
      paragraf: c.legalBasis,
      foranstaltninger: c.measures.map((m) => ({ type: MEASURE[m.type], fra: date(m.from), til: formats.dayMonthYearDotted(m.to) })),
      maal: c.goal && { spor: DANISH_TRACK[c.goal.track], tekst: c.goal.text },
    })),
  };
}

export function createSocialSystem(
  population: Population,
  options?: Partial<SystemOptions<SocialCredential>>,
): SimulatedSystem<SocialCredential> {
  // The extract's persons, made again after a change (a first case opened).
  let sortedWithCases: Person[] | null = null;
  const withCases = (): Person[] =>
    (sortedWithCases ??= population.people.filter((p) => (p.social?.cases.length ?? 0) > 0).sort((a, b) => a.cpr.localeCompare(b.cpr)));

  const router = new Router()
    .add({
      method: 'GET',
      path: '/sag/api/personer/:cpr/sager',
      handler: ({ params }) => {
        const cpr = params.cpr ?? '';
        if (!/^\d{6}-\d{4}$/.test(cpr)) throw fail(400, 'Ugyldigt personnummer (forventet DDMMÅÅ-NNNN)');
        const person = population.byCpr.get(cpr);
        const record = person ? toPersonSager(person) : null;
        if (!record) throw fail(404, 'Ingen sager på personnummeret');
        return record;
      },
    })
    .add({
      method: 'GET',
      path: '/sag/api/udtraek',
      handler: ({ query }) => {
        const side = intParam(query, 'side', 1, 1, Number.MAX_SAFE_INTEGER);
        const antal = intParam(query, 'antal', 100, 1, SOCIAL_PAGE_MAX);
        const from = (side - 1) * antal;
        const all = withCases();
        const personer = all.slice(from, from + antal).map((p) => toPersonSager(p)!);
        return { personer, naesteSide: from + antal < all.length ? side + 1 : null };
      },
    });

  return createSimulatedSystem({
    name: 'social',
    population,
    options: resolveOptions(options, { ...devCredentials.social }),
    authenticate: (req, credential) => {
      const auth = header(req, 'authorization');
      if (!auth?.startsWith('Basic ')) return false;
      const decoded = Buffer.from(auth.slice(6), 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon < 0) return false;
      // Both compared, always: no early exit on a wrong user name.
      const userOk = sameSecret(decoded.slice(0, colon), credential.user);
      const passwordOk = sameSecret(decoded.slice(colon + 1), credential.password);
      return userOk && passwordOk;
    },
    challenge: { 'www-authenticate': 'Basic realm="Sagssystem", charset="UTF-8"' },
    router,
    changes: {
      style: {
        path: '/sag/api/aendringer',
        query: { after: 'efter', limit: 'antal', wait: 'vent' },
        list: 'aendringer',
        head: 'seneste',
        stream: 'stroem',
        oldest: 'aeldste',
        event: (e) => ({ nr: e.sequence, personnummer: e.cpr, tidspunkt: e.at, art: e.kind }),
      },
      defaultKind: 'SAG',
      onChange: () => {
        sortedWithCases = null;
      },
    },
  });
}
