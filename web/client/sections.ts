/**
 * The dossier's sections. Each one renders what the graph answered, or says plainly why it cannot:
 * the system did not answer, the role may not see it, or the system holds nothing on the young person.
 * Every section carries `data-section` and `data-state` (shown, empty, unavailable, refused, error) so
 * that tests and styles can tell the cases apart.
 */
import { h, facts } from './dom.js';
import { CONSENT_REQUIRED_CODE, errorsAt, REFUSED_CODE, UNAVAILABLE_CODES, type GraphError } from './graph.js';
import {
  ACTIVITY_LABELS,
  BASIS_LABELS,
  CONSENT_STATUS_LABELS,
  CASEWORK_TEXT,
  CONTACT_PERSON_LIMIT_LABELS,
  ELIGIBILITY_LABELS,
  INDICATOR_LABELS,
  JOBCENTER_CATEGORY_LABELS,
  READINESS_LABELS,
  SOCIAL_UNIT_LABELS,
  UNIT_LABELS,
  formatDate,
  formatDkk,
  formatPercent,
  label,
  serviceLabel,
} from './labels.js';
import type { AssignmentBasis, AssignmentRecord, ContactPersonOption, Dossier, DossierAnswer } from './queries.js';

export type SectionState = 'shown' | 'empty' | 'unavailable' | 'refused' | 'error';

/** What the whole answer says, for the sections that need more than their own field. */
export interface AnswerContext {
  errors: readonly GraphError[];
  /** The systems (`extensions.service`) that did not answer. */
  unavailable: ReadonlySet<string>;
  /** The young person has consented to sharing some units' data: a withheld section is one it does not cover. */
  consentGiven: boolean;
}

export function answerContext(errors: readonly GraphError[], consent?: Dossier['consent']): AnswerContext {
  const unavailable = new Set<string>();
  for (const error of errors) {
    const { code, service } = error.extensions ?? {};
    if (code && UNAVAILABLE_CODES.has(code)) unavailable.add(service ?? 'unknown');
  }
  return { errors, unavailable, consentGiven: consent?.status === 'GIVEN' };
}

/** The coordination works these out from the other systems' fields; without one of them they are unknown. */
const DERIVED_FROM: Readonly<Record<string, readonly string[]>> = {
  targetGroup: ['school', 'guidance', 'social'],
  contactPersonEligibility: ['school', 'guidance', 'jobcenter', 'social'],
  coordinatedPlan: ['school', 'guidance', 'jobcenter', 'social'],
};

interface Outcome {
  state: Exclude<SectionState, 'shown'>;
  message: string;
}

/** Why a null field is null: an error at its path, a source that did not answer, or nothing to show. */
function whyMissing(field: string, context: AnswerContext, emptyMessage: string): Outcome {
  const errors = errorsAt(context.errors, ['youth', field]);
  const unavailable = errors.find((error) => UNAVAILABLE_CODES.has(error.extensions?.code ?? ''));
  if (unavailable)
    return { state: 'unavailable', message: `${serviceLabel(unavailable.extensions?.service)} did not answer; this section is missing.` };
  if (errors.some((error) => error.extensions?.code === REFUSED_CODE)) return { state: 'refused', message: 'Not visible with your role.' };
  if (errors.some((error) => error.extensions?.code === CONSENT_REQUIRED_CODE)) {
    const why = context.consentGiven ? 'their consent does not cover it' : 'has not consented to sharing it across units';
    return { state: 'refused', message: `Not shared: the young person is 25 or over and ${why}.` };
  }
  const [other] = errors;
  if (other) return { state: 'error', message: `Could not be read (${other.extensions?.code ?? 'error'}).` };
  const silentSources = (DERIVED_FROM[field] ?? []).filter((source) => context.unavailable.has(source));
  if (silentSources.length > 0) {
    return {
      state: 'unavailable',
      message: `Unknown for now: it is worked out from ${silentSources.map((s) => serviceLabel(s).replace(/^The /, 'the ')).join(' and ')}, which did not answer.`,
    };
  }
  return { state: 'empty', message: emptyMessage };
}

function section(key: string, title: string, source: string, state: SectionState, ...content: (Node | null)[]): HTMLElement {
  const headingId = `section-${key}-heading`;
  return h(
    'section',
    { class: `card state-${state}`, 'data-section': key, 'data-state': state, 'aria-labelledby': headingId },
    h('h3', { id: headingId, tabindex: -1 }, title),
    h('p', { class: 'source' }, source),
    ...content,
  );
}

function missingSection(key: string, title: string, source: string, outcome: Outcome): HTMLElement {
  return section(key, title, source, outcome.state, h('p', { class: `missing missing-${outcome.state}` }, outcome.message));
}

function list<T>(items: readonly T[], render: (item: T) => Node | string, emptyText: string, className = 'plain-list'): HTMLElement {
  if (items.length === 0) return h('p', { class: 'none' }, emptyText);
  return h(
    'ul',
    { class: className },
    items.map((item) => h('li', {}, render(item))),
  );
}

export function targetGroupSection(youth: Dossier, context: AnswerContext): HTMLElement {
  const title = 'Target group';
  const source = 'Coordination, from school, UU and social services';
  const status = youth.targetGroup;
  if (!status) return missingSection('targetGroup', title, source, whyMissing('targetGroup', context, 'Not assessed.'));
  return section(
    'targetGroup',
    title,
    source,
    'shown',
    h(
      'p',
      { class: `verdict ${status.inTargetGroup ? 'verdict-yes' : 'verdict-no'}` },
      status.inTargetGroup ? 'In the target group' : 'Not in the target group',
    ),
    list(status.indicators, (indicator) => label(INDICATOR_LABELS, indicator), 'No indicator applies.', 'indicator-list'),
    h('p', { class: 'hint' }, `Assessed for ${formatDate(status.asOf)}.`),
  );
}

/** What the contact-person section needs besides the dossier: the people to choose from, and the controls. */
export interface ContactPersonControls {
  answer: DossierAnswer;
  /** The token carries `contact-person:assign`. */
  mayAssign: boolean;
  /** Builds the assign form (the controller owns its behaviour). */
  assignForm: (candidates: ContactPersonOption[], overCapacity: boolean, advice: AssignAdvice) => HTMLElement;
}

/** What the graph's advice asks of the assign form (issue 13): the basis, and which written reasons. */
export interface AssignAdvice {
  basis: AssignmentBasis;
  /** JUDGEMENT: a written justification is required. */
  needsJustification: boolean;
  /** Existing mentor or social-law contact person: how the coordination is arranged is required. */
  needsCoordination: boolean;
}

/** Basis, justification and coordination of an assignment, as facts (the section and the plan show them). */
function assignmentRecordFacts(record: AssignmentRecord): [string, string | null][] {
  return [
    [CASEWORK_TEXT.basis, label(BASIS_LABELS, record.basis)],
    [CASEWORK_TEXT.justification, record.justification],
    [CASEWORK_TEXT.coordination, record.supportCoordination],
  ];
}

/** The contact-person part of the coordinated plan: who, since when, on what basis and why. */
function planContactPersonPart(plan: NonNullable<Dossier['coordinatedPlan']>, context: AnswerContext): Node[] {
  const assignment = plan.contactPerson;
  if (assignment === undefined) return [];
  const [error] = errorsAt(context.errors, ['youth', 'coordinatedPlan', 'contactPerson']);
  return [
    h('h4', {}, CASEWORK_TEXT.planContactPerson),
    error
      ? h('p', { class: 'missing' }, error.extensions?.code === REFUSED_CODE ? 'Not visible with your role.' : 'Could not be read.')
      : assignment
        ? h(
            'div',
            { class: 'plan-contact-person', 'data-basis': assignment.basis },
            facts([
              ['Name', assignment.contactPerson.name],
              [CASEWORK_TEXT.since, assignment.startedOn ? formatDate(assignment.startedOn) : null],
              ...assignmentRecordFacts(assignment),
            ]),
          )
        : h('p', { class: 'none' }, CASEWORK_TEXT.planNoContactPerson),
  ];
}

export function contactPersonSection(youth: Dossier, context: AnswerContext, controls: ContactPersonControls): HTMLElement {
  const title = 'Contact person';
  const source = 'Continuous contact person (gennemgående kontaktperson)';
  const current = youth.contactPerson;
  if (current) {
    return section(
      'contactPerson',
      title,
      source,
      'shown',
      h('p', { class: 'verdict verdict-yes' }, `Current contact person: ${current.contactPerson.name}`),
      facts([
        ['E-mail', current.contactPerson.email],
        ['Since', formatDate(current.startedOn ?? current.startedAt)],
        ['Assigned by', current.assignedBy],
        ['Capacity', current.overCapacity ? 'Assigned past the funded capacity' : null],
        ...assignmentRecordFacts(current),
      ]),
    );
  }
  const assignmentOutcome =
    errorsAt(context.errors, ['youth', 'contactPerson']).length > 0 ? whyMissing('contactPerson', context, '') : undefined;
  if (assignmentOutcome) return missingSection('contactPerson', title, source, assignmentOutcome);

  const eligibility = youth.contactPersonEligibility;
  if (!eligibility) {
    const outcome = whyMissing('contactPersonEligibility', context, 'No contact person; eligibility not assessed.');
    return section(
      'contactPerson',
      title,
      source,
      outcome.state,
      h('p', {}, 'No contact person assigned.'),
      h('p', { class: `missing missing-${outcome.state}` }, `Eligibility: ${outcome.message}`),
    );
  }
  const parts: (Node | null)[] = [
    h('p', { class: 'verdict' }, 'No contact person assigned.'),
    h('p', { class: `eligibility eligibility-${eligibility.status.toLowerCase()}` }, label(ELIGIBILITY_LABELS, eligibility.status)),
    list(eligibility.reasons, (reason) => reason, 'No reasons given.'),
  ];
  if (eligibility.existingSupport.length > 0) {
    parts.push(
      h('h4', {}, 'Existing support'),
      list(
        eligibility.existingSupport,
        (support) => `${support.kind === 'MENTOR' ? 'Mentor' : 'Social-law contact person'} (${label(UNIT_LABELS, support.unit)})`,
        '',
      ),
    );
  }
  parts.push(assignAdvicePart(eligibility, controls));
  return section('contactPerson', title, source, 'shown', ...parts);
}

/**
 * The rules advise, a professional decides (issue 13): outside the scheme's bounds nothing can be
 * assigned; within them the form asks for written reasons whenever the rules do not mark the young
 * person, and for the coordination whenever support exists already.
 */
function assignAdvicePart(eligibility: NonNullable<Dossier['contactPersonEligibility']>, controls: ContactPersonControls): HTMLElement {
  if (eligibility.hardLimit || !eligibility.assignableBy) {
    return h(
      'p',
      { class: 'hard-limit', 'data-limit': eligibility.hardLimit ?? '' },
      eligibility.hardLimit ? label(CONTACT_PERSON_LIMIT_LABELS, eligibility.hardLimit) : 'No contact person can be assigned.',
    );
  }
  const basis = eligibility.assignableBy;
  return assignPart(controls, {
    basis,
    needsJustification: basis === 'JUDGEMENT',
    needsCoordination: eligibility.status === 'HAS_EXISTING_SUPPORT',
  });
}

function assignPart({ answer, mayAssign, assignForm }: ContactPersonControls, advice: AssignAdvice): HTMLElement {
  if (!mayAssign) return h('p', { class: 'hint' }, 'Assigning a contact person is not possible with your role.');
  if (!answer.contactPersons) return h('p', { class: 'missing' }, 'The contact persons could not be read, so none can be assigned now.');
  const candidates = answer.contactPersons.filter((person) => person.caseload < person.caseloadLimit);
  const capacity = answer.contactPersonCapacity;
  const overCapacity = capacity !== null && capacity.available <= 0;
  return h(
    'div',
    { class: 'assign' },
    capacity
      ? h(
          'p',
          { class: 'hint' },
          `Municipal capacity: ${capacity.active} of ${capacity.funded} funded places in use, ${Math.max(capacity.available, 0)} free.`,
        )
      : null,
    h(
      'p',
      { class: 'hint assign-basis', 'data-basis': advice.basis },
      advice.basis === 'RULE' ? CASEWORK_TEXT.ruleBasis : CASEWORK_TEXT.judgementBasis,
    ),
    candidates.length > 0
      ? assignForm(candidates, overCapacity, advice)
      : h('p', { class: 'missing' }, 'Every contact person has a full caseload.'),
  );
}

export function planSection(youth: Dossier, context: AnswerContext): HTMLElement {
  const title = 'Coordinated plan';
  const source = 'One plan across UU, jobcenter and social services';
  const plan = youth.coordinatedPlan;
  if (!plan) return missingSection('coordinatedPlan', title, source, whyMissing('coordinatedPlan', context, 'No plan.'));
  return section(
    'coordinatedPlan',
    title,
    source,
    'shown',
    plan.educationGoal
      ? facts([['Education goal', `${plan.educationGoal.text} (${plan.educationGoal.track})`]])
      : h('p', { class: 'none' }, 'No education goal yet.'),
    plan.conflicts.length > 0
      ? h(
          'div',
          { class: 'conflicts', role: 'note' },
          h('h4', {}, 'Conflicting goals'),
          list(plan.conflicts, (conflict) => conflict.description, ''),
        )
      : h('p', { class: 'hint' }, 'The units’ goals agree.'),
    h('h4', {}, 'Next transitions'),
    plan.nextTransitions.length === 0
      ? h('p', { class: 'none' }, 'None ahead.')
      : h(
          'table',
          { class: 'transitions' },
          h('caption', { class: 'visually-hidden' }, 'Next transitions, soonest first'),
          h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Date'), h('th', { scope: 'col' }, 'Transition'))),
          h(
            'tbody',
            {},
            plan.nextTransitions.map((transition) =>
              h(
                'tr',
                { 'data-kind': transition.kind },
                h('td', { class: 'date' }, formatDate(transition.date)),
                h('td', {}, transition.description),
              ),
            ),
          ),
        ),
    h('h4', {}, 'Agreed actions'),
    list(
      plan.agreedActions,
      (action) =>
        `${action.title} · ${label(UNIT_LABELS, action.ownerUnit)} · ${action.status === 'DONE' ? 'done' : action.due ? `due ${formatDate(action.due)}` : 'open'}`,
      'None agreed yet.',
    ),
    h('h4', {}, 'Actions in the units’ systems'),
    list(
      plan.unitActions,
      (action) =>
        `${label(UNIT_LABELS, action.unit)}: ${action.title}${action.done ? ' (done)' : action.due ? `, due ${formatDate(action.due)}` : ''}`,
      'None.',
    ),
    ...planContactPersonPart(plan, context),
  );
}

export function schoolSection(youth: Dossier, context: AnswerContext): HTMLElement {
  const title = 'School';
  const source = 'School administration (elevadministration)';
  const school = youth.school;
  if (!school) return missingSection('school', title, source, whyMissing('school', context, 'Not a pupil in the municipal schools.'));
  return section(
    'school',
    title,
    source,
    'shown',
    facts([
      ['School', school.school.name],
      ['Grade', `${school.grade} (class ${school.className})`],
      ['PPR involved', school.pprInvolvedSince ? `since ${formatDate(school.pprInvolvedSince)}` : null],
      ['Wellbeing forum', school.wellbeingForum ? 'yes' : null],
    ]),
    h('h4', {}, 'Absence'),
    list(school.absence, (year) => `${year.schoolYear}: ${formatPercent(year.absenceRate)}`, 'No absence recorded.'),
  );
}

/** The consent to share across units (issue 14): whether it is needed, where it stands, which units it covers. */
export function consentSection(youth: Dossier, context: AnswerContext): HTMLElement {
  const title = 'Consent to share (samtykke)';
  const source = 'Coordination';
  const consent = youth.consent;
  if (!consent) return missingSection('consent', title, source, whyMissing('consent', context, 'Unknown.'));
  const latest = consent.latest;
  return section(
    'consent',
    title,
    source,
    'shown',
    facts([
      ['Status', label(CONSENT_STATUS_LABELS, consent.status)],
      ['Shared under consent', consent.required ? consent.units.map((unit) => label(UNIT_LABELS, unit)).join(', ') || 'nothing' : null],
      ['Given', latest ? formatDate(latest.givenOn) : null],
      ['Withdrawn', latest?.withdrawnOn ? formatDate(latest.withdrawnOn) : null],
    ]),
  );
}

export function guidanceSection(youth: Dossier, context: AnswerContext): HTMLElement {
  const title = 'UU (youth guidance)';
  const source = 'Ungdommens Uddannelsesvejledning';
  const guidance = youth.guidance;
  if (!guidance) return missingSection('guidance', title, source, whyMissing('guidance', context, 'No UU record.'));
  const readiness = guidance.readiness;
  const plan = guidance.educationPlan;
  const enrolment = guidance.currentEnrolment;
  return section(
    'guidance',
    title,
    source,
    'shown',
    facts([
      ['Counsellor', guidance.counsellor ? guidance.counsellor.name : null],
      [
        'Education readiness',
        readiness
          ? `vocational ${label(READINESS_LABELS, readiness.vocational)}, upper secondary ${label(READINESS_LABELS, readiness.upperSecondary)} (grade ${readiness.grade}, ${formatDate(readiness.date)})`
          : null,
      ],
      ['Activity', guidance.activity ? label(ACTIVITY_LABELS, guidance.activity) : null],
      [
        'Enrolled',
        enrolment ? `${enrolment.programme}, ${enrolment.institution.name}${enrolment.needsSupport ? ' (needs support)' : ''}` : null,
      ],
      ['Education plan', plan ? `${plan.goal} (${plan.track})` : 'none'],
    ]),
    plan && plan.steps.length > 0
      ? list(plan.steps, (step) => `${step.text}, ${step.done ? 'done' : `due ${formatDate(step.due)}`}`, '')
      : null,
  );
}

export function jobcenterSection(youth: Dossier, context: AnswerContext): HTMLElement {
  const title = 'Jobcenter';
  const source = 'Uddannelseshuset Jobcenter';
  const record = youth.jobcenter;
  if (!record) return missingSection('jobcenter', title, source, whyMissing('jobcenter', context, 'Not known to the jobcenter.'));
  return section(
    'jobcenter',
    title,
    source,
    'shown',
    facts([
      ['Category', label(JOBCENTER_CATEGORY_LABELS, record.category)],
      ['Advisor', record.advisor.name],
      ['Referred', formatDate(record.referred)],
      ['Goal', `${record.goal.text} (${record.goal.track})`],
    ]),
    h('h4', {}, 'Efforts'),
    list(
      record.efforts,
      (effort) => `${effort.description} (${effort.active ? 'active' : `ended ${formatDate(effort.end)}`})`,
      'No efforts.',
    ),
  );
}

export function socialSection(youth: Dossier, context: AnswerContext): HTMLElement {
  const title = 'Social services';
  const source = 'Family groups and special groups';
  if (youth.social) {
    return section(
      'social',
      title,
      source,
      'shown',
      list(
        youth.social.cases,
        (socialCase) =>
          `${label(SOCIAL_UNIT_LABELS, socialCase.unit)}, ${socialCase.open ? 'open' : 'closed'} since ${formatDate(socialCase.opened)}, caseworker ${socialCase.caseworker.name}` +
          (socialCase.measures.some((m) => m.active)
            ? `; measures: ${socialCase.measures
                .filter((m) => m.active)
                .map((m) => label({}, m.type))
                .join(', ')}`
            : ''),
        'No cases.',
      ),
    );
  }
  const detail = whyMissing('social', context, 'No cases.');
  // A role that may not read the cases may still see the summary other units are allowed.
  if (detail.state === 'refused' && youth.socialSummary) {
    return section(
      'social',
      title,
      source,
      'shown',
      h('p', { class: 'hint' }, 'Case details are not visible with your role; the open cases in summary:'),
      list(
        youth.socialSummary.openCases,
        (openCase) =>
          `${label(SOCIAL_UNIT_LABELS, openCase.unit)}, caseworker ${openCase.caseworker.name}` +
          (openCase.activeMeasures.length > 0 ? `; measures: ${openCase.activeMeasures.map((m) => label({}, m)).join(', ')}` : ''),
        'No open cases.',
      ),
    );
  }
  if (detail.state === 'refused') return missingSection('social', title, source, whyMissing('socialSummary', context, 'No open cases.'));
  return missingSection('social', title, source, detail);
}

export function benefitsSection(youth: Dossier, context: AnswerContext): HTMLElement {
  const title = 'Benefits';
  const source = 'Benefits office (Ydelsesafdelingen)';
  const record = youth.benefits;
  if (!record) return missingSection('benefits', title, source, whyMissing('benefits', context, 'No benefits.'));
  return section(
    'benefits',
    title,
    source,
    'shown',
    facts([['Paid monthly now', formatDkk(record.currentMonthlyAmountDkk)]]),
    list(
      record.payments.filter((payment) => payment.active),
      (payment) => `${label({}, payment.type)}: ${formatDkk(payment.monthlyAmountDkk)} a month`,
      'No running payments.',
    ),
  );
}
