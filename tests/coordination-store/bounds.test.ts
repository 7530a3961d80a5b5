import DataLoader from 'dataloader';
import { readFileSync } from 'node:fs';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '../../subgraphs/kit/resolverMap.js';
import { parse, type GraphQLFormattedError } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatSubgraphError } from '../../subgraphs/kit/errors.js';
import { resolvers, type CoordinationContext } from '../../subgraphs/coordination/resolvers.js';
import type { CoordinationStore, ScreeningQuery } from '../../subgraphs/coordination/store/coordinationStore.js';
import { AGE_RANGE, PAGE_SIZE } from '../../subgraphs/coordination/store/limits.js';
import { backends, openMigrated, refusal } from './backends.js';

/**
 * One set of bounds (store/limits.ts): the graph's `youths` and the store's `queryScreening` accept
 * and refuse exactly the same ages and page sizes (they used to disagree: 0-120 vs 0-150, 500 vs 1000),
 * each refusal a BAD_USER_INPUT naming the argument.
 */
describe('the graph and the store share their input bounds', () => {
  const backend = backends[0]!; // the bounds are checked before any statement: one backend says it
  let store: CoordinationStore;
  let cleanup: () => Promise<void>;
  let apollo: ApolloServer<CoordinationContext>;

  beforeAll(async () => {
    ({ store, cleanup } = await openMigrated(backend));
    const sdl = readFileSync(new URL('../../subgraphs/coordination/schema.graphql', import.meta.url), 'utf8');
    const schema = buildSubgraphSchema([{ typeDefs: parse(sdl), resolvers: resolvers as GraphQLResolverMap<unknown> }]);
    apollo = new ApolloServer<CoordinationContext>({
      schema,
      formatError: formatSubgraphError,
      includeStacktraceInErrorResponses: false,
      plugins: [ApolloServerPluginInlineTraceDisabled()],
    });
    await apollo.start();
  });
  afterAll(async () => {
    await apollo?.stop();
    await cleanup?.();
  });

  async function graph(args: string): Promise<GraphQLFormattedError | undefined> {
    const contextValue = {
      requestId: 'bounds',
      identity: { subject: 'bounds', role: null, organisation: null, institution: null, scopes: new Set<string>() },
      store,
      today: '2026-11-01',
      // Need to know: the register's facts for the listed young people (none are listed for this caller).
      register: new DataLoader((ids: readonly string[]) => store.registerEntries(ids)),
      relations: new Map(),
    } as unknown as CoordinationContext;
    const response = await apollo.executeOperation({ query: `{ youths(${args}) { totalCount } }` }, { contextValue });
    if (response.body.kind !== 'single') throw new Error('expected a single result');
    return response.body.singleResult.errors?.[0];
  }

  async function storeRefuses(query: Partial<ScreeningQuery>): Promise<string | null> {
    const call = store.queryScreening({ asOf: '2026-11-01', first: 10, ...query });
    const ok = await call.then(
      () => true,
      () => false,
    );
    if (ok) return null;
    const error = await refusal(call);
    expect(error.code).toBe('BAD_USER_INPUT');
    return String(error.details?.['field']);
  }

  it('ages: the same values refused by both, naming the bound', async () => {
    expect(AGE_RANGE).toEqual({ min: 13, max: 29 });
    for (const age of [-1, 0, 12, 13, 18, 29, 30, 120, 150]) {
      const refused = age < AGE_RANGE.min || age > AGE_RANGE.max;
      for (const bound of ['ageMin', 'ageMax'] as const) {
        const error = await graph(`filter: { ${bound}: ${age} }`);
        expect(error ? error.extensions : null, `graph ${bound} ${age}`).toEqual(
          refused ? { code: 'BAD_USER_INPUT', field: `filter.${bound}` } : null,
        );
        expect(await storeRefuses({ [bound]: age }), `store ${bound} ${age}`).toBe(refused ? bound : null);
      }
    }
    // An inverted range, refused alike.
    expect((await graph('filter: { ageMin: 20, ageMax: 16 }'))?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'filter.ageMin' });
    expect(await storeRefuses({ ageMin: 20, ageMax: 16 })).toBe('ageMin');
  });

  it('page sizes: one maximum for both', async () => {
    expect(PAGE_SIZE.max).toBe(500);
    for (const first of [-1, 0, 1, 500, 501, 1000]) {
      const refused = first < PAGE_SIZE.min || first > PAGE_SIZE.max;
      const error = await graph(`first: ${first}`);
      expect(error ? error.extensions : null, `graph first ${first}`).toEqual(refused ? { code: 'BAD_USER_INPUT', field: 'first' } : null);
      expect(await storeRefuses({ first }), `store first ${first}`).toBe(refused ? 'first' : null);
    }
  });
});
