/**
 * Operation coalescing (gateway/operationCoalescing.ts): identical queries in flight execute once, each
 * request gets its own copy; a different token, variables or a mutation executes on its own.
 */
import { buildSchema, parse, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { coalesceExecutor, type CoalescingStats } from '../../gateway/operationCoalescing.js';
import type { GatewayRequestContext } from '../../gateway/gatewayInterface.js';
import type { GatewayContext } from '../../gateway/context.js';
import type { CallerClaim } from '../../platform/authorization/answerVaries.js';

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

  describe('between callers (what the answer read of them)', () => {
    const QUERY = '{ items { id name } }';
    /** A verified caller's request: its token, its claims. */
    function asCaller(subject: string, options: { role?: string; scopes?: string[]; glass?: boolean } = {}): GatewayRequestContext {
      const request = requestContext(QUERY, `Bearer token-of-${subject}`);
      const context = request.context as Partial<GatewayContext>;
      context.identity = {
        subject,
        role: options.role ?? 'uu-counsellor',
        organisation: 'aalborg/uu',
        institution: null,
        scopes: new Set(options.scopes ?? ['youth:read']),
        token: `token-of-${subject}`,
        expiresAt: 0,
      };
      if (options.glass) context.breakTheGlass = { reason: 'urgent' };
      return request;
    }
    /** An executor whose subgraphs report that the answer read `reads` (and name a relation). */
    function reportingExecutor(reads: () => CallerClaim[]) {
      let runs = 0;
      const execute: Executor = async (request) => {
        runs += 1;
        await new Promise((resolve) => setTimeout(resolve, 30));
        const context = request.context as Partial<GatewayContext>;
        context.answerDependsOn = new Set(reads());
        context.relations = new Map([['y-1', `relation for ${context.identity?.subject}`]]);
        return { data: { items: [{ id: '1', name: `seen by ${context.identity?.subject}` }] } };
      };
      return { execute, runs: () => runs };
    }

    it('shares a run between distinct users once the answer said it reads only what they share', async () => {
      const { execute, runs } = reportingExecutor(() => ['role']);
      const stats: CoalescingStats = { executed: 0, joined: 0 };
      const coalesced = coalesceExecutor(execute, stats);
      await Promise.all(['a', 'b'].map((who) => coalesced(asCaller(who))));
      expect(runs()).toBe(2);
      const requests = ['c', 'd', 'e', 'f'].map((who) => asCaller(who));
      const results = await Promise.all(requests.map((request) => coalesced(request)));
      expect(runs()).toBe(3);
      expect(stats.joined).toBe(3);
      expect(new Set(results.map((result) => JSON.stringify(result))).size).toBe(1);
      // Each joined request carries the relations of the run it took, for its own access-log entry.
      for (const request of requests) expect((request.context as Partial<GatewayContext>).relations?.get('y-1')).toBe('relation for c');
    });

    it('keeps apart callers with other scopes, another role the answer read, or a break-the-glass', async () => {
      const { execute, runs } = reportingExecutor(() => ['role']);
      const coalesced = coalesceExecutor(execute);
      await coalesced(asCaller('a'));
      const before = runs();
      await Promise.all([
        coalesced(asCaller('b')),
        coalesced(asCaller('c', { scopes: ['youth:read', 'social:read'] })),
        coalesced(asCaller('d', { role: 'jobcenter-advisor' })),
        coalesced(asCaller('e', { glass: true })),
      ]);
      expect(runs() - before).toBe(4);
    });

    it('runs a joiner itself when the shared answer turns out to have read a claim they differ in', async () => {
      let reads: CallerClaim[] = ['role'];
      const { execute, runs } = reportingExecutor(() => reads);
      const stats: CoalescingStats = { executed: 0, joined: 0, refitted: 0 };
      const coalesced = coalesceExecutor(execute, stats);
      await coalesced(asCaller('a'));
      reads = ['role', 'subject'];
      const results = await Promise.all(['b', 'c', 'd'].map((who) => coalesced(asCaller(who))));
      expect(runs()).toBe(4);
      expect(stats.refitted).toBe(2);
      expect(results.map((result) => (result.data!['items'] as { name: string }[])[0]!.name)).toEqual([
        'seen by b',
        'seen by c',
        'seen by d',
      ]);
    });
  });
});
