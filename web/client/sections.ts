/**
 * The dossier's sections. Each one renders what the graph answered, or says plainly why it cannot:
 * the system did not answer, the role may not see it, or the system holds nothing on the young person.
 * Every section carries `data-section` and `data-state` (shown, empty, unavailable, refused, error) so
 * that tests and styles can tell the cases apart.
 */
import { h, facts } from './dom.js';
import { CONSENT_REQUIRED_CODE, errorsAt, REFUSED_CODE, UNAVAILABLE_CODES, type GraphError } from './graph.js';
import { formatDate, formatDateCompact, formatDkk, formatPercent, label, serviceLabel } from './labels.js';
import { t } from './i18n/index.js';
import type { AssignmentBasis, AssignmentRecord, ContactPersonOption, Dossier, DossierAnswer } from './queries.js';
import type { WriteControls } from './meetings.js';
import { agreedActionsList } from './planHistory.js';

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

export interface Outcome {
  state: Exclude<SectionState, 'shown'>;
  message: string;
}

/** Why a null field is null: an error at its path, a source that did not answer, or nothing to show. */
export function whyMissing(field: string, context: AnswerContext, emptyMessage: string): Outcome {
  const errors = errorsAt(context.errors, ['youth', field]);
  const unavailable = errors.find((error) => UNAVAILABLE_CODES.has(error.extensions?.code ?? ''));
  if (unavailable) return { state: 'unavailable', message: t().text.serviceMissing(serviceLabel(unavailable.extensions?.service)) };
  if (errors.some((error) => error.extensions?.code === REFUSED_CODE)) return { state: 'refused', message: t().text.notVisible };
  if (errors.some((error) => error.extensions?.code === CONSENT_REQUIRED_CODE)) {
    const why = context.consentGiven ? t().text.consentNotCoveringIt : t().text.consentNotGivenIt;
    return { state: 'refused', message: t().text.notShared(why) };
  }
  const [other] = errors;
  if (other) return { state: 'error', message: t().text.unreadable(other.extensions?.code ?? 'error') };
  const silentSources = (DERIVED_FROM[field] ?? []).filter((source) => context.unavailable.has(source));
  if (silentSources.length > 0) {
    return {
      state: 'unavailable',
      message: t().text.derivedUnknown(silentSources.map((s) => lowerFirst(serviceLabel(s))).join(` ${t().text.and} `)),
    };
  }
  return { state: 'empty', message: emptyMessage };
}

/** A system's name inside a sentence: "the schools' system", "skolernes system"; an acronym ("UU's system") stays. */
function lowerFirst(text: string): string {
  return /^\p{Lu}\p{Lu}/u.test(text) ? text : text.charAt(0).toLocaleLowerCase() + text.slice(1);
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
  const title = t().text.targetGroup;
  const source = t().text.targetGroupSource;
  const status = youth.targetGroup;
  if (!status) return missingSection('targetGroup', title, source, whyMissing('targetGroup', context, t().text.notAssessed));
  return section(
    'targetGroup',
    title,
    source,
    'shown',
    h(
      'p',
      { class: `verdict ${status.inTargetGroup ? 'verdict-yes' : 'verdict-no'}` },
      status.inTargetGroup ? t().text.inTargetGroup : t().text.notInTargetGroup,
    ),
    list(status.indicators, (indicator) => label('indicators', indicator), t().text.noIndicator, 'indicator-list'),
    h('p', { class: 'hint' }, t().text.assessedFor(formatDate(status.asOf))),
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
    [t().text.basis, label('basis', record.basis)],
    [t().text.justification, record.justification],
    [t().text.coordination, record.supportCoordination],
  ];
}

/** The contact-person part of the coordinated plan: who, since when, on what basis and why. */
function planContactPersonPart(plan: NonNullable<Dossier['coordinatedPlan']>, context: AnswerContext): Node[] {
  const assignment = plan.contactPerson;
  if (assignment === undefined) return [];
  const [error] = errorsAt(context.errors, ['youth', 'coordinatedPlan', 'contactPerson']);
  return [
    h('h4', {}, t().text.planContactPerson),
    error
      ? h('p', { class: 'missing' }, error.extensions?.code === REFUSED_CODE ? t().text.notVisible : t().text.couldNotRead)
      : assignment
        ? h(
            'div',
            { class: 'plan-contact-person', 'data-basis': assignment.basis },
            facts([
              [t().text.name, assignment.contactPerson.name],
              [t().text.since, assignment.startedOn ? formatDate(assignment.startedOn) : null],
              ...assignmentRecordFacts(assignment),
            ]),
          )
        : h('p', { class: 'none' }, t().text.planNoContactPerson),
  ];
}

export function contactPersonSection(youth: Dossier, context: AnswerContext, controls: ContactPersonControls): HTMLElement {
  const title = t().text.contactPerson;
  const source = t().text.contactPersonSource;
  const current = youth.contactPerson;
  if (current) {
    return section(
      'contactPerson',
      title,
      source,
      'shown',
      h('p', { class: 'verdict verdict-yes' }, t().text.currentContactPerson(current.contactPerson.name)),
      facts([
        [t().text.email, current.contactPerson.email],
        [t().text.since, formatDate(current.startedOn ?? current.startedAt)],
        [t().text.assignedBy, current.assignedBy],
        [t().text.capacity, current.overCapacity ? t().text.pastCapacity : null],
        ...assignmentRecordFacts(current),
      ]),
    );
  }
  const assignmentOutcome =
    errorsAt(context.errors, ['youth', 'contactPerson']).length > 0 ? whyMissing('contactPerson', context, '') : undefined;
  if (assignmentOutcome) return missingSection('contactPerson', title, source, assignmentOutcome);

  const eligibility = youth.contactPersonEligibility;
  if (!eligibility) {
    const outcome = whyMissing('contactPersonEligibility', context, t().text.noEligibility);
    return section(
      'contactPerson',
      title,
      source,
      outcome.state,
      h('p', {}, t().text.noContactPerson),
      h('p', { class: `missing missing-${outcome.state}` }, t().text.eligibilityPrefix(outcome.message)),
    );
  }
  const parts: (Node | null)[] = [
    h('p', { class: 'verdict' }, t().text.noContactPerson),
    h('p', { class: `eligibility eligibility-${eligibility.status.toLowerCase()}` }, label('eligibility', eligibility.status)),
    list(eligibility.reasonDetails, (reason) => reason.text, t().text.noReasons, 'plain-list reasons'),
  ];
  if (eligibility.existingSupport.length > 0) {
    parts.push(
      h('h4', {}, t().text.existingSupport),
      list(
        eligibility.existingSupport,
        (support) => `${support.kind === 'MENTOR' ? t().text.mentor : t().text.socialContactPerson} (${label('units', support.unit)})`,
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
      eligibility.hardLimit ? label('contactPersonLimits', eligibility.hardLimit) : t().text.noneAssignable,
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
  if (!mayAssign) return h('p', { class: 'hint' }, t().text.mayNotAssign);
  if (!answer.contactPersons) return h('p', { class: 'missing' }, t().text.contactPersonsUnreadable);
  const candidates = answer.contactPersons.filter((person) => person.caseload < person.caseloadLimit);
  const capacity = answer.contactPersonCapacity;
  const overCapacity = capacity !== null && capacity.available <= 0;
  return h(
    'div',
    { class: 'assign' },
    capacity
      ? h('p', { class: 'hint' }, t().text.municipalCapacity(capacity.active, capacity.funded, Math.max(capacity.available, 0)))
      : null,
    h(
      'p',
      { class: 'hint assign-basis', 'data-basis': advice.basis },
      advice.basis === 'RULE' ? t().text.ruleBasis : t().text.judgementBasis,
    ),
    candidates.length > 0 ? assignForm(candidates, overCapacity, advice) : h('p', { class: 'missing' }, t().text.allFull),
  );
}

export function planSection(youth: Dossier, context: AnswerContext, planControls?: WriteControls): HTMLElement {
  const title = t().text.plan;
  const source = t().text.planSource;
  const plan = youth.coordinatedPlan;
  if (!plan) return missingSection('coordinatedPlan', title, source, whyMissing('coordinatedPlan', context, t().text.noPlan));
  return section(
    'coordinatedPlan',
    title,
    source,
    'shown',
    plan.educationGoal
      ? facts([[t().text.educationGoal, `${plan.educationGoal.text} (${plan.educationGoal.track})`]])
      : h('p', { class: 'none' }, t().text.noEducationGoal),
    plan.conflicts.length > 0
      ? h(
          'div',
          { class: 'conflicts', role: 'note' },
          h('h4', {}, t().text.conflictingGoals),
          list(plan.conflicts, (conflict) => conflict.text, ''),
        )
      : h('p', { class: 'hint' }, t().text.goalsAgree),
    h('h4', {}, t().text.nextTransitions),
    plan.nextTransitions.length === 0
      ? h('p', { class: 'none' }, t().text.noneAhead)
      : h(
          'table',
          { class: 'transitions' },
          h('caption', { class: 'visually-hidden' }, t().text.transitionsCaption),
          h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t().text.date), h('th', { scope: 'col' }, t().text.transition))),
          h(
            'tbody',
            {},
            plan.nextTransitions.map((transition) =>
              h(
                'tr',
                { 'data-kind': transition.kind },
                h('td', { class: 'date' }, h('time', { datetime: transition.date }, formatDateCompact(transition.date))),
                h('td', {}, transition.text),
              ),
            ),
          ),
        ),
    h('h4', {}, t().text.agreedActions),
    // Each with its history, and editing or cancelling with a reason (issue 15).
    agreedActionsList(plan.agreedActions, youth.meetings, planControls),
    h('h4', {}, t().text.unitActions),
    list(
      plan.unitActions,
      (action) =>
        `${label('units', action.unit)}: ${action.text}${action.done ? t().text.doneParen : action.due ? t().text.dueSuffix(formatDate(action.due)) : ''}`,
      t().text.none,
    ),
    ...planContactPersonPart(plan, context),
  );
}

export function schoolSection(youth: Dossier, context: AnswerContext): HTMLElement {
  const title = t().text.school;
  const source = t().text.schoolSource;
  const school = youth.school;
  if (!school) return missingSection('school', title, source, whyMissing('school', context, t().text.notAPupil));
  return section(
    'school',
    title,
    source,
    'shown',
    facts([
      [t().text.school, school.school.name],
      [t().text.grade, t().text.gradeValue(school.grade, school.className)],
      [t().text.pprInvolved, school.pprInvolvedSince ? t().text.sinceDate(formatDate(school.pprInvolvedSince)) : null],
      [t().text.wellbeingForum, school.wellbeingForum ? t().text.yes : null],
    ]),
    h('h4', {}, t().text.absence),
    list(school.absence, (year) => `${year.schoolYear}: ${formatPercent(year.absenceRate)}`, t().text.noAbsence),
  );
}

/** The consent to share across units (issue 14): whether it is needed, where it stands, which units it covers. */
export function consentSection(youth: Dossier, context: AnswerContext): HTMLElement {
  const title = t().text.consent;
  const source = t().text.consentSource;
  const consent = youth.consent;
  if (!consent) return missingSection('consent', title, source, whyMissing('consent', context, t().text.unknown));
  const latest = consent.latest;
  return section(
    'consent',
    title,
    source,
    'shown',
    facts([
      [t().text.status, label('consentStatus', consent.status)],
      [
        t().text.sharedUnderConsent,
        consent.required ? consent.units.map((unit) => label('units', unit)).join(', ') || t().text.nothing : null,
      ],
      [t().text.given, latest ? formatDate(latest.givenOn) : null],
      [t().text.withdrawn, latest?.withdrawnOn ? formatDate(latest.withdrawnOn) : null],
    ]),
  );
}

export function guidanceSection(youth: Dossier, context: AnswerContext): HTMLElement {
  const title = t().text.guidance;
  const source = t().text.guidanceSource;
  const guidance = youth.guidance;
  if (!guidance) return missingSection('guidance', title, source, whyMissing('guidance', context, t().text.noGuidance));
  const readiness = guidance.readiness;
  const plan = guidance.educationPlan;
  const enrolment = guidance.currentEnrolment;
  return section(
    'guidance',
    title,
    source,
    'shown',
    facts([
      [t().text.counsellor, guidance.counsellor ? guidance.counsellor.name : null],
      [
        t().text.readiness,
        readiness
          ? t().text.readinessValue(
              label('readiness', readiness.vocational),
              label('readiness', readiness.upperSecondary),
              readiness.grade,
              formatDate(readiness.date),
            )
          : null,
      ],
      [t().text.activity, guidance.activity ? label('activities', guidance.activity) : null],
      [
        t().text.enrolled,
        enrolment ? `${enrolment.programme}, ${enrolment.institution.name}${enrolment.needsSupport ? t().text.needsSupport : ''}` : null,
      ],
      [t().text.educationPlan, plan ? `${plan.goal} (${plan.track})` : t().text.noneLower],
    ]),
    plan && plan.steps.length > 0
      ? list(plan.steps, (step) => `${step.text}, ${step.done ? t().text.done : t().text.dueOn(formatDate(step.due))}`, '')
      : null,
  );
}

export function jobcenterSection(youth: Dossier, context: AnswerContext): HTMLElement {
  const title = t().text.jobcenter;
  const source = t().text.jobcenterSource;
  const record = youth.jobcenter;
  if (!record) return missingSection('jobcenter', title, source, whyMissing('jobcenter', context, t().text.notKnownToJobcenter));
  return section(
    'jobcenter',
    title,
    source,
    'shown',
    facts([
      [t().text.category, label('jobcenterCategories', record.category)],
      [t().text.advisor, record.advisor.name],
      [t().text.referred, formatDate(record.referred)],
      [t().text.goal, `${record.goal.text} (${record.goal.track})`],
    ]),
    h('h4', {}, t().text.efforts),
    list(
      record.efforts,
      (effort) => `${effort.description} (${effort.active ? t().text.active : t().text.ended(formatDate(effort.end))})`,
      t().text.noEfforts,
    ),
  );
}

export function socialSection(youth: Dossier, context: AnswerContext): HTMLElement {
  const title = t().text.social;
  const source = t().text.socialSource;
  if (youth.social) {
    return section(
      'social',
      title,
      source,
      'shown',
      list(
        youth.social.cases,
        (socialCase) =>
          t().text.caseLine(
            label('socialUnits', socialCase.unit),
            socialCase.open ? t().text.openCase : t().text.closedCase,
            formatDate(socialCase.opened),
            socialCase.caseworker.name,
          ) +
          (socialCase.measures.some((m) => m.active)
            ? t().text.measuresSuffix(
                socialCase.measures
                  .filter((m) => m.active)
                  .map((m) => label('measures', m.type))
                  .join(', '),
              )
            : ''),
        t().text.noCases,
      ),
    );
  }
  const detail = whyMissing('social', context, t().text.noCases);
  // A role that may not read the cases may still see the summary other units are allowed.
  if (detail.state === 'refused' && youth.socialSummary) {
    return section(
      'social',
      title,
      source,
      'shown',
      h('p', { class: 'hint' }, t().text.caseDetailsHidden),
      list(
        youth.socialSummary.openCases,
        (openCase) =>
          t().text.summaryLine(label('socialUnits', openCase.unit), openCase.caseworker.name) +
          (openCase.activeMeasures.length > 0
            ? t().text.measuresSuffix(openCase.activeMeasures.map((m) => label('measures', m)).join(', '))
            : ''),
        t().text.noOpenCases,
      ),
    );
  }
  if (detail.state === 'refused')
    return missingSection('social', title, source, whyMissing('socialSummary', context, t().text.noOpenCases));
  return missingSection('social', title, source, detail);
}

export function benefitsSection(youth: Dossier, context: AnswerContext): HTMLElement {
  const title = t().text.benefits;
  const source = t().text.benefitsSource;
  const record = youth.benefits;
  if (!record) return missingSection('benefits', title, source, whyMissing('benefits', context, t().text.noBenefits));
  return section(
    'benefits',
    title,
    source,
    'shown',
    facts([[t().text.paidMonthly, formatDkk(record.currentMonthlyAmountDkk)]]),
    list(
      record.payments.filter((payment) => payment.active),
      (payment) => t().text.perMonth(label('benefits', payment.type), formatDkk(payment.monthlyAmountDkk)),
      t().text.noPayments,
    ),
  );
}
