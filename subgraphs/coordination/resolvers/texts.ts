/**
 * The human text of the graph's codes (issue 15 s4): `text(language:)` on an indicator, a contact-person
 * reason, a transition and a due item, Danish unless EN is asked for. The words live in rules/texts.ts
 * and rules/dueTexts.ts; these resolvers only pick the language.
 */
import { dueText } from '../rules/dueTexts.js';
import type { DueKind } from '../rules/due.js';
import type { TargetGroupIndicator } from '../rules/targetGroup.js';
import type { Transition } from '../rules/transitions.js';
import type { GoalConflict, UnitAction } from '../rules/coordinatedPlan.js';
import {
  eligibilityReasonText,
  goalConflictText,
  unitActionText,
  indicatorText,
  languageArg,
  transitionText,
  type EligibilityReason,
  type Language,
} from '../rules/texts.js';

type LanguageArgs = { language?: Language | null };

export const textResolvers = {
  TargetGroupStatus: {
    indicatorDetails: (status: { indicators: readonly TargetGroupIndicator[] }) => status.indicators.map((code) => ({ code })),
  },
  TargetGroupIndicatorDetail: {
    text: (detail: { code: TargetGroupIndicator }, args: LanguageArgs) => indicatorText(detail.code, languageArg(args)),
  },
  EligibilityReason: {
    grade: (reason: EligibilityReason) => reason.grade ?? null,
    age: (reason: EligibilityReason) => reason.age ?? null,
    socialUnit: (reason: EligibilityReason) => reason.socialUnit ?? null,
    text: (reason: EligibilityReason, args: LanguageArgs) => eligibilityReasonText(reason, languageArg(args)),
  },
  Transition: {
    text: (transition: Transition, args: LanguageArgs) => transitionText(transition.kind, transition.grade ?? null, languageArg(args)),
  },
  GoalConflict: {
    text: (conflict: GoalConflict, args: LanguageArgs) => goalConflictText(conflict, languageArg(args)),
  },
  UnitAction: {
    text: (action: UnitAction, args: LanguageArgs) => unitActionText(action.name, languageArg(args)),
  },
  DueItem: {
    text: (item: { kind: DueKind }, args: LanguageArgs) => dueText(item.kind, languageArg(args) === 'EN' ? 'en' : 'da'),
  },
};
