import type DataLoader from 'dataloader';
import type { GraphQLResolverMap } from '../kit/resolverMap.js';
import type { SubgraphContext } from '../kit/server.js';
import { ageOn } from '../../platform/dates.js';
import type { GuidanceRecord, GuidanceYouth } from '../kit/systems/guidanceClient.js';
import { currentEnrolment, latestReadiness } from '../kit/systems/guidanceDerived.js';
import { visibleInstitutions, visibleOrNull } from './rowAccess.js';
import { releaseBasis } from '../kit/consent.js';

export interface GuidanceContext extends SubgraphContext {
  byId: DataLoader<string, GuidanceYouth | null>;
  byCpr: DataLoader<string, GuidanceYouth | null>;
}

type SharedPlan = NonNullable<GuidanceRecord['educationPlan']> & { textVisible: boolean };

/**
 * Partners get only what they need (issue 14, section 4): the plan's free text reaches a partner
 * institution only when UU marked the plan shareable with it (the coordination's `planSharedWith`,
 * through the gateway); the municipality's staff and the young person themself read it always.
 */
function planTextVisible(sharedWith: readonly string[], identity: { institution: string | null }): boolean {
  return identity.institution === null || sharedWith.includes(identity.institution);
}

const GOAL_CATEGORIES: Readonly<Record<string, string>> = {
  EUD: 'YOUTH_EDUCATION',
  EUX: 'YOUTH_EDUCATION',
  GYM: 'YOUTH_EDUCATION',
  STU: 'YOUTH_EDUCATION',
  FGU: 'PREPARATORY',
  HIGHER: 'HIGHER_EDUCATION',
  JOB: 'EMPLOYMENT',
};

function goalCategoryOf(track: string): string {
  return GOAL_CATEGORIES[track] ?? 'OTHER';
}

/** UU keys are short opaque tokens; anything else cannot name a young person. */
const YOUTH_ID = /^[A-Za-z0-9_-]{1,64}$/;

/*
 * `youth(id)` is served by the coordination subgraph, which holds the screening register and so decides
 * need to know in one place (platform/authorization/relation.ts); every Youth reaching this subgraph comes from
 * an entry point that checked it. The partner row rule below stays as a second line.
 */
export const resolvers: GraphQLResolverMap<GuidanceContext> = {
  Youth: {
    async __resolveReference(
      reference: { id?: string; cpr?: string; consentUnits?: string[] | null; planSharedWith?: string[] | null },
      context: GuidanceContext,
    ) {
      let youth: GuidanceYouth | null = null;
      if (reference.id !== undefined) youth = YOUTH_ID.test(reference.id) ? await context.byId.load(reference.id) : null;
      else if (reference.cpr !== undefined) youth = await context.byCpr.load(reference.cpr);
      const visible = visibleOrNull(youth, context.identity);
      // The consent's units come with the representation when `guidance` is asked for (kit/consent.ts).
      if (!visible || reference.consentUnits === undefined) return visible;
      return { ...visible, consentUnits: reference.consentUnits, planSharedWith: reference.planSharedWith ?? [] };
    },
    guidance: (
      youth: GuidanceYouth & { consentUnits?: string[] | null; planSharedWith?: string[] | null },
      _args: unknown,
      context: GuidanceContext,
    ) => {
      releaseBasis('GUIDANCE', youth, context.identity, context.today);
      return { ...youth.guidance, planTextVisible: planTextVisible(youth.planSharedWith ?? [], context.identity) };
    },
    age: (youth: GuidanceYouth, _args: unknown, context: GuidanceContext) => ageOn(youth.birthDate, context.today),
    cprNumber: (youth: GuidanceYouth) => youth.cpr,
  },
  GuidanceRecord: {
    educationPlan: (record: GuidanceRecord & { planTextVisible?: boolean }) =>
      record.educationPlan && { ...record.educationPlan, textVisible: record.planTextVisible === true },
    readiness: (record: GuidanceRecord) => latestReadiness(record),
    currentEnrolment: (record: GuidanceRecord, _args: unknown, context: GuidanceContext) =>
      currentEnrolment({ ...record, institutions: visibleInstitutions(record.institutions, context.identity) }, context.today),
    institutions: (record: GuidanceRecord, _args: unknown, context: GuidanceContext) =>
      visibleInstitutions(record.institutions, context.identity),
  },
  EducationPlan: {
    sharedGoal: (plan: SharedPlan) => (plan.textVisible ? plan.goal : null),
    goalCategory: (plan: SharedPlan) => goalCategoryOf(plan.track),
    steps: (plan: SharedPlan) => plan.steps.map((step) => ({ ...step, textVisible: plan.textVisible })),
    stepsTotal: (plan: SharedPlan) => plan.steps.length,
    stepsDone: (plan: SharedPlan) => plan.steps.filter((step) => step.done).length,
  },
  PlanStep: {
    sharedText: (step: { text: string; textVisible?: boolean }) => (step.textVisible ? step.text : null),
  },
};
