/**
 * The plan's agreed actions with their history (issue 15): each action shows where it stands and, in a
 * disclosure, every change (when, who, what, before and after, why); nothing is ever deleted. A caller
 * who may write the plan edits or cancels an open action with a reason, which the history then keeps.
 */
import { CHANGE_REASON_MIN } from '../../subgraphs/coordination/store/limits.js';
import { h } from './dom.js';
import { newIdempotencyKey } from './graph.js';
import { t } from './i18n/index.js';
import { counterText, formatDate, formatDateCompact, formatDateTime, label } from './labels.js';
import {
  CANCEL_PLAN_ACTION_MUTATION,
  EDIT_PLAN_ACTION_MUTATION,
  UNITS,
  type AgreedAction,
  type CancelPlanActionAnswer,
  type EditPlanActionAnswer,
  type MeetingRecord,
  type PlanActionChange,
} from './meetingQueries.js';
import type { WriteControls } from './meetings.js';

/** The agreed actions, oldest first, each with its history (and the change form when the role may write). */
export function agreedActionsList(
  actions: readonly AgreedAction[],
  meetings: readonly MeetingRecord[] | null,
  controls: WriteControls | undefined,
): HTMLElement {
  if (actions.length === 0) return h('p', { class: 'none' }, t().text.noneAgreed);
  return h(
    'ul',
    { class: 'plain-list agreed-actions' },
    actions.map((action) => actionItem(action, meetings ?? [], controls)),
  );
}

function statusText(action: AgreedAction): string {
  if (action.status === 'CANCELLED') return t().planHistory.cancelled;
  if (action.status === 'DONE') return t().text.done;
  return action.due ? t().text.dueOn(formatDate(action.due)) : t().text.open;
}

function actionItem(action: AgreedAction, meetings: readonly MeetingRecord[], controls: WriteControls | undefined): HTMLLIElement {
  const words = t().planHistory;
  return h(
    'li',
    { id: `plan-action-${action.id}`, tabindex: -1, 'data-action-id': action.id, 'data-status': action.status, class: 'agreed-action' },
    h(
      'span',
      { class: 'action-line' },
      h('span', { class: action.status === 'CANCELLED' ? 'action-title cancelled' : 'action-title' }, action.title),
      ` · ${label('units', action.ownerUnit)} · ${statusText(action)}`,
    ),
    action.status === 'CANCELLED' && action.cancelledReason
      ? h('p', { class: 'hint' }, words.cancelledBecause(action.cancelledReason))
      : null,
    action.history.length > 0
      ? h(
          'details',
          { class: 'history' },
          h('summary', {}, words.history(action.history.length)),
          h(
            'ol',
            { class: 'history-list' },
            action.history.map((change) => changeItem(change, meetings)),
          ),
        )
      : null,
    controls?.mayWrite && action.status !== 'CANCELLED' ? changeForm(action, controls) : null,
  );
}

/** A field's value as the history gives it (an enum name, an ISO date, an id), in words. */
function valueText(field: string, value: string | null, meetings: readonly MeetingRecord[]): string {
  const words = t().planHistory;
  if (value === null || value === '') return words.empty;
  switch (field) {
    case 'DUE':
      return formatDateCompact(value);
    case 'OWNER_UNIT':
      return label('units', value);
    case 'STATUS':
      return words.statuses[value] ?? value;
    case 'TRANSITION':
      return label('dueKinds', value);
    case 'MEETING': {
      const meeting = meetings.find((m) => m.id === value);
      return meeting ? `${formatDateCompact(meeting.heldOn)} ${t().meetings.kinds[meeting.kind] ?? meeting.kind}` : value;
    }
    default:
      return value;
  }
}

function changeItem(change: PlanActionChange, meetings: readonly MeetingRecord[]): HTMLLIElement {
  const words = t().planHistory;
  const who = [change.changedByRole, change.changedByUnit].filter(Boolean).join(', ');
  return h(
    'li',
    { 'data-kind': change.kind },
    h(
      'p',
      { class: 'change-head' },
      h('time', { datetime: change.changedAt }, formatDateTime(change.changedAt)),
      ' · ',
      h('strong', {}, words.kinds[change.kind] ?? change.kind),
      ' ',
      words.by(who ? `${change.changedBy} (${who})` : change.changedBy),
    ),
    change.changes.length > 0
      ? h(
          'ul',
          { class: 'field-changes' },
          change.changes.map((fieldChange) => {
            const name = words.fields[fieldChange.field] ?? fieldChange.field;
            const after = fieldChange.after === null ? words.cleared : valueText(fieldChange.field, fieldChange.after, meetings);
            const text =
              change.kind === 'CREATED' || fieldChange.before === null
                ? `${name}: ${change.kind === 'CREATED' ? after : words.setTo(after)}`
                : `${name}: ${valueText(fieldChange.field, fieldChange.before, meetings)} → ${after}`;
            return h('li', { 'data-field': fieldChange.field }, text);
          }),
        )
      : null,
    change.reason ? h('p', { class: 'change-reason' }, `${words.reason}: ${change.reason}`) : null,
  );
}

// ---- editing and cancelling ---------------------------------------------------------------------------

function changeForm(action: AgreedAction, controls: WriteControls): HTMLElement {
  const words = t().planHistory;
  const id = (part: string) => `plan-action-${action.id}-${part}`;
  const title = h('input', { type: 'text', id: id('title'), name: 'title', value: action.title, maxlength: 200, required: true });
  const due = h('input', { type: 'date', id: id('due'), name: 'due', value: action.due ?? '' });
  const owner = h(
    'select',
    { id: id('owner'), name: 'ownerUnit' },
    UNITS.map((unit) => h('option', { value: unit, selected: unit === action.ownerUnit }, label('units', unit))),
  );
  const reason = h('textarea', {
    id: id('reason'),
    name: 'reason',
    rows: 2,
    maxlength: 500,
    required: true,
    'aria-describedby': `${id('reason-hint')} ${id('reason-count')}`,
  });
  const count = h('p', { class: 'counter', id: id('reason-count') }, counterText('', CHANGE_REASON_MIN));
  reason.addEventListener('input', () => {
    count.textContent = counterText(reason.value, CHANGE_REASON_MIN);
    reason.removeAttribute('aria-invalid');
  });
  const save = h('button', { type: 'submit', 'data-action': 'edit' }, words.save);
  const cancel = h('button', { type: 'button', class: 'secondary', 'data-action': 'cancel' }, words.cancel);
  const status = h('p', { class: 'form-status', id: id('status'), role: 'alert', tabindex: -1 });
  const form = h(
    'form',
    { class: 'plan-action-form', 'aria-label': words.changeLabel(action.title), novalidate: true },
    h('div', { class: 'field' }, h('label', { for: id('title') }, words.title), title),
    h(
      'div',
      { class: 'field-row' },
      h('div', { class: 'field' }, h('label', { for: id('due') }, words.due), due),
      h('div', { class: 'field' }, h('label', { for: id('owner') }, words.ownerUnit), owner),
    ),
    h(
      'div',
      { class: 'field' },
      h('label', { for: id('reason') }, words.reasonLabel),
      h('p', { class: 'hint', id: id('reason-hint') }, words.reasonHint(CHANGE_REASON_MIN)),
      reason,
      count,
    ),
    h('div', { class: 'buttons' }, save, action.status === 'OPEN' ? cancel : null),
    status,
  );

  /** One key per intended change, kept while its outcome is unknown. */
  let pending: { forInput: string; key: string } | undefined;
  const keyFor = (input: Record<string, unknown>) => {
    const forInput = JSON.stringify(input);
    if (pending?.forInput !== forInput) pending = { forInput, key: newIdempotencyKey() };
    return pending.key;
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (save.disabled) return;
    // Only what changed is sent; the graph refuses a change that changes nothing.
    const input: Record<string, unknown> = { actionId: action.id, reason: reason.value.trim() };
    if (title.value.trim() !== action.title) input.title = title.value.trim();
    if ((due.value || null) !== action.due) input.due = due.value || null;
    if (owner.value !== action.ownerUnit) input.ownerUnit = owner.value;
    void send('edit', input);
  });
  cancel.addEventListener('click', () => {
    if (cancel.disabled) return;
    void send('cancel', { actionId: action.id, reason: reason.value.trim() });
  });

  async function send(kind: 'edit' | 'cancel', input: Record<string, unknown>): Promise<void> {
    const key = keyFor({ kind, ...input });
    save.disabled = cancel.disabled = true;
    status.className = 'form-status';
    delete status.dataset.code;
    status.textContent = words.saving;
    const answer =
      kind === 'edit'
        ? await controls.send<EditPlanActionAnswer>(EDIT_PLAN_ACTION_MUTATION, { input: { ...input, idempotencyKey: key } })
        : await controls.send<CancelPlanActionAnswer>(CANCEL_PLAN_ACTION_MUTATION, { input: { ...input, idempotencyKey: key } });
    if (!answer) return;
    save.disabled = cancel.disabled = false;
    const data = answer.kind === 'answered' ? answer.data : null;
    const changed = data && ('editPlanAction' in data ? data.editPlanAction : data.cancelPlanAction);
    if (changed) {
      pending = undefined;
      const name = typeof input.title === 'string' ? input.title : action.title;
      await controls.done(kind === 'edit' ? words.saved(name) : words.cancelledDone(name), `plan-action-${action.id}`);
      return;
    }
    status.className = 'form-status form-error';
    if (answer.kind === 'failed') {
      status.textContent = `${answer.message} ${words.retrySafe}`;
      status.focus();
      return;
    }
    pending = undefined;
    const error = answer.errors[0];
    const code = error?.extensions?.code ?? '';
    status.dataset.code = code;
    status.textContent = words.errors[code] ?? error?.message ?? words.nothingChanged;
    if (code === 'REASON_REQUIRED') {
      reason.setAttribute('aria-invalid', 'true');
      reason.setAttribute('aria-errormessage', id('status'));
      reason.focus();
    } else {
      status.focus();
    }
  }

  return h('details', { class: 'plan-action-change' }, h('summary', {}, words.changeHeading), form);
}
