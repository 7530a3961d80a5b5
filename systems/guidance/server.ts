import type { Activity, InstitutionLink, Person, ReadinessAssessment } from '../population/model.js';
import type { Population } from '../population/generate.js';
import { devCredentials, type GuidanceCredential } from '../credentials.js';
import { formats } from '../kit/dates.js';
import { commaList, enforceBatchLimit, fail, intParam } from '../kit/http.js';
import { resolveOptions, type SystemOptions } from '../kit/options.js';
import { Router } from '../kit/router.js';
import { DANISH_TRACK } from '../kit/vocabulary.js';
import { createSimulatedSystem, header, sameSecret, type SimulatedSystem } from '../kit/system.js';

/** UU's youth register (ungeregister): everyone 13-29, `X-UU-Token`, dates `YYYY-MM-DD`. */
export const GUIDANCE_BATCH_LIMIT = 100;
export const GUIDANCE_PAGE_MAX = 1000;

const ASSESSMENT_KIND: Readonly<Record<ReadinessAssessment['kind'], string>> = {
  PRELIMINARY: 'FORELOEBIG',
  FINAL: 'ENDELIG',
  REASSESSMENT: 'REVURDERING',
};
const READINESS = { READY: 'PARAT', NOT_READY: 'IKKE_PARAT' } as const;
const LINK_STATUS: Readonly<Record<InstitutionLink['status'], string>> = {
  ENROLLED: 'INDSKREVET',
  APPLYING: 'ANSOEGER',
  DROPPED_OUT: 'AFBRUDT',
  COMPLETED: 'FULDFOERT',
};
const ACTIVITY: Readonly<Record<Activity, string>> = {
  EDUCATION: 'UDDANNELSE',
  FULL_TIME_WORK: 'FULDTIDSJOB',
  PART_TIME_WORK: 'DELTIDSJOB',
  UNEMPLOYED: 'LEDIG',
  OTHER: 'ANDET',
};

export function toUng(person: Person) {
  const g = person.guidance;
  const date = (iso: string): string => formats.isoDate(iso) ?? iso;
  return {
    uuId: person.uuId,
    cpr: person.cpr,
    fornavn: person.firstName,
    efternavn: person.lastName,
    foedselsdato: date(person.birthDate),
    koen: person.gender === 'F' ? 'K' : 'M',
    vejleder: { initialer: g.counsellor.initials, navn: g.counsellor.name, email: g.counsellor.email },
    upv: g.assessments.map((a) => ({
      dato: date(a.date),
      type: ASSESSMENT_KIND[a.kind],
      klassetrin: a.grade,
      eud: READINESS[a.vocational],
      gym: READINESS[a.upperSecondary],
      karaktergennemsnit: a.gradeAverage,
      faglig: a.academic,
      personlig: a.personal,
      social: a.social,
      praksis: a.practical,
    })),
    uddannelsesplan: g.plan && {
      maal: g.plan.goal,
      spor: DANISH_TRACK[g.plan.track],
      opdateret: date(g.plan.updated),
      delmaal: g.plan.steps.map((s) => ({ tekst: s.text, frist: date(s.due), status: s.status === 'DONE' ? 'OPFYLDT' : 'AABEN' })),
    },
    tilknytninger: g.institutions.map((l) => ({
      institutionNr: l.institutionId,
      institutionNavn: l.institutionName,
      uddannelse: l.programme,
      status: LINK_STATUS[l.status],
      start: date(l.start),
      slut: formats.isoDate(l.end),
      stoettebehov: l.needsSupport,
    })),
    ungdomsuddannelseFuldfoert: g.completedYouthEducation,
    erhvervskompetence: g.vocationalQualification,
    fguMaalgruppe: g.fguTargetGroup,
    aktivitet: ACTIVITY[g.activity],
    uddannelsespligt: g.educationDuty && { opfyldt: g.educationDuty.fulfilled },
  };
}

export function createGuidanceSystem(
  population: Population,
  options?: Partial<SystemOptions<GuidanceCredential>>,
): SimulatedSystem<GuidanceCredential> {
  const register = [...population.people].sort((a, b) => (a.uuId < b.uuId ? -1 : a.uuId > b.uuId ? 1 : 0));
  const ids = register.map((p) => p.uuId);
  /** Index of the first uuId after `from` (binary search over the sorted register). */
  const after = (from: string): number => {
    let lo = 0;
    let hi = ids.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (ids[mid]! <= from) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const batch = (keys: string[], lookup: Map<string, Person>) => {
    enforceBatchLimit(keys.length, GUIDANCE_BATCH_LIMIT);
    const unge = [...new Set(keys)]
      .map((k) => lookup.get(k))
      .filter((p) => p !== undefined)
      .map(toUng);
    return { unge, naeste: null };
  };

  const router = new Router()
    .add({
      method: 'GET',
      path: '/uu/unge',
      name: 'GET /uu/unge?cpr=',
      when: (q) => q.has('cpr'),
      handler: ({ query }) => batch(commaList(query.get('cpr')), population.byCpr),
    })
    // Not in the original contract: the same batch look-up by UU's own key, which the guidance subgraph uses.
    .add({
      method: 'GET',
      path: '/uu/unge',
      name: 'GET /uu/unge?id=',
      when: (q) => q.has('id'),
      handler: ({ query }) => batch(commaList(query.get('id')), population.byUuId),
    })
    .add({
      method: 'GET',
      path: '/uu/unge',
      name: 'GET /uu/unge?fra=',
      handler: ({ query }) => {
        const antal = intParam(query, 'antal', 100, 1, GUIDANCE_PAGE_MAX);
        const fra = query.get('fra');
        const start = fra ? after(fra) : 0;
        const page = register.slice(start, start + antal);
        const more = start + antal < register.length;
        return { unge: page.map(toUng), naeste: more && page.length > 0 ? page[page.length - 1]!.uuId : null };
      },
    })
    .add({
      method: 'GET',
      path: '/uu/unge/id/:uuId',
      handler: ({ params }) => {
        const person = population.byUuId.get(params.uuId ?? '');
        if (!person) throw fail(404, 'Den unge findes ikke i ungeregisteret');
        return toUng(person);
      },
    });

  return createSimulatedSystem({
    name: 'guidance',
    population,
    options: resolveOptions(options, { ...devCredentials.guidance }),
    authenticate: (req, credential) => sameSecret(header(req, 'x-uu-token'), credential.token),
    router,
    // UU's register keeps everyone it ever held (a change edits a record, never removes one), so the
    // sorted register stays as it is.
    changes: {
      style: {
        path: '/uu/haendelser',
        query: { after: 'efter', limit: 'antal', wait: 'vent' },
        list: 'haendelser',
        head: 'seneste',
        stream: 'stroemId',
        oldest: 'aeldste',
        event: (e) => ({ nr: e.sequence, cpr: e.cpr, uuId: e.uuId, tid: e.at, type: e.kind }),
      },
      defaultKind: 'UNG',
      withUuId: true,
    },
  });
}
