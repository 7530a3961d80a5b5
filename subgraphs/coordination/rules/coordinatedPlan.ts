import { openCases } from './conditions.js';
import type { EffortFacts, SocialMeasureFacts, Track, Unit, YouthFacts } from './facts.js';
import { TRACKS, UNITS } from './facts.js';
import { nextTransitions, type Transition } from './transitions.js';
import { goalConflictText, unitActionText, type UnitActionName } from './texts.js';

export interface PlanGoal {
  unit: Unit;
  track: Track;
  text: string;
}

export interface GoalConflict {
  units: Unit[];
  tracks: Track[];
  description: string;
  /** The units behind each of the two tracks, in `tracks` order (for `text(language:)`, rules/texts.ts). */
  sides: [Unit[], Unit[]];
}

export interface UnitAction {
  unit: Unit;
  /** In English (`unitActionText(name, 'EN')`); `text(language:)` gives it in Danish. */
  title: string;
  name: UnitActionName;
  start: string | null;
  due: string | null;
  done: boolean;
  owner: string | null;
}

/** The plan as the systems' records give it; the resolver adds the stored agreed actions and joint decisions. */
export interface CoordinatedPlanDraft {
  educationGoal: PlanGoal | null;
  goals: PlanGoal[];
  conflicts: GoalConflict[];
  unitActions: UnitAction[];
  nextTransitions: Transition[];
}

/**
 * Pairs of different tracks that point the same way, so goals on them do not conflict:
 * - EUD~EUX: EUX is a vocational education with an upper-secondary exam added, the same path.
 * - FGU~EUD, FGU~EUX, FGU~JOB: the preparatory basic education exists to lead on to vocational
 *   education or work. FGU against GYM/HIGHER is a conflict: the units disagree about readiness.
 * - GYM~HIGHER, EUX~HIGHER: both give access to higher education; one is the step before the other.
 * STU (for those who cannot complete another youth education) agrees only with itself, and JOB against
 * an education is a real difference to coordinate. OTHER names no direction, so it contradicts nothing.
 */
const COMPATIBLE_TRACKS: ReadonlyArray<readonly [Track, Track]> = [
  ['EUD', 'EUX'],
  ['EUD', 'FGU'],
  ['EUX', 'FGU'],
  ['FGU', 'JOB'],
  ['GYM', 'HIGHER'],
  ['EUX', 'HIGHER'],
];

export function tracksCompatible(a: Track, b: Track): boolean {
  if (a === b || a === 'OTHER' || b === 'OTHER') return true;
  return COMPATIBLE_TRACKS.some(([x, y]) => (x === a && y === b) || (x === b && y === a));
}

const byUnit = (a: Unit, b: Unit): number => UNITS.indexOf(a) - UNITS.indexOf(b);
const byTrack = (a: Track, b: Track): number => TRACKS.indexOf(a) - TRACKS.indexOf(b);

function educationGoalOf(facts: YouthFacts): PlanGoal | null {
  const plan = facts.guidance?.educationPlan;
  return plan ? { unit: 'GUIDANCE', track: plan.track, text: plan.goal } : null;
}

/** UU's goal, then the jobcenter's, then each open social case's. */
function goalsOf(facts: YouthFacts, educationGoal: PlanGoal | null): PlanGoal[] {
  const goals: PlanGoal[] = educationGoal ? [educationGoal] : [];
  const jobcenterGoal = facts.jobcenter?.goal;
  if (jobcenterGoal) goals.push({ unit: 'JOBCENTER', track: jobcenterGoal.track, text: jobcenterGoal.text });
  for (const socialCase of openCases(facts)) {
    if (socialCase.goal) goals.push({ unit: 'SOCIAL', track: socialCase.goal.track, text: socialCase.goal.text });
  }
  return goals;
}

/** One conflict per pair of incompatible tracks the goals aim at, naming the units behind each. */
function conflictsOf(goals: readonly PlanGoal[]): GoalConflict[] {
  const unitsByTrack = new Map<Track, Unit[]>();
  for (const goal of goals) {
    const units = unitsByTrack.get(goal.track) ?? [];
    if (!units.includes(goal.unit)) units.push(goal.unit);
    unitsByTrack.set(goal.track, units);
  }
  const tracks = [...unitsByTrack.keys()].sort(byTrack);
  const conflicts: GoalConflict[] = [];
  tracks.forEach((a, i) => {
    for (const b of tracks.slice(i + 1)) {
      if (tracksCompatible(a, b)) continue;
      const unitsA = [...unitsByTrack.get(a)!].sort(byUnit);
      const unitsB = [...unitsByTrack.get(b)!].sort(byUnit);
      conflicts.push({
        units: [...new Set([...unitsA, ...unitsB])].sort(byUnit),
        tracks: [a, b],
        // The English text of the same codes (rules/texts.ts), kept as the deprecated `description`.
        description: goalConflictText({ tracks: [a, b], sides: [unitsA, unitsB] }, 'EN'),
        sides: [unitsA, unitsB],
      });
    }
  });
  return conflicts;
}

/** Finished: no longer running and ended before `asOf`. */
function finished(active: boolean, end: string | null | undefined, asOf: string): boolean {
  return !active && end != null && end < asOf;
}

function effortAction(effort: EffortFacts, owner: string | null, asOf: string): UnitAction {
  const name: UnitActionName = { kind: 'EFFORT', type: effort.type, note: effort.description || null };
  return {
    unit: 'JOBCENTER',
    title: unitActionText(name, 'EN'),
    name,
    start: effort.start ?? null,
    due: effort.end ?? null,
    done: finished(effort.active, effort.end, asOf),
    owner,
  };
}

function measureAction(measure: SocialMeasureFacts, owner: string | null, asOf: string): UnitAction {
  const name: UnitActionName = { kind: 'MEASURE', type: measure.type };
  return {
    unit: 'SOCIAL',
    title: unitActionText(name, 'EN'),
    name,
    start: measure.from ?? null,
    due: measure.to ?? null,
    done: finished(measure.active, measure.to, asOf),
    owner,
  };
}

/** An action's date for ordering: when it is due, or when it started if it is open-ended; undated last. */
function actionDate(action: UnitAction): string | null {
  return action.due ?? action.start;
}

function compareActions(a: UnitAction, b: UnitAction): number {
  const dateA = actionDate(a);
  const dateB = actionDate(b);
  if (dateA !== dateB) {
    if (dateA === null) return 1;
    if (dateB === null) return -1;
    return dateA < dateB ? -1 : 1;
  }
  return byUnit(a.unit, b.unit) || (a.title < b.title ? -1 : a.title > b.title ? 1 : 0);
}

function unitActionsOf(facts: YouthFacts, asOf: string): UnitAction[] {
  const steps: UnitAction[] = (facts.guidance?.educationPlan?.steps ?? []).map((step) => ({
    unit: 'GUIDANCE',
    title: step.text,
    name: { kind: 'STEP', text: step.text },
    start: null,
    due: step.due,
    done: step.done,
    owner: null, // UU's plan does not say which counsellor owns a step
  }));
  const advisor = facts.jobcenter?.advisor?.name ?? null;
  const efforts = (facts.jobcenter?.efforts ?? []).map((effort) => effortAction(effort, advisor, asOf));
  const measures = openCases(facts).flatMap((socialCase) =>
    (socialCase.measures ?? []).map((measure) => measureAction(measure, socialCase.caseworker?.name ?? null, asOf)),
  );
  return [...steps, ...efforts, ...measures].sort(compareActions);
}

/**
 * The coordinated plan from the systems' records: UU's education plan as the goal the others serve,
 * every unit's goal and where they conflict, every unit's actions, and the transitions ahead.
 */
export function buildCoordinatedPlan(facts: YouthFacts, asOf: string): CoordinatedPlanDraft {
  const educationGoal = educationGoalOf(facts);
  const goals = goalsOf(facts, educationGoal);
  return {
    educationGoal,
    goals,
    conflicts: conflictsOf(goals),
    unitActions: unitActionsOf(facts, asOf),
    nextTransitions: nextTransitions(facts, asOf),
  };
}
