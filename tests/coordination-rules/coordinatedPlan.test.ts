import { describe, expect, it } from 'vitest';
import { buildCoordinatedPlan, tracksCompatible } from '../../subgraphs/coordination/rules/coordinatedPlan.js';
import type { GoalFacts, Track, YouthFacts } from '../../subgraphs/coordination/rules/facts.js';
import { TRACKS } from '../../subgraphs/coordination/rules/facts.js';
import { goalConflictText, unitActionText } from '../../subgraphs/coordination/rules/texts.js';
import { AS_OF, bornAged, effort, guidance, outsideEducation, socialCase, youth } from './fixtures.js';

describe('tracksCompatible', () => {
  const compatible = new Set(['EUD~EUX', 'EUD~FGU', 'EUX~FGU', 'FGU~JOB', 'GYM~HIGHER', 'EUX~HIGHER']);

  it.each(TRACKS.flatMap((a) => TRACKS.map((b) => [a, b] as const)))('%s and %s', (a, b) => {
    const expected = a === b || a === 'OTHER' || b === 'OTHER' || compatible.has(`${a}~${b}`) || compatible.has(`${b}~${a}`);
    expect(tracksCompatible(a, b)).toBe(expected);
  });

  it.each<[Track, Track, boolean]>([
    ['EUD', 'EUX', true],
    ['FGU', 'EUD', true],
    ['FGU', 'GYM', false],
    ['FGU', 'HIGHER', false],
    ['STU', 'FGU', false],
    ['STU', 'EUD', false],
    ['JOB', 'EUD', false],
    ['GYM', 'EUD', false],
    ['OTHER', 'STU', true],
  ])('spelled out: %s and %s → %s', (a, b, expected) => {
    expect(tracksCompatible(a, b)).toBe(expected);
  });
});

const plan = (track: Track, goal = 'A goal') => ({ goal, track, updated: '2026-01-15', steps: [] });
const goal = (track: Track, text = `${track} goal`): GoalFacts => ({ track, text });

describe('buildCoordinatedPlan: goals and conflicts', () => {
  it('takes UU plan, jobcenter and open social cases goals, and names the units on each side of a conflict', () => {
    const facts = outsideEducation(19, {
      guidance: guidance({ educationPlan: plan('GYM', 'Upper-secondary (HF) at VUC') }),
      jobcenter: { advisor: { name: 'Jens Advisor' }, goal: goal('FGU', 'FGU, production track'), efforts: [] },
      social: {
        cases: [
          socialCase('SPECIAL_GROUP_ADULTS', { goal: goal('FGU', 'Stable daily routine, then FGU') }),
          socialCase('FAMILY_GROUP_1', { open: false, goal: goal('STU', 'Old goal') }),
          socialCase('FAMILY_GROUP_2', { goal: null }),
        ],
      },
    });
    const result = buildCoordinatedPlan(facts, AS_OF);
    expect(result.educationGoal).toEqual({ unit: 'GUIDANCE', track: 'GYM', text: 'Upper-secondary (HF) at VUC' });
    expect(result.goals).toEqual([
      { unit: 'GUIDANCE', track: 'GYM', text: 'Upper-secondary (HF) at VUC' },
      { unit: 'JOBCENTER', track: 'FGU', text: 'FGU, production track' },
      { unit: 'SOCIAL', track: 'FGU', text: 'Stable daily routine, then FGU' },
    ]);
    expect(result.conflicts).toEqual([
      {
        units: ['GUIDANCE', 'JOBCENTER', 'SOCIAL'],
        tracks: ['GYM', 'FGU'],
        description:
          'Youth guidance (UU) aims at upper-secondary education (GYM), while the jobcenter and social services aim at preparatory basic education (FGU)',
        sides: [['GUIDANCE'], ['JOBCENTER', 'SOCIAL']],
      },
    ]);
    // The same conflict as text from its codes (issue 15): Danish by default, English as `description`.
    const [conflict] = result.conflicts;
    expect(goalConflictText(conflict!)).toBe(
      'UU sigter mod en gymnasial uddannelse, mens jobcentret og socialområdet sigter mod forberedende grunduddannelse (FGU)',
    );
    expect(goalConflictText(conflict!, 'EN')).toBe(conflict!.description);
  });

  it.each<[string, Track, Track | null, Track[]]>([
    ['same track', 'EUD', 'EUD', []],
    ['EUD and EUX agree', 'EUD', 'EUX', []],
    ['FGU as a step towards EUX', 'EUX', 'FGU', []],
    ['GYM then higher education', 'GYM', 'HIGHER', []],
    ['OTHER contradicts nothing', 'STU', 'OTHER', []],
    ['education against work', 'EUD', 'JOB', ['EUD', 'JOB']],
    ['STU against FGU', 'STU', 'FGU', ['FGU', 'STU']],
    ['only one goal', 'GYM', null, []],
  ])('%s', (_name, uuTrack, jobcenterTrack, conflictTracks) => {
    const facts = youth({
      guidance: guidance({ educationPlan: plan(uuTrack) }),
      jobcenter: jobcenterTrack ? { goal: goal(jobcenterTrack) } : null,
    });
    expect(buildCoordinatedPlan(facts, AS_OF).conflicts.map((c) => c.tracks)).toEqual(conflictTracks.length ? [conflictTracks] : []);
  });

  it('reports one conflict per incompatible pair, in track order', () => {
    const facts = youth({
      guidance: guidance({ educationPlan: plan('GYM') }),
      jobcenter: { goal: goal('JOB') },
      social: { cases: [socialCase('FAMILY_GROUP_3', { goal: goal('STU') })] },
    });
    expect(buildCoordinatedPlan(facts, AS_OF).conflicts).toEqual([
      {
        units: ['GUIDANCE', 'SOCIAL'],
        tracks: ['GYM', 'STU'],
        description:
          'Youth guidance (UU) aims at upper-secondary education (GYM), while social services aims at specially planned youth education (STU)',
        sides: [['GUIDANCE'], ['SOCIAL']],
      },
      {
        units: ['GUIDANCE', 'JOBCENTER'],
        tracks: ['GYM', 'JOB'],
        description: 'Youth guidance (UU) aims at upper-secondary education (GYM), while the jobcenter aims at work',
        sides: [['GUIDANCE'], ['JOBCENTER']],
      },
      {
        units: ['JOBCENTER', 'SOCIAL'],
        tracks: ['STU', 'JOB'],
        description: 'Social services aims at specially planned youth education (STU), while the jobcenter aims at work',
        sides: [['SOCIAL'], ['JOBCENTER']],
      },
    ]);
  });

  it('has no education goal without a UU plan, and still compares the others', () => {
    const facts = youth({
      guidance: guidance({ educationPlan: null }),
      jobcenter: { goal: goal('EUD') },
      social: { cases: [socialCase('SPECIAL_GROUP_ADULTS', { goal: goal('GYM') })] },
    });
    const result = buildCoordinatedPlan(facts, AS_OF);
    expect(result.educationGoal).toBeNull();
    expect(result.goals.map((g) => g.unit)).toEqual(['JOBCENTER', 'SOCIAL']);
    expect(result.conflicts.map((c) => [c.units, c.tracks])).toEqual([
      [
        ['JOBCENTER', 'SOCIAL'],
        ['EUD', 'GYM'],
      ],
    ]);
  });

  it('is empty apart from turning 25 for a young person no unit has a plan for', () => {
    const facts: YouthFacts = { birthDate: bornAged(20), school: null, guidance: null, jobcenter: null, social: null };
    expect(buildCoordinatedPlan(facts, AS_OF)).toEqual({
      educationGoal: null,
      goals: [],
      conflicts: [],
      unitActions: [],
      nextTransitions: [
        {
          kind: 'TURNING_25',
          date: '2031-01-10',
          description: 'Turns 25: the end of the legal target group and of the continuous contact person',
        },
      ],
    });
  });
});

describe('buildCoordinatedPlan: unit actions', () => {
  const facts = outsideEducation(20, {
    guidance: guidance({
      currentEnrolment: null,
      activity: 'UNEMPLOYED',
      educationPlan: {
        goal: 'Vocational education as a mechanic',
        track: 'EUD',
        updated: '2026-01-15',
        steps: [
          { text: 'Apply for the basic course', due: '2026-05-01', done: false },
          { text: 'Visit the technical college', due: '2026-02-01', done: true },
        ],
      },
    }),
    jobcenter: {
      advisor: { name: 'Jens Advisor' },
      goal: goal('EUD'),
      efforts: [
        effort({ type: 'COMPANY_INTERNSHIP', start: '2025-10-01', end: '2025-12-31', active: false, description: 'Workshop at Nord Auto' }),
        effort({ type: 'MENTOR', start: '2026-01-05', end: null, active: true, description: '' }),
        effort({
          type: 'BRIDGE_BUILDING',
          start: '2026-04-13',
          end: '2026-05-01',
          active: false,
          description: 'Two weeks at the technical college',
        }),
      ],
    },
    social: {
      cases: [
        socialCase('SPECIAL_GROUP_ADULTS', {
          caseworker: { name: 'Sofie Caseworker' },
          measures: [
            { type: 'HOUSING_SUPPORT', from: '2025-06-01', to: null, active: true },
            { type: 'CONTACT_PERSON', from: '2024-01-01', to: '2025-05-31', active: false },
          ],
        }),
        socialCase('FAMILY_GROUP_1', { open: false, measures: [{ type: 'AFTERCARE', from: '2024-01-01', to: null, active: true }] }),
      ],
    },
  });

  it('merges UU steps, jobcenter efforts and open cases measures, ordered by date then unit', () => {
    expect(buildCoordinatedPlan(facts, AS_OF).unitActions).toEqual([
      {
        unit: 'SOCIAL',
        title: 'Contact person',
        name: { kind: 'MEASURE', type: 'CONTACT_PERSON' },
        start: '2024-01-01',
        due: '2025-05-31',
        done: true,
        owner: 'Sofie Caseworker',
      },
      {
        unit: 'SOCIAL',
        title: 'Housing support',
        name: { kind: 'MEASURE', type: 'HOUSING_SUPPORT' },
        start: '2025-06-01',
        due: null,
        done: false,
        owner: 'Sofie Caseworker',
      },
      {
        unit: 'JOBCENTER',
        title: 'Company internship: Workshop at Nord Auto',
        name: { kind: 'EFFORT', type: 'COMPANY_INTERNSHIP', note: 'Workshop at Nord Auto' },
        start: '2025-10-01',
        due: '2025-12-31',
        done: true,
        owner: 'Jens Advisor',
      },
      {
        unit: 'JOBCENTER',
        title: 'Mentor',
        name: { kind: 'EFFORT', type: 'MENTOR', note: null },
        start: '2026-01-05',
        due: null,
        done: false,
        owner: 'Jens Advisor',
      },
      {
        unit: 'GUIDANCE',
        title: 'Visit the technical college',
        name: { kind: 'STEP', text: 'Visit the technical college' },
        start: null,
        due: '2026-02-01',
        done: true,
        owner: null,
      },
      {
        unit: 'GUIDANCE',
        title: 'Apply for the basic course',
        name: { kind: 'STEP', text: 'Apply for the basic course' },
        start: null,
        due: '2026-05-01',
        done: false,
        owner: null,
      },
      {
        unit: 'JOBCENTER',
        title: 'Bridge-building to education: Two weeks at the technical college',
        name: { kind: 'EFFORT', type: 'BRIDGE_BUILDING', note: 'Two weeks at the technical college' },
        start: '2026-04-13',
        due: '2026-05-01',
        done: false, // not running yet: not done
        owner: 'Jens Advisor',
      },
    ]);
  });

  it('names each action by its code in Danish (the default) and English; the systems’ own words stay as they are', () => {
    const actions = buildCoordinatedPlan(facts, AS_OF).unitActions;
    expect(actions.map((action) => unitActionText(action.name))).toEqual([
      'Kontaktperson',
      'Bostøtte',
      'Virksomhedspraktik: Workshop at Nord Auto',
      'Mentor',
      'Visit the technical college',
      'Apply for the basic course',
      'Brobygning til uddannelse: Two weeks at the technical college',
    ]);
    expect(actions.map((action) => unitActionText(action.name, 'EN'))).toEqual(actions.map((action) => action.title));
  });

  it('is the same whatever order the systems list things in', () => {
    const reversed: YouthFacts = {
      ...facts,
      guidance: {
        ...facts.guidance,
        educationPlan: { ...facts.guidance!.educationPlan!, steps: [...facts.guidance!.educationPlan!.steps].reverse() },
      },
      jobcenter: { ...facts.jobcenter, efforts: [...facts.jobcenter!.efforts!].reverse() },
    };
    expect(buildCoordinatedPlan(reversed, AS_OF).unitActions).toEqual(buildCoordinatedPlan(facts, AS_OF).unitActions);
  });

  it('counts an effort ending on asOf as not done yet', () => {
    const ending = youth({ jobcenter: { advisor: { name: 'A' }, efforts: [effort({ end: AS_OF, active: false })] } });
    expect(buildCoordinatedPlan(ending, AS_OF).unitActions.map((a) => a.done)).toEqual([false]);
  });

  it('leaves the owner null when the system does not name one', () => {
    const noAdvisor = youth({ jobcenter: { efforts: [effort({ description: 'Course' })] } });
    expect(buildCoordinatedPlan(noAdvisor, AS_OF).unitActions).toEqual([
      {
        unit: 'JOBCENTER',
        title: 'Project-based course: Course',
        name: { kind: 'EFFORT', type: 'PROJECT', note: 'Course' },
        start: '2026-01-05',
        due: null,
        done: false,
        owner: null,
      },
    ]);
  });
});
