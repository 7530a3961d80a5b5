/**
 * Operation coalescing (gateway/operationCoalescing.ts): identical queries in flight execute once, each
 * request gets its own copy; a different token, variables or a mutation executes on its own.
 */
import { buildSchema, parse, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { coalesceExecutor, type CoalescingStats } from '../../gateway/operationCoalescing.js';
import type { GatewayRequestContext } from '../../gateway/fieldAuthorization.js';

const schema = buildSchema('type Query { items: [Item] } type Item { id: ID, name: String } type Mutation { save: ID }');

function requestContext(query: string, authorization: string, variables: Record<string, unknown> = {}): GatewayRequestContext {
  const document = parse(query);
  const operation = document.definitions[0] as OperationDefinitionNode;
  return {
    schema,
    document,
    operation,
    source: query,
    queryHash: `hash:${query}`,
    operationName: null,
    request: { query, variables },
    context: { authorization },
  } as unknown as GatewayRequestContext;
}

type Executor = Parameters<typeof coalesceExecutor>[0];

function slowExecutor() {
  let runs = 0;
  const execute: Executor = async (context) => {
    runs += 1;
    await new Promise((resolve) => setTimeout(resolve, 30));
    const auth = (context.context as { authorization: string }).authorization;
    return { data: { items: [{ id: '1', name: `seen by ${auth}` }] } };
  };
  return { execute, runs: () => runs };
}

describe('operation coalescing', () => {
  it('executes identical queries in flight once and gives each request its own copy', async () => {
    const { execute, runs } = slowExecutor();
    const stats: CoalescingStats = { executed: 0, joined: 0 };
    const coalesced = coalesceExecutor(execute, stats);
    const results = await Promise.all([1, 2, 3].map(() => coalesced(requestContext('{ items { id name } }', 'Bearer a'))));
    expect(runs()).toBe(1);
    expect(stats).toEqual({ executed: 1, joined: 2 });
    expect(results[0]).toEqual({ data: { items: [{ id: '1', name: 'seen by Bearer a' }] } });
    expect(results[1]).toEqual(results[0]);
    (results[0]!.data!['items'] as { name: string }[])[0]!.name = 'changed';
    expect((results[1]!.data!['items'] as { name: string }[])[0]!.name).toBe('seen by Bearer a');
  });

  it('runs apart what a different token or different variables could answer differently, and runs again later', async () => {
    const { execute, runs } = slowExecutor();
    const coalesced = coalesceExecutor(execute);
    const [a, b] = await Promise.all([
      coalesced(requestContext('{ items { id name } }', 'Bearer a')),
      coalesced(requestContext('{ items { id name } }', 'Bearer b')),
      coalesced(requestContext('{ items { id name } }', 'Bearer a', { first: 1 })),
    ]);
    expect(runs()).toBe(3);
    expect(a).not.toEqual(b);
    await coalesced(requestContext('{ items { id name } }', 'Bearer a'));
    expect(runs()).toBe(4);
  });

  it('never shares a mutation', async () => {
    const { execute, runs } = slowExecutor();
    const coalesced = coalesceExecutor(execute);
    await Promise.all([1, 2].map(() => coalesced(requestContext('mutation { save }', 'Bearer a'))));
    expect(runs()).toBe(2);
  });
});
