/**
 * Worklists (issue 13, section 4) in the graph: `youths(filter: { dueWithinDays, dueKinds, mine,
 * nameContains }, orderBy)` and what is due for each young person (`YouthEdge.due`, `Youth.due`). The
 * list itself is one register query (store/worklist.ts); the due items of a page are one batched query
 * and the rule of rules/due.ts, so the list and its rows cannot disagree: both read the register.
 */
import DataLoader from 'dataloader';
import { opensCategory, type RelationCaller, type RelationKind } from '../../platform/access/relation.js';
import { badUserInput } from '../kit/errors.js';
import { DUE_KINDS, DUE_WITHIN_DAYS, dueItems, type DueFacts, type DueKind } from './rules/due.js';
import { dueReason } from './rules/dueTexts.js';
import { NAME_CONTAINS } from './store/screening.js';
import type { DueWindow } from './store/worklist.js';
import type { ScreeningOrder, ScreeningQuery } from './store/types.js';

export interface WorklistFilterInput {
  dueWithinDays?: number | null;
  dueKinds?: string[] | null;
  mine?: boolean | null;
  nameContains?: string | null;
}

export type YouthOrderInput = 'NAME' | 'DUE_DATE';

export interface DueItemOutput {
  kind: DueKind;
  date: string;
  reason: string;
}

function checkDays(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < DUE_WITHIN_DAYS.min || value > DUE_WITHIN_DAYS.max) {
    throw badUserInput(`${field} must be a whole number of days from ${DUE_WITHIN_DAYS.min} to ${DUE_WITHIN_DAYS.max}`, field);
  }
  return value;
}

/** The worklist conditions as the store takes them; BAD_USER_INPUT (naming `filter.<field>`) before anything is read. */
export function worklistQuery(
  filter: WorklistFilterInput,
  orderBy: YouthOrderInput | null | undefined,
  caller: RelationCaller,
  today: string,
): Pick<ScreeningQuery, 'due' | 'mine' | 'nameContains' | 'order'> {
  let due: DueWindow | undefined;
  if (filter.dueWithinDays != null) {
    const kinds = filter.dueKinds ?? DUE_KINDS;
    if (kinds.length === 0) throw badUserInput('filter.dueKinds must name at least one kind (or be left out for all)', 'filter.dueKinds');
    const unknown = kinds.find((kind) => !(DUE_KINDS as readonly string[]).includes(kind));
    if (unknown !== undefined) throw badUserInput(`filter.dueKinds: unknown kind ${JSON.stringify(unknown)}`, 'filter.dueKinds');
    due = { asOf: today, withinDays: checkDays(filter.dueWithinDays, 'filter.dueWithinDays'), kinds: [...new Set(kinds)] as DueKind[] };
  } else if (filter.dueKinds != null) {
    throw badUserInput('filter.dueKinds needs filter.dueWithinDays (the window they are due in)', 'filter.dueKinds');
  }
  if (orderBy === 'DUE_DATE' && due === undefined) throw badUserInput('orderBy: DUE_DATE needs filter.dueWithinDays', 'orderBy');
  let nameContains: string | undefined;
  if (filter.nameContains != null) {
    const text = filter.nameContains.trim();
    if (text.length < NAME_CONTAINS.min || text.length > NAME_CONTAINS.max) {
      throw badUserInput(`filter.nameContains must be ${NAME_CONTAINS.min}-${NAME_CONTAINS.max} characters`, 'filter.nameContains');
    }
    nameContains = text;
  }
  const order: ScreeningOrder = orderBy === 'NAME' ? 'NAME' : orderBy === 'DUE_DATE' ? 'DUE_DATE' : 'ID';
  return {
    due,
    mine: filter.mine == null ? undefined : { caller, value: filter.mine },
    nameContains,
    order,
  };
}

/** What is due, with the screen's sentence. */
export function dueOutput(
  facts: DueFacts | null,
  today: string,
  withinDays: number,
  kinds: readonly DueKind[] = DUE_KINDS,
): DueItemOutput[] {
  if (facts === null) return [];
  return dueItems(facts, today, withinDays, kinds).map((item) => ({ ...item, reason: dueReason(item.kind, item.date) }));
}

/** One loader per request (keyed on the request's context object): a page's due facts in one query. */
const loaders = new WeakMap<object, DataLoader<string, DueFacts | null>>();

export function dueFactsLoader(
  context: object,
  load: (ids: readonly string[]) => Promise<(DueFacts | null)[]>,
): DataLoader<string, DueFacts | null> {
  let loader = loaders.get(context);
  if (!loader) {
    loader = new DataLoader(load, { maxBatchSize: 500 });
    loaders.set(context, loader);
  }
  return loader;
}

/**
 * `Youth.due(withinDays:)`. `relation` is the caller's relation to the young person (resolvers.ts
 * `entryRelation`; OWN_ROW_RULE where another rule decides): the due dates are plan data, so empty where
 * the relation does not open the coordinated plan (UU's statutory relation) or there is none.
 */
export async function youthDue(
  youthId: string,
  withinDays: unknown,
  today: string,
  loader: DataLoader<string, DueFacts | null>,
  relation: RelationKind | 'OWN_ROW_RULE' | null,
): Promise<DueItemOutput[]> {
  const days = checkDays(withinDays, 'withinDays');
  if (relation === null || (relation !== 'OWN_ROW_RULE' && !opensCategory(relation, 'coordinated plan'))) return [];
  return dueOutput(await loader.load(youthId), today, days);
}
