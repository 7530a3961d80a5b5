import type { Person } from '../../systems/population/model.js';
import { toElev } from '../../systems/school/server.js';
import { toUng } from '../../systems/guidance/server.js';
import { toBorger } from '../../systems/jobcenter/server.js';
import { toPersonSager } from '../../systems/social/server.js';
import { toSchoolRecord } from '../../subgraphs/kit/systems/schoolClient.js';
import { toGuidanceYouth } from '../../subgraphs/kit/systems/guidanceClient.js';
import { toJobcenterRecord } from '../../subgraphs/kit/systems/jobcenterClient.js';
import { toSocialCase } from '../../subgraphs/kit/systems/socialClient.js';
import { factsFromSystems } from '../../subgraphs/coordination/screening/factsFromSystems.js';
import { evaluateTargetGroup, type TargetGroupIndicator } from '../../subgraphs/coordination/rules/targetGroup.js';
import { evaluateEligibility, type EligibilityStatus } from '../../subgraphs/coordination/rules/eligibility.js';

/**
 * The screening register's step for one young person (screening/screeningJob.ts), run on the simulated
 * systems' own records without HTTP: each system's wire record (systems/<name>/server.ts), read back
 * through its client's mapping (subgraphs/kit/systems/), then the production rules. What the register
 * would count for the whole population, in a few seconds instead of a full extract over HTTP.
 */
export interface Screened {
  indicators: TargetGroupIndicator[];
  inTargetGroup: boolean;
  contactPersonStatus: EligibilityStatus;
}

/** JSON in and out, as the record crosses the wire. */
const wire = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

export function screenPerson(person: Person, today: string): Screened {
  const elev = toElev(person);
  const borger = toBorger(person);
  const sager = toPersonSager(person);
  const facts = factsFromSystems(
    {
      youth: toGuidanceYouth(wire(toUng(person)) as Parameters<typeof toGuidanceYouth>[0]),
      school: elev && toSchoolRecord(wire(elev)),
      jobcenter: borger && toJobcenterRecord(wire(borger) as Parameters<typeof toJobcenterRecord>[0]),
      social: sager && { cases: wire(sager).sager.map((s) => toSocialCase(s)) },
    },
    today,
  );
  const target = evaluateTargetGroup(facts, today);
  return {
    indicators: target.indicators,
    inTargetGroup: target.inTargetGroup,
    contactPersonStatus: evaluateEligibility(facts, today).status,
  };
}

export interface ScreeningTally {
  targetGroup: number;
  candidates: number;
  withExistingSupport: number;
  byIndicator: Partial<Record<TargetGroupIndicator, number>>;
}

export function screenAll(people: readonly Person[], today: string): ScreeningTally {
  const tally: ScreeningTally = { targetGroup: 0, candidates: 0, withExistingSupport: 0, byIndicator: {} };
  for (const person of people) {
    const screened = screenPerson(person, today);
    if (screened.inTargetGroup) tally.targetGroup++;
    if (screened.contactPersonStatus !== 'NOT_CANDIDATE') tally.candidates++;
    if (screened.contactPersonStatus === 'HAS_EXISTING_SUPPORT') tally.withExistingSupport++;
    for (const indicator of screened.indicators) tally.byIndicator[indicator] = (tally.byIndicator[indicator] ?? 0) + 1;
  }
  return tally;
}
