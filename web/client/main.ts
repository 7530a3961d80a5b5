/**
 * The reference screen: a caseworker signs in with a token, picks a young person from the screening
 * register, reads the dossier across the five systems and the coordination, and assigns a continuous
 * contact person. It shows what the graph answers and says why a part is missing; the graph decides.
 */
import { byId, h } from './dom.js';
import {
  BREAK_THE_GLASS_HEADER,
  BREAK_THE_GLASS_REASON_MAX,
  BREAK_THE_GLASS_REASON_MIN,
  MUNICIPAL_ROLES,
} from '../../platform/authorization/relation.js';
import { CONSENT_REQUIRED_CODE, newIdempotencyKey, requestGraph, REFUSED_CODE, type GraphAnswer } from './graph.js';
import {
  JUSTIFICATION_MIN,
  SUPPORT_COORDINATION_MIN,
  counterText,
  formatDate,
  formatDateCompact,
  formatDateTime,
  formatTime,
  label,
  serviceLabel,
} from './labels.js';
import { graphLanguage, isLanguage, setLanguage, storedLanguage, t } from './i18n/index.js';
import { applyPageTexts } from './i18n/page.js';
import {
  ASSIGN_MUTATION,
  DOSSIER_QUERY,
  YOUTHS_QUERY,
  type AssignAnswer,
  type ContactPersonOption,
  type DossierAnswer,
  type DueItem,
  type YouthListItem,
  type YouthsAnswer,
} from './queries.js';
import {
  answerContext,
  benefitsSection,
  consentSection,
  contactPersonSection,
  guidanceSection,
  jobcenterSection,
  planSection,
  schoolSection,
  socialSection,
  targetGroupSection,
  type AnswerContext,
  type AssignAdvice,
} from './sections.js';
import { meetingsSection, type WriteControls } from './meetings.js';
import { adoptTokenFromFragment, forgetToken, storeToken, storedToken, tokenInfo, type TokenInfo } from './token.js';

const PAGE_SIZE = 10;

const page = {
  session: byId('session', HTMLDivElement),
  sessionWho: byId('session-who', HTMLSpanElement),
  signOut: byId('sign-out', HTMLButtonElement),
  notices: byId('notices', HTMLDivElement),
  tokenPanel: byId('token-panel', HTMLElement),
  tokenProblem: byId('token-problem', HTMLParagraphElement),
  tokenForm: byId('token-form', HTMLFormElement),
  tokenInput: byId('token-input', HTMLTextAreaElement),
  workspace: byId('workspace', HTMLDivElement),
  filters: byId('filters', HTMLFormElement),
  filterName: byId('filter-name', HTMLInputElement),
  filterDue: byId('filter-due', HTMLSelectElement),
  filterMine: byId('filter-mine', HTMLInputElement),
  filterTargetGroup: byId('filter-target-group', HTMLSelectElement),
  filterContactPerson: byId('filter-contact-person', HTMLSelectElement),
  listSummary: byId('list-summary', HTMLParagraphElement),
  registerStatus: byId('register-status', HTMLParagraphElement),
  list: byId('youth-list', HTMLUListElement),
  previous: byId('page-previous', HTMLButtonElement),
  next: byId('page-next', HTMLButtonElement),
  pageNumber: byId('page-number', HTMLSpanElement),
  dossierHeading: byId('dossier-heading', HTMLHeadingElement),
  dossierIntro: byId('dossier-intro', HTMLParagraphElement),
  dossierBody: byId('dossier-body', HTMLDivElement),
  openById: byId('open-by-id', HTMLFormElement),
  openId: byId('open-id', HTMLInputElement),
};

const state = {
  token: undefined as string | undefined,
  info: undefined as TokenInfo | undefined,
  /** `cursors[i]` opens page i (null: the first page). */
  cursors: [null] as (string | null)[],
  pageIndex: 0,
  openYouthId: undefined as string | undefined,
  /** One key per intended assignment, kept while its outcome is unknown (a retry must not assign twice). */
  assignKey: undefined as { forInput: string; key: string } | undefined,
  /** Ignores answers to requests that a newer one has overtaken. */
  listRequest: 0,
  dossierRequest: 0,
};

// ---- token and session ------------------------------------------------------------------------------

function start(): void {
  setLanguage(storedLanguage(window.localStorage));
  applyPageTexts(document);
  showNoDossier();
  for (const button of document.querySelectorAll<HTMLButtonElement>('[data-language]')) {
    button.addEventListener('click', () => switchLanguage(button.dataset.language));
  }
  adoptTokenFromFragment(window.location, window.history, window.sessionStorage);
  page.tokenForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const token = page.tokenInput.value.trim();
    if (!tokenInfo(token)) return showTokenPanel(t().text.notAToken);
    storeToken(window.sessionStorage, token);
    page.tokenInput.value = '';
    signIn(token);
  });
  page.signOut.addEventListener('click', () => {
    forgetToken(window.sessionStorage);
    showTokenPanel(t().text.signedOut);
  });
  page.filters.addEventListener('submit', (event) => {
    event.preventDefault();
    restartList();
  });
  watchWorklistControls();
  page.previous.addEventListener('click', () => turnPage(-1));
  page.next.addEventListener('click', () => turnPage(1));
  page.openById.addEventListener('submit', (event) => {
    event.preventDefault();
    const id = page.openId.value.trim();
    if (id) void openDossier(id, { focus: 'heading' });
  });
  page.list.addEventListener('keydown', onListKey);
  page.list.addEventListener('click', (event) => {
    const option = event.target instanceof Element ? event.target.closest<HTMLElement>('[role="option"]') : null;
    if (option?.dataset.youthId) chooseYouth(option);
  });

  const token = storedToken(window.sessionStorage);
  if (token) signIn(token);
  else showTokenPanel();
}

function signIn(token: string): void {
  const info = tokenInfo(token);
  if (info?.expiresAt !== undefined && info.expiresAt <= Date.now()) {
    forgetToken(window.sessionStorage);
    return showTokenPanel(t().text.tokenExpired);
  }
  state.token = token;
  state.info = info;
  page.tokenPanel.hidden = true;
  page.workspace.hidden = false;
  page.session.hidden = false;
  showSession();
  void loadList();
}

function showSession(): void {
  const info = state.info;
  page.sessionWho.textContent = t().text.signedInAs(info?.role, info?.subject, info?.expiresAt ? formatTime(info.expiresAt) : undefined);
}

/**
 * The DA/EN switch (issue 15): the words change at once, the choice is remembered in this browser, and
 * what is on screen is read again so that the graph's own texts (`text(language:)`) follow.
 */
function switchLanguage(next: string | undefined): void {
  if (!isLanguage(next)) return;
  setLanguage(next, window.localStorage);
  applyPageTexts(document);
  if (!state.token) {
    // The token panel's problem, if any, was said in the other language; the panel itself is static.
    page.tokenProblem.textContent = '';
    page.tokenProblem.hidden = true;
    return;
  }
  showSession();
  void loadList();
  if (state.openYouthId) void openDossier(state.openYouthId);
  else showNoDossier();
}

/** The dossier panel before a young person is chosen. */
function showNoDossier(): void {
  page.dossierHeading.textContent = t().page.noYouthChosen;
  page.dossierIntro.textContent = t().page.chooseHint;
}

/** Back to the token field, with a reason; what was on screen goes (it belonged to the old token). */
function showTokenPanel(problem = ''): void {
  state.token = undefined;
  state.info = undefined;
  state.openYouthId = undefined;
  page.session.hidden = true;
  page.workspace.hidden = true;
  page.tokenPanel.hidden = false;
  page.tokenProblem.textContent = problem;
  page.tokenProblem.hidden = problem === '';
  page.list.replaceChildren();
  page.dossierBody.replaceChildren();
  page.notices.replaceChildren();
  page.tokenInput.focus();
}

/** Runs `query` with the session's token; a refused token sends the caseworker back to the token field. */
async function ask<T>(
  query: string,
  variables: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<Exclude<GraphAnswer<T>, { kind: 'unauthenticated' }> | undefined> {
  if (!state.token) return undefined;
  const answer = await requestGraph<T>(state.token, query, variables, headers);
  if (answer.kind === 'unauthenticated') {
    forgetToken(window.sessionStorage);
    showTokenPanel(answer.message);
    return undefined;
  }
  return answer;
}

// ---- notices ----------------------------------------------------------------------------------------

type NoticeKind = 'warning' | 'info' | 'success' | 'error';

function notice(kind: NoticeKind, text: string, data: Record<string, string> = {}): HTMLElement {
  const attributes: Record<string, string> = { class: `notice notice-${kind}` };
  for (const [name, value] of Object.entries(data)) attributes[`data-${name}`] = value;
  const element = h('p', attributes, text);
  page.notices.append(element);
  return element;
}

/**
 * One notice per system that did not answer; with a dossier shown, one when the role hides parts of it
 * and one when the want of consent withholds some (without a dossier there are no parts to speak of).
 */
function noticesFor(context: AnswerContext, dossierShown: boolean): void {
  for (const service of context.unavailable) {
    notice('warning', t().text.serviceDown(serviceLabel(service === 'unknown' ? undefined : service)), {
      notice: 'unavailable',
      service,
    });
  }
  if (!dossierShown) return;
  const codes = new Set(context.errors.map((error) => error.extensions?.code));
  if (codes.has(REFUSED_CODE)) notice('info', t().text.refusedParts, { notice: 'refused' });
  if (codes.has(CONSENT_REQUIRED_CODE)) {
    const why = context.consentGiven ? t().text.consentNotCovering : t().text.consentNotGiven;
    notice('info', t().text.consentParts(why), { notice: 'consent' });
  }
}

// ---- the list of young people -----------------------------------------------------------------------

function currentFilter(): Record<string, unknown> {
  const filter: Record<string, unknown> = { ...worklistFilter() };
  if (page.filterTargetGroup.value !== 'any') filter.inTargetGroup = page.filterTargetGroup.value === 'in';
  if (page.filterContactPerson.value !== 'any') filter.contactPersonStatus = page.filterContactPerson.value;
  return filter;
}

// ---- the worklist (issue 13): due in a period, mine, a name ------------------------------------------

/** The worklist's period in days, or null for everyone (the register's order, no due items). */
function worklistDays(): number | null {
  const days = Number(page.filterDue.value);
  return Number.isInteger(days) && days > 0 ? days : null;
}

function worklistFilter(): Record<string, unknown> {
  const filter: Record<string, unknown> = {};
  const days = worklistDays();
  if (days !== null) filter.dueWithinDays = days;
  if (page.filterMine.checked) filter.mine = true;
  // The graph searches from two characters; one alone would refuse the whole list.
  const name = page.filterName.value.trim();
  if (name.length >= 2) filter.nameContains = name;
  return filter;
}

/** The list's variables beyond the filter: sorted by due date, each row with its due items (`YouthEdge.due`), on the worklist. */
function worklistVariables(): Record<string, unknown> {
  const days = worklistDays();
  return days === null ? {} : { orderBy: 'DUE_DATE', withDue: true };
}

function restartList(): void {
  state.cursors = [null];
  state.pageIndex = 0;
  void loadList();
}

/** The toggles apply at once; the name search after a pause in typing (or at Enter, the form's submit). */
function watchWorklistControls(): void {
  let typing: ReturnType<typeof setTimeout> | undefined;
  page.filterDue.addEventListener('change', restartList);
  page.filterMine.addEventListener('change', restartList);
  page.filterName.addEventListener('input', () => {
    clearTimeout(typing);
    typing = setTimeout(restartList, 400);
  });
  page.filters.addEventListener('submit', () => clearTimeout(typing));
}

/** A row's due items: what falls due, when, and why the young person is on the worklist. */
function dueItems(due: readonly DueItem[] | null | undefined): HTMLElement | null {
  if (!due) return null;
  if (due.length === 0) return h('span', { class: 'due-items none' }, t().text.noDue);
  return h(
    'span',
    { class: 'due-items' },
    due.map((item) => {
      const kind = label('dueKinds', item.kind);
      // The graph's words for what is due, in the screen's language; left out where they only repeat the kind.
      const reason = item.text.toLocaleLowerCase() === kind.toLocaleLowerCase() ? null : h('span', { class: 'due-reason' }, item.text);
      return h(
        'span',
        { class: 'due-item', 'data-kind': item.kind },
        h('time', { class: 'due-date', datetime: item.date }, formatDateCompact(item.date)),
        ' ',
        h('span', { class: 'due-kind' }, kind),
        reason,
      );
    }),
  );
}

function turnPage(step: number): void {
  state.pageIndex = Math.max(0, Math.min(state.cursors.length - 1, state.pageIndex + step));
  void loadList({ focusList: true });
}

async function loadList(options: { focusList?: boolean } = {}): Promise<void> {
  const request = ++state.listRequest;
  page.list.setAttribute('aria-busy', 'true');
  page.listSummary.textContent = t().text.loading;
  const answer = await ask<YouthsAnswer>(YOUTHS_QUERY, {
    language: graphLanguage(),
    filter: currentFilter(),
    first: PAGE_SIZE,
    after: state.cursors[state.pageIndex] ?? null,
    ...worklistVariables(),
  });
  if (!answer || request !== state.listRequest) return;
  page.list.removeAttribute('aria-busy');
  page.registerStatus.textContent = answer.kind === 'answered' ? registerStatusText(answer.data?.screeningStatus ?? null) : '';
  const youths = answer.kind === 'answered' ? answer.data?.youths : null;
  if (!youths) {
    page.list.replaceChildren();
    page.listSummary.textContent = answer.kind === 'failed' ? answer.message : t().text.listUnreadable;
    page.previous.disabled = page.next.disabled = true;
    return;
  }
  if (youths.pageInfo.hasNextPage && youths.pageInfo.endCursor) state.cursors[state.pageIndex + 1] = youths.pageInfo.endCursor;
  else state.cursors.length = state.pageIndex + 1;
  const pages = Math.max(1, Math.ceil(youths.totalCount / PAGE_SIZE));
  page.listSummary.textContent = t().text.worklistSummary(youths.totalCount, worklistDays());
  page.pageNumber.textContent = t().text.pageOf(state.pageIndex + 1, pages);
  page.previous.disabled = state.pageIndex === 0;
  page.next.disabled = !youths.pageInfo.hasNextPage;
  // The list's one Tab stop: the open young person when on this page, else the first.
  const tabStop = youths.edges.find(({ node }) => node.id === state.openYouthId)?.node.id ?? youths.edges[0]?.node.id;
  page.list.replaceChildren(...youths.edges.map(({ node, due }) => listOption(node, node.id === tabStop, due)));
  if (youths.edges.length === 0) page.list.append(h('li', { class: 'none' }, t().text.noMatch));
  if (options.focusList) page.list.querySelector<HTMLElement>('[role="option"]')?.focus();
}

/** The list comes from the screening register, rebuilt on a schedule: say how current it is. */
function registerStatusText(status: YouthsAnswer['screeningStatus']): string {
  if (!status) return '';
  const when = status.finishedAt ? formatDateTime(status.finishedAt) : '';
  if (status.status === 'RUNNING') return t().text.registerRunning;
  if (status.status === 'FAILED') return t().text.registerFailed(when);
  return t().text.registerBuilt(when);
}

function fullName(person: { firstName: string | null; lastName: string | null }): string {
  return [person.firstName, person.lastName].filter(Boolean).join(' ') || t().text.nameHidden;
}

/** Roving tabindex: the list is one Tab stop, the arrow keys move within it. */
function listOption(youth: YouthListItem, tabStop: boolean, due?: readonly DueItem[]): HTMLLIElement {
  const selected = youth.id === state.openYouthId;
  return h(
    'li',
    {
      role: 'option',
      id: `youth-${youth.id}`,
      'data-youth-id': youth.id,
      tabindex: tabStop ? 0 : -1,
      'aria-selected': selected ? 'true' : 'false',
    },
    h('span', { class: 'name' }, fullName(youth)),
    h('span', { class: 'age' }, youth.age === null ? '' : t().text.years(youth.age)),
    dueItems(due),
  );
}

function onListKey(event: KeyboardEvent): void {
  const options = [...page.list.querySelectorAll<HTMLElement>('[role="option"]')];
  const current = document.activeElement instanceof HTMLElement ? options.indexOf(document.activeElement) : -1;
  const move = (index: number) => {
    const target = options[Math.max(0, Math.min(options.length - 1, index))];
    if (!target) return;
    for (const option of options) option.tabIndex = option === target ? 0 : -1;
    target.focus();
  };
  switch (event.key) {
    case 'ArrowDown':
      move(current + 1);
      break;
    case 'ArrowUp':
      move(current - 1);
      break;
    case 'Home':
      move(0);
      break;
    case 'End':
      move(options.length - 1);
      break;
    case 'Enter':
    case ' ': {
      const option = options[current];
      if (option) chooseYouth(option);
      break;
    }
    default:
      return;
  }
  event.preventDefault();
}

function chooseYouth(option: HTMLElement): void {
  const id = option.dataset.youthId;
  if (!id) return;
  for (const other of page.list.querySelectorAll<HTMLElement>('[role="option"]')) {
    other.setAttribute('aria-selected', other === option ? 'true' : 'false');
    other.tabIndex = other === option ? 0 : -1;
  }
  void openDossier(id, { focus: 'heading' });
}

// ---- the dossier ------------------------------------------------------------------------------------

interface OpenOptions {
  /** Where the keyboard focus goes once the dossier is shown. */
  focus?: 'heading' | 'contact-person';
  /** Or the element with this id (a meeting just recorded, a plan action just changed). */
  focusId?: string;
  /** Break-the-glass: open a young person outside the caller's relations with this stated reason. */
  breakTheGlassReason?: string;
  /** A confirmation to show with the refreshed dossier. */
  confirmation?: string;
}

async function openDossier(id: string, options: OpenOptions = {}): Promise<void> {
  const request = ++state.dossierRequest;
  if (state.openYouthId !== id) state.assignKey = undefined;
  state.openYouthId = id;
  page.dossierBody.setAttribute('aria-busy', 'true');
  page.dossierIntro.hidden = false;
  page.dossierIntro.textContent = t().text.loadingDossier;
  const reason = options.breakTheGlassReason;
  const variables = { id, language: graphLanguage() };
  const answer = await ask<DossierAnswer>(DOSSIER_QUERY, variables, reason ? { [BREAK_THE_GLASS_HEADER]: reason } : {});
  if (!answer || request !== state.dossierRequest) return;
  page.dossierBody.removeAttribute('aria-busy');
  page.notices.replaceChildren();
  if (answer.kind === 'failed') {
    page.dossierHeading.textContent = t().text.dossierUnreadable;
    page.dossierIntro.textContent = answer.message;
    page.dossierBody.replaceChildren(refreshButton(id));
    notice('error', answer.message);
    page.dossierHeading.focus();
    return;
  }
  const youth = answer.data?.youth;
  if (!youth || !answer.data) {
    // The root itself failed (UU's system holds identity), or there is no such young person for this token.
    // A field the role may not see is refused before anything runs: no sign that the root failed.
    const failed = answer.errors.some((error) => error.path?.[0] === 'youth' && error.extensions?.code !== REFUSED_CODE);
    page.dossierHeading.textContent = failed ? t().text.dossierUnreadable : t().text.youthNotFound;
    page.dossierIntro.textContent = failed ? t().text.lookupFailed : t().text.noSuchYouth;
    page.dossierBody.replaceChildren(...(failed ? [refreshButton(id)] : mayBreakTheGlass() && !reason ? [breakTheGlassForm(id)] : []));
    noticesFor(answerContext(answer.errors), false);
    page.dossierHeading.focus();
    return;
  }
  const context = answerContext(answer.errors, youth.consent);
  page.dossierHeading.textContent = `${fullName(youth)}${youth.age === null ? '' : `, ${youth.age}`}`;
  page.dossierIntro.hidden = false;
  page.dossierIntro.textContent = youth.birthDate ? t().text.born(formatDate(youth.birthDate)) : '';
  const data = answer.data;
  const mayAssign = state.info?.scopes.includes('contact-person:assign') ?? false;
  page.dossierBody.replaceChildren(
    h('div', { class: 'dossier-actions' }, refreshButton(id)),
    h(
      'div',
      { class: 'overview' },
      targetGroupSection(youth, context),
      contactPersonSection(youth, context, {
        answer: data,
        mayAssign,
        assignForm: (candidates, overCapacity, advice) => assignForm(id, candidates, overCapacity, advice),
      }),
      planSection(youth, context, planWriteControls(id)),
      meetingsSection(youth, context, planWriteControls(id)),
      consentSection(youth, context),
    ),
    h('h3', { class: 'systems-heading' }, t().text.inUnitSystems),
    h(
      'div',
      { class: 'systems' },
      schoolSection(youth, context),
      guidanceSection(youth, context),
      jobcenterSection(youth, context),
      socialSection(youth, context),
      benefitsSection(youth, context),
    ),
  );
  noticesFor(context, true);
  if (reason) {
    notice('warning', t().text.breakTheGlassOpened, { notice: 'break-the-glass' });
  }
  if (options.confirmation) notice('success', options.confirmation, { notice: 'confirmation' });
  if (options.focus === 'heading') page.dossierHeading.focus();
  if (options.focus === 'contact-person') page.dossierBody.querySelector<HTMLElement>('#section-contactPerson-heading')?.focus();
  if (options.focusId) document.getElementById(options.focusId)?.focus();
}

/** Meetings and plan actions (issue 15): written with the session's token, the dossier read again after. */
function planWriteControls(id: string): WriteControls {
  return {
    mayWrite: state.info?.scopes.includes('plan:write') ?? false,
    send: (query, variables) => ask(query, variables),
    done: (confirmation, focusId) => openDossier(id, { confirmation, focusId }),
  };
}

// ---- break-the-glass ---------------------------------------------------------------------------------

/** Municipal staff may open a young person outside their relations; partners and the young person may not. */
function mayBreakTheGlass(): boolean {
  return MUNICIPAL_ROLES.has(state.info?.role ?? '');
}

/** Asks why before a young person outside the caller's relations is opened; nothing is sent without a reason. */
function breakTheGlassForm(id: string): HTMLFormElement {
  // The reason's bounds are the gateway's own constants.
  const min = BREAK_THE_GLASS_REASON_MIN;
  const max = BREAK_THE_GLASS_REASON_MAX;
  const reason = h('textarea', { id: 'btg-reason', name: 'reason', rows: '3', maxlength: String(max), 'aria-describedby': 'btg-hint' });
  reason.addEventListener('input', () => reason.removeAttribute('aria-invalid'));
  const form = h(
    'form',
    { id: 'break-the-glass', class: 'break-the-glass' },
    h('h3', {}, t().text.btgHeading),
    h('p', { id: 'btg-hint', class: 'hint' }, t().text.btgHint(min, max)),
    h('label', { for: 'btg-reason' }, t().text.btgLabel),
    reason,
    h('button', { type: 'submit' }, t().text.btgSubmit),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = reason.value.trim();
    if (text.length < min || text.length > max) {
      page.notices.replaceChildren();
      notice('error', t().text.btgLength(min, max, text.length), { notice: 'break-the-glass-reason' });
      reason.setAttribute('aria-invalid', 'true');
      reason.focus();
      return;
    }
    void openDossier(id, { focus: 'heading', breakTheGlassReason: text });
  });
  return form;
}

function refreshButton(id: string): HTMLButtonElement {
  const button = h('button', { type: 'button', class: 'secondary' }, t().text.refresh);
  button.addEventListener('click', () => void openDossier(id));
  return button;
}

// ---- assigning a contact person ---------------------------------------------------------------------

function assignForm(youthId: string, candidates: ContactPersonOption[], overCapacity: boolean, advice: AssignAdvice): HTMLElement {
  const select = h(
    'select',
    { id: 'assign-person', name: 'contactPersonId', required: true },
    candidates.map((person) => h('option', { value: person.id }, t().text.caseload(person.name, person.caseload, person.caseloadLimit))),
  );
  const justification = advice.needsJustification
    ? reasonField('assign-justification', 'justification', t().text.justificationLabel, t().text.justificationHint, JUSTIFICATION_MIN)
    : null;
  const coordination = advice.needsCoordination
    ? reasonField(
        'assign-coordination',
        'supportCoordination',
        t().text.coordinationLabel,
        t().text.coordinationHint,
        SUPPORT_COORDINATION_MIN,
      )
    : null;
  const acceptOver = h('input', { type: 'checkbox', id: 'assign-over-capacity', name: 'acceptOverCapacity' });
  const overCapacityField = h(
    'div',
    { class: 'checkbox' },
    acceptOver,
    h('label', { for: 'assign-over-capacity' }, t().text.acceptOverCapacity),
  );
  overCapacityField.hidden = !overCapacity;
  const status = h('p', { class: 'form-status', id: 'assign-status', role: 'alert' });
  const submit = h('button', { type: 'submit' }, t().text.assignSubmit);
  const form = h(
    'form',
    { class: 'assign-form', 'aria-label': t().text.assignFormLabel, 'data-basis': advice.basis, novalidate: true },
    h('label', { for: 'assign-person' }, t().text.contactPerson),
    select,
    justification?.field ?? null,
    coordination?.field ?? null,
    overCapacityField,
    submit,
    status,
  );

  const controls = { select, submit, status, overCapacityField, reasons: { justification, supportCoordination: coordination } };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    // A second click while the first is on its way does nothing; the idempotency key covers the rest.
    if (submit.disabled) return;
    const input: AssignInput = { youthId, contactPersonId: select.value, acceptOverCapacity: acceptOver.checked };
    // Sent as typed (trimmed): the graph decides whether the reasons say enough, and says why not.
    if (justification) input.justification = justification.input.value.trim();
    if (coordination) input.supportCoordination = coordination.input.value.trim();
    void submitAssignment(input, controls);
  });
  return form;
}

/** A written reason the graph requires: a labelled text area, its hint, and a counter towards the minimum. */
interface ReasonField {
  field: HTMLElement;
  input: HTMLTextAreaElement;
}

function reasonField(id: string, name: string, labelText: string, hint: string, min: { characters: number; words: number }): ReasonField {
  const input = h('textarea', {
    id,
    name,
    rows: 4,
    required: true,
    maxlength: 2000,
    'aria-describedby': `${id}-hint ${id}-count`,
  });
  const count = h('p', { class: 'counter', id: `${id}-count` }, counterText('', min));
  input.addEventListener('input', () => {
    count.textContent = counterText(input.value, min);
    input.removeAttribute('aria-invalid');
  });
  return {
    input,
    field: h(
      'div',
      { class: 'reason-field' },
      h('label', { for: id }, labelText),
      h('p', { class: 'hint', id: `${id}-hint` }, hint),
      input,
      count,
    ),
  };
}

interface AssignInput {
  youthId: string;
  contactPersonId: string;
  acceptOverCapacity: boolean;
  justification?: string;
  supportCoordination?: string;
}

interface AssignControls {
  select: HTMLSelectElement;
  submit: HTMLButtonElement;
  status: HTMLElement;
  overCapacityField: HTMLElement;
  reasons: { justification: ReasonField | null; supportCoordination: ReasonField | null };
}

/** The text area a refusal is about: marked invalid and given the focus, so the caseworker writes on. */
const REFUSAL_FIELD: Readonly<Record<string, keyof AssignControls['reasons']>> = {
  JUSTIFICATION_REQUIRED: 'justification',
  COORDINATION_REQUIRED: 'supportCoordination',
};

async function submitAssignment(input: AssignInput, controls: AssignControls): Promise<void> {
  const { select, submit, status, overCapacityField } = controls;
  const forInput = JSON.stringify(input);
  if (state.assignKey?.forInput !== forInput) state.assignKey = { forInput, key: newIdempotencyKey() };
  const { key } = state.assignKey;
  submit.disabled = true;
  select.disabled = true;
  submit.setAttribute('aria-busy', 'true');
  status.className = 'form-status';
  status.textContent = t().text.assigning;
  const answer = await ask<AssignAnswer>(ASSIGN_MUTATION, { input: { ...input, idempotencyKey: key } });
  if (!answer) return;
  submit.disabled = false;
  select.disabled = false;
  submit.removeAttribute('aria-busy');
  const assignment = answer.kind === 'answered' ? answer.data?.assignContactPerson : null;
  if (assignment) {
    state.assignKey = undefined;
    const message = t().text.assigned(assignment.contactPerson.name, assignment.basis === 'JUDGEMENT', assignment.overCapacity);
    await openDossier(input.youthId, { focus: 'contact-person', confirmation: message });
    return;
  }
  if (answer.kind === 'failed') {
    // No answer: the assignment may have been made. The same key on a retry makes it happen once.
    status.className = 'form-status form-error';
    status.textContent = `${answer.message} ${t().text.retrySafe}`;
    return;
  }
  // The graph said no and wrote nothing: a new attempt is a new request.
  state.assignKey = undefined;
  const error = answer.errors[0];
  const code = error?.extensions?.code ?? '';
  if (code === 'CAPACITY_EXCEEDED') overCapacityField.hidden = false;
  status.className = 'form-status form-error';
  status.dataset.code = code;
  status.textContent = t().labels.assignErrors[code] ?? error?.message ?? t().text.nothingAssigned;
  const fieldName = REFUSAL_FIELD[code];
  const field = fieldName ? controls.reasons[fieldName] : null;
  if (field) {
    field.input.setAttribute('aria-invalid', 'true');
    field.input.focus();
  }
}

// The module script runs after the document is parsed (type="module" is deferred).
start();
