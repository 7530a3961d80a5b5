/**
 * Worklists (issue 13, section 4) in the graph: `youths(filter: { dueWithinDays, dueKinds, mine,
 * nameContains }, orderBy)` and what is due for each young person (`YouthEdge.due`, `Youth.due`). The
 * list itself is one register query (store/worklist.ts); the due items of a page are one batched query
 * and the rule of rules/due.ts, so the list and its rows cannot disagree: both read the register.
 */
import type DataLoader from 'dataloader';
import { opensCategory, type RelationCaller, type RelationKind } from '../../platform/authorization/relation.js';
import { badUserInput } from '../kit/errors.js';
import { DUE_KINDS, dueItems, type DueFacts, type DueKind } from './rules/due.js';
import { dueReason } from './rules/dueTexts.js';
import { DUE_WITHIN_DAYS } from './store/limits.js';
import { integer, nameFragment } from './store/validate.js';
import { dueWindow, type DueWindow } from './store/worklist.js';
import type { ScreeningOrder, ScreeningQuery } from './store/types.js';
import { toGraphQLError } from './storeErrors.js';

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

/** The store's own check under the graph's names: the graph and the store refuse the same (store/limits.ts). */
function storeCheck<T>(check: () => T): T {
  try {
    return check();
  } catch (error) {
    throw toGraphQLError(error);
  }
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
    due = storeCheck(() => dueWindow(today, filter.dueWithinDays, filter.dueKinds));
  } else if (filter.dueKinds != null) {
    throw badUserInput('filter.dueKinds needs filter.dueWithinDays (the window they are due in)', 'filter.dueKinds');
  }
  if (orderBy === 'DUE_DATE' && due === undefined) throw badUserInput('orderBy: DUE_DATE needs filter.dueWithinDays', 'orderBy');
  const nameContains = filter.nameContains == null ? undefined : storeCheck(() => nameFragment('filter.nameContains', filter.nameContains));
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

/**
 * `Youth.due(withinDays:)`. `relation` is the caller's relation to the young person (resolvers/needToKnow.ts
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
  const days = storeCheck(() => integer('withinDays', withinDays, DUE_WITHIN_DAYS.min, DUE_WITHIN_DAYS.max));
  if (relation === null || (relation !== 'OWN_ROW_RULE' && !opensCategory(relation, 'coordinated plan'))) return [];
  return dueOutput(await loader.load(youthId), today, days);
}
