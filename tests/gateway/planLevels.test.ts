/**
 * The level schedule of our plan executor (gateway/planExecution/execute.ts `planLevels`): each fetch at
 * the earliest level its sequences allow, except a fetch nothing waits for, which joins a call its
 * subgraph gets anyway at a later level, so that the plan keeps its depth and makes fewer calls.
 */
import { describe, expect, it } from 'vitest';
import { planLevels, type PlanNode } from '../../gateway/planExecution/execute.js';

const fetch = (serviceName: string, label: string): PlanNode =>
  ({ kind: 'Fetch', serviceName, operation: label, operationKind: 'query', variableUsages: [] }) as unknown as PlanNode;
const sequence = (...nodes: PlanNode[]): PlanNode => ({ kind: 'Sequence', nodes }) as PlanNode;
const parallel = (...nodes: PlanNode[]): PlanNode => ({ kind: 'Parallel', nodes }) as PlanNode;
const condition = (name: string, ifClause: PlanNode, elseClause?: PlanNode): PlanNode =>
  ({ kind: 'Condition', condition: name, ifClause, elseClause }) as PlanNode;

/** The schedule as the fetches' labels per level. */
const schedule = (node: PlanNode, variables: Record<string, unknown> = {}) =>
  planLevels(node, variables).map((level) => level.map(({ fetch: { operation } }) => operation));

describe('the plan executor’s levels', () => {
  it('moves a fetch nothing waits for to the later call its subgraph gets anyway', () => {
    // TestQuery's shape: the products' stock is asked beside their reviews, and their estimates after.
    const plan = sequence(
      fetch('products', 'top'),
      parallel(
        fetch('inventory', 'stock'),
        sequence(fetch('reviews', 'reviews'), fetch('products', 'more'), fetch('inventory', 'estimate')),
      ),
    );
    expect(schedule(plan)).toEqual([['top'], ['reviews'], ['more'], ['stock', 'estimate']]);
  });

  it('never moves a fetch that a later step of its sequence waits for', () => {
    const plan = sequence(
      fetch('accounts', 'me'),
      parallel(
        sequence(fetch('inventory', 'needed'), fetch('products', 'after')),
        sequence(fetch('reviews', 'a'), fetch('reviews', 'b'), fetch('inventory', 'last')),
      ),
    );
    expect(schedule(plan)).toEqual([['me'], ['needed', 'a'], ['after', 'b'], ['last']]);
  });

  it('runs movable fetches to one subgraph together when no other call to it is made', () => {
    const plan = sequence(
      fetch('products', 'top'),
      parallel(
        fetch('inventory', 'early'),
        sequence(fetch('reviews', 'r'), fetch('inventory', 'later')),
        sequence(fetch('reviews', 'x'), fetch('accounts', 'y'), fetch('products', 'z')),
      ),
    );
    expect(schedule(plan)).toEqual([['top'], ['r', 'x'], ['early', 'later', 'y'], ['z']]);
  });

  it('leaves a lone movable fetch at its earliest level, and the plan no deeper than before', () => {
    const plan = parallel(fetch('inventory', 'stock'), sequence(fetch('products', 'a'), fetch('reviews', 'b')));
    expect(schedule(plan)).toEqual([['stock', 'a'], ['b']]);
  });

  it('keeps a mutation’s steps one per level, in order', () => {
    const plan = sequence(fetch('accounts', 'first'), fetch('accounts', 'second'), fetch('accounts', 'third'));
    expect(schedule(plan)).toEqual([['first'], ['second'], ['third']]);
  });

  it('settles conditions by the variables before placing the fetches', () => {
    const plan = sequence(
      fetch('products', 'top'),
      condition('deep', sequence(fetch('reviews', 'r'), fetch('inventory', 'i')), fetch('inventory', 'flat')),
    );
    expect(schedule(plan, { deep: true })).toEqual([['top'], ['r'], ['i']]);
    expect(schedule(plan, { deep: false })).toEqual([['top'], ['flat']]);
    expect(() => schedule(plan, { deep: 'yes' })).toThrow(/non-boolean value yes/);
  });
});
