/**
 * Meetings about the young person (issue 15): the dossier's list of them and the form that records one.
 * The form sends what the caseworker chose; the graph decides and refuses with a code (shown next to the
 * form in the screen's language, with the focus on the field it names). One idempotency key per intended
 * meeting: a double click or a retry after a lost answer records it once.
 */
import { ageOn } from '../../platform/dates.js';
import { facts, h } from './dom.js';
import { newIdempotencyKey, type GraphAnswer } from './graph.js';
import { t } from './i18n/index.js';
import { formatDate, formatDateTime, label } from './labels.js';
import {
  MEETING_KINDS,
  MEETING_PLACES,
  MEETING_ROLES,
  RECORD_MEETING_MUTATION,
  UNITS,
  type MeetingRecord,
  type RecordMeetingAnswer,
  type RecordMeetingInput,
} from './meetingQueries.js';
import type { Dossier } from './queries.js';
import { whyMissing, type AnswerContext } from './sections.js';

/** What the section needs from the controller (main.ts owns the token and the dossier). */
export interface WriteControls {
  /** The token carries `plan:write`. */
  mayWrite: boolean;
  /** Sends a mutation with the session's token; undefined when the token was refused (the screen asks again). */
  send: <T>(query: string, variables: Record<string, unknown>) => Promise<Exclude<GraphAnswer<T>, { kind: 'unauthenticated' }> | undefined>;
  /** After a success: the dossier read again, the confirmation said, the focus on the element with `focusId`. */
  done: (confirmation: string, focusId: string) => Promise<void>;
}

/** Today in the browser's calendar, as the date field's default and its upper bound. */
export function localToday(now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

export function meetingsSection(youth: Dossier, context: AnswerContext, controls: WriteControls): HTMLElement {
  const words = t().meetings;
  const meetings = youth.meetings;
  const missing = meetings ? null : whyMissing('meetings', context, words.none);
  const state = missing ? missing.state : 'shown';
  return h(
    'section',
    {
      class: `card meetings state-${state}`,
      'data-section': 'meetings',
      'data-state': state,
      'aria-labelledby': 'section-meetings-heading',
    },
    h('h3', { id: 'section-meetings-heading', tabindex: -1 }, words.heading),
    h('p', { class: 'source' }, words.source),
    missing
      ? h('p', { class: `missing missing-${missing.state}` }, missing.message)
      : meetings && meetings.length > 0
        ? h('ul', { class: 'meeting-list' }, meetings.map(meetingItem))
        : h('p', { class: 'none' }, words.none),
    // A young person whose meetings cannot be read cannot have one recorded either.
    meetings ? (controls.mayWrite ? meetingForm(youth, controls) : h('p', { class: 'hint' }, words.mayNotRecord)) : null,
  );
}

/** "Den unge, 2 × Forælder/værge, UU-vejleder": one entry per person, counted per role in the enum's order. */
function participantsText(participants: readonly string[]): string {
  const words = t().meetings;
  const counts = new Map<string, number>();
  for (const role of participants) counts.set(role, (counts.get(role) ?? 0) + 1);
  const roles = [...MEETING_ROLES, ...[...counts.keys()].filter((role) => !(MEETING_ROLES as readonly string[]).includes(role))];
  return roles
    .filter((role) => counts.has(role))
    .map((role) => words.participantCount(counts.get(role) ?? 0, words.roles[role] ?? role))
    .join(', ');
}

function meetingItem(meeting: MeetingRecord): HTMLLIElement {
  const words = t().meetings;
  const place = words.places[meeting.place] ?? meeting.place;
  return h(
    'li',
    { id: `meeting-${meeting.id}`, tabindex: -1, 'data-meeting-id': meeting.id, 'data-kind': meeting.kind, 'data-place': meeting.place },
    h(
      'p',
      { class: 'meeting-title' },
      h('time', { datetime: meeting.heldOn }, formatDate(meeting.heldOn)),
      ' · ',
      h('strong', {}, words.kinds[meeting.kind] ?? meeting.kind),
      ' ',
      words.heldAt(meeting.placeNote ? `${place} (${meeting.placeNote})` : place),
    ),
    facts([
      [words.units, meeting.units.map((unit) => label('units', unit)).join(', ')],
      [words.participants, participantsText(meeting.participants)],
      [words.decisions, meeting.jointDecisions.length > 0 ? meeting.jointDecisions.map((d) => d.summary).join('; ') : null],
      [words.actions, meeting.planActions.length > 0 ? meeting.planActions.map((a) => a.title).join('; ') : null],
    ]),
    h('p', { class: 'hint' }, words.recordedBy(meeting.recordedBy, formatDateTime(meeting.recordedAt))),
  );
}

// ---- the form ------------------------------------------------------------------------------------------

function field(id: string, text: string, control: HTMLElement, hint?: HTMLElement): HTMLElement {
  return h('div', { class: 'field' }, h('label', { for: id }, text), control, hint ?? null);
}

function checkbox(id: string, name: string, value: string, text: string, checked = false): HTMLElement {
  return h('div', { class: 'checkbox' }, h('input', { type: 'checkbox', id, name, value, checked }), h('label', { for: id }, text));
}

function meetingForm(youth: Dossier, controls: WriteControls): HTMLFormElement {
  const words = t().meetings;
  const today = localToday();
  const date = h('input', { type: 'date', id: 'meeting-date', name: 'heldOn', required: true, max: today, value: today });
  const kind = h(
    'select',
    { id: 'meeting-kind', name: 'kind' },
    MEETING_KINDS.map((code) => h('option', { value: code }, words.kinds[code] ?? code)),
  );
  const place = h(
    'select',
    { id: 'meeting-place', name: 'place' },
    MEETING_PLACES.map((code) => h('option', { value: code }, words.places[code] ?? code)),
  );
  const placeNote = h('input', { type: 'text', id: 'meeting-place-note', name: 'placeNote', maxlength: 200 });
  const placeNoteField = field('meeting-place-note', words.placeNote, placeNote);
  placeNoteField.hidden = true;
  place.addEventListener('change', () => (placeNoteField.hidden = place.value !== 'OTHER'));

  const units = h(
    'fieldset',
    { class: 'choices', id: 'meeting-units' },
    h('legend', {}, words.units),
    UNITS.map((unit) => checkbox(`meeting-unit-${unit}`, 'units', unit, label('units', unit))),
  );

  const roleInputs = new Map<string, HTMLInputElement>();
  const roleFields = MEETING_ROLES.map((role) => {
    const id = `meeting-role-${role}`;
    // The young person is there or not; every other role may count several people.
    const input =
      role === 'YOUNG_PERSON'
        ? h('input', { type: 'checkbox', id, name: role, checked: true })
        : h('input', { type: 'number', id, name: role, min: 0, max: 30, value: 0, inputmode: 'numeric', class: 'count' });
    roleInputs.set(role, input);
    return h(
      'div',
      { class: role === 'YOUNG_PERSON' ? 'checkbox' : 'count-field', 'data-role': role },
      input,
      h('label', { for: id }, words.roles[role] ?? role),
    );
  });
  const parentField = roleFields[MEETING_ROLES.indexOf('PARENT_OR_GUARDIAN')]!;
  const parentNote = h('p', { class: 'hint', id: 'meeting-parent-note' }, words.parentOnlyUnder18);
  // A parent or guardian is offered only while the young person is under 18 on the meeting's day.
  const offerParent = () => {
    let under18 = (youth.age ?? 0) < 18;
    if (youth.birthDate && /^\d{4}-\d{2}-\d{2}$/.test(date.value)) {
      try {
        under18 = ageOn(youth.birthDate, date.value) < 18;
      } catch {
        // An impossible date: leave the choice as it was; the graph refuses the date itself.
      }
    }
    parentField.hidden = !under18;
    parentNote.hidden = under18;
    if (!under18) roleInputs.get('PARENT_OR_GUARDIAN')!.value = '0';
  };
  date.addEventListener('change', offerParent);
  offerParent();
  const participants = h(
    'fieldset',
    { class: 'choices', id: 'meeting-participants', 'aria-describedby': 'meeting-participants-hint' },
    h('legend', {}, words.participants),
    h('p', { class: 'hint', id: 'meeting-participants-hint' }, words.participantsHint),
    roleFields,
    parentNote,
  );

  const decisions = (youth.coordinatedPlan?.jointDecisions ?? []).filter((decision) => !decision.meetingId);
  const actions = (youth.coordinatedPlan?.agreedActions ?? []).filter((action) => !action.meetingId && action.status !== 'CANCELLED');
  const links =
    decisions.length + actions.length > 0
      ? h(
          'fieldset',
          { class: 'choices', id: 'meeting-links', 'aria-describedby': 'meeting-links-hint' },
          h('legend', {}, words.links),
          h('p', { class: 'hint', id: 'meeting-links-hint' }, words.linksHint),
          decisions.map((d) => checkbox(`meeting-decision-${d.id}`, 'jointDecisionIds', d.id, words.decision(d.summary))),
          actions.map((a) => checkbox(`meeting-action-${a.id}`, 'planActionIds', a.id, words.action(a.title))),
        )
      : null;

  const status = h('p', { class: 'form-status', id: 'meeting-status', role: 'alert', tabindex: -1 });
  const submit = h('button', { type: 'submit' }, words.submit);
  const form = h(
    'form',
    { class: 'meeting-form', id: 'meeting-form', 'aria-labelledby': 'meeting-form-heading', novalidate: true },
    h('h4', { id: 'meeting-form-heading' }, words.formHeading),
    h(
      'div',
      { class: 'field-stack' },
      field('meeting-date', words.date, date),
      field('meeting-kind', words.kind, kind),
      field('meeting-place', words.place, place),
      placeNoteField,
    ),
    units,
    participants,
    links,
    submit,
    status,
  );

  const checked = (name: string) =>
    [...form.querySelectorAll<HTMLInputElement>(`input[type="checkbox"][name="${name}"]:checked`)].map((input) => input.value);
  const readInput = (): RecordMeetingInput => {
    const people: string[] = [];
    for (const role of MEETING_ROLES) {
      const input = roleInputs.get(role)!;
      if (input.closest<HTMLElement>('[data-role]')?.hidden) continue;
      const count = input.type === 'checkbox' ? (input.checked ? 1 : 0) : Math.max(0, Math.min(31, Math.trunc(Number(input.value) || 0)));
      for (let i = 0; i < count; i++) people.push(role);
    }
    const input: RecordMeetingInput = {
      youthId: youth.id,
      heldOn: date.value,
      kind: kind.value,
      place: place.value,
      units: checked('units'),
      participants: people,
    };
    if (place.value === 'OTHER' || placeNote.value.trim()) input.placeNote = placeNote.value.trim();
    const jointDecisionIds = checked('jointDecisionIds');
    const planActionIds = checked('planActionIds');
    if (jointDecisionIds.length > 0) input.jointDecisionIds = jointDecisionIds;
    if (planActionIds.length > 0) input.planActionIds = planActionIds;
    return input;
  };
  /** The control a refusal's `extensions.field` names, to mark and focus. */
  const controlFor = (name: string): HTMLElement | null => {
    switch (name.replace(/^input\./, '')) {
      case 'heldOn':
        return date;
      case 'kind':
        return kind;
      case 'place':
        return place;
      case 'placeNote':
        placeNoteField.hidden = false;
        return placeNote;
      case 'units':
        return units.querySelector('input');
      case 'participants':
        return participants.querySelector('[data-role]:not([hidden]) input');
      case 'jointDecisionIds':
        return form.querySelector('input[name="jointDecisionIds"]');
      case 'planActionIds':
        return form.querySelector('input[name="planActionIds"]');
      default:
        return null;
    }
  };

  let pending: { forInput: string; key: string } | undefined;
  form.addEventListener('input', (event) => {
    if (event.target instanceof HTMLElement) event.target.removeAttribute('aria-invalid');
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    // A second click while the first is on its way does nothing; the key covers a retry after a lost answer.
    if (submit.disabled) return;
    const input = readInput();
    const forInput = JSON.stringify(input);
    if (pending?.forInput !== forInput) pending = { forInput, key: newIdempotencyKey() };
    void send(input, pending.key);
  });

  async function send(input: RecordMeetingInput, key: string): Promise<void> {
    submit.disabled = true;
    submit.setAttribute('aria-busy', 'true');
    status.className = 'form-status';
    delete status.dataset.code;
    status.textContent = words.recording;
    for (const invalid of form.querySelectorAll('[aria-invalid]')) invalid.removeAttribute('aria-invalid');
    const answer = await controls.send<RecordMeetingAnswer>(RECORD_MEETING_MUTATION, { input: { ...input, idempotencyKey: key } });
    if (!answer) return;
    submit.disabled = false;
    submit.removeAttribute('aria-busy');
    const meeting = answer.kind === 'answered' ? answer.data?.recordMeeting : null;
    if (meeting) {
      pending = undefined;
      await controls.done(words.recorded(formatDate(meeting.heldOn)), `meeting-${meeting.id}`);
      return;
    }
    status.className = 'form-status form-error';
    if (answer.kind === 'failed') {
      // No answer: the meeting may have been recorded. The same key on a retry records it once.
      status.textContent = `${answer.message} ${words.retrySafe}`;
      status.focus();
      return;
    }
    // The graph said no and wrote nothing: a new attempt is a new request.
    pending = undefined;
    const error = answer.errors[0];
    const code = error?.extensions?.code ?? '';
    const fieldName = typeof error?.extensions?.field === 'string' ? error.extensions.field : '';
    status.dataset.code = code;
    if (fieldName) status.dataset.field = fieldName;
    const byField = code === 'BAD_USER_INPUT' ? words.fields[fieldName.replace(/^input\./, '')] : undefined;
    status.textContent = byField ?? words.errors[code] ?? error?.message ?? words.nothingRecorded;
    const control = controlFor(fieldName);
    if (control) {
      control.setAttribute('aria-invalid', 'true');
      control.setAttribute('aria-errormessage', 'meeting-status');
      control.focus();
    } else {
      status.focus();
    }
  }
  return form;
}
