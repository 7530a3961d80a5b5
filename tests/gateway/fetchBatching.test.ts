import { parse, print } from 'graphql';
import { describe, expect, it } from 'vitest';
import { MergedOperations, isMergeable, mergeOperations, mergeVariables, splitAnswer } from '../../gateway/fetchBatching.js';

const TARGET_GROUP = parse(
  'query Dossier__coordination__2($representations: [_Any!]!) { _entities(representations: $representations) { ... on Youth { targetGroup { inTargetGroup } } } }',
);
const PLAN = parse(
  'query Dossier__coordination__3($representations: [_Any!]!, $at: String) { _entities(representations: $representations) { ... on Youth { coordinatedPlan(at: $at) { ...Steps } } } } fragment Steps on Plan { steps { title } }',
);

describe('joining fetches to one subgraph', () => {
  it('prefixes each fetch’s variables, root fields and fragments, so the joined query keeps them apart', () => {
    const merged = mergeOperations([TARGET_GROUP, PLAN]);
    expect(merged.count).toBe(2);
    expect(merged.operationName).toBe('Dossier__coordination__2__batch2');
    expect(print(parse(merged.query))).toBe(print(merged.document));
    expect(merged.query).toContain('$_b0_representations: [_Any!]!');
    expect(merged.query).toContain('$_b1_representations: [_Any!]!, $_b1_at: String');
    expect(merged.query).toContain('_b0__entities: _entities(representations: $_b0_representations)');
    expect(merged.query).toContain('_b1__entities: _entities(representations: $_b1_representations)');
    expect(merged.query).toContain('coordinatedPlan(at: $_b1_at)');
    expect(merged.query).toContain('..._b1_Steps');
    expect(merged.query).toContain('fragment _b1_Steps on Plan');
  });

  it('puts the variables under the same prefixes', () => {
    expect(mergeVariables([{ representations: [{ id: 'a' }] }, { representations: [{ id: 'b' }], at: '2026-11-01' }, undefined])).toEqual({
      _b0_representations: [{ id: 'a' }],
      _b1_representations: [{ id: 'b' }],
      _b1_at: '2026-11-01',
    });
  });

  it('joins only single queries with plain fields at the root', () => {
    expect(isMergeable(TARGET_GROUP)).toBe(true);
    expect(isMergeable(PLAN)).toBe(true);
    expect(isMergeable(parse('mutation { assign(id: "1") { id } }'))).toBe(false);
    expect(isMergeable(parse('query { ... on Query { a } }'))).toBe(false);
    expect(isMergeable(parse('query A { a } query B { b }'))).toBe(false);
    expect(isMergeable(parse('query A @cached { a }'))).toBe(false);
  });

  it('keeps a join per set of fetches, and drops the oldest past its size', () => {
    const cache = new MergedOperations(2);
    const first = cache.get(['a', 'b'], [TARGET_GROUP, PLAN]);
    expect(cache.get(['a', 'b'], [TARGET_GROUP, PLAN])).toBe(first);
    cache.get(['b', 'a'], [PLAN, TARGET_GROUP]);
    cache.get(['a', 'a'], [TARGET_GROUP, TARGET_GROUP]);
    expect(cache.get(['a', 'b'], [TARGET_GROUP, PLAN])).not.toBe(first);
  });
});

describe('splitting the joined answer', () => {
  it('gives each fetch its own fields and the errors under them, unprefixed', () => {
    const parts = splitAnswer(
      {
        data: { _b0__entities: [{ targetGroup: null }], _b1__entities: [{ coordinatedPlan: { steps: [] } }], _b12__entities: ['not ours'] },
        errors: [
          { message: 'school is down', path: ['_b0__entities', 0, 'targetGroup'], extensions: { code: 'UPSTREAM_UNAVAILABLE' } },
          { message: 'refused', path: ['_b1__entities', 0] },
        ],
        extensions: { note: 1 },
      },
      2,
    );
    expect(parts).toEqual([
      {
        data: { _entities: [{ targetGroup: null }] },
        errors: [{ message: 'school is down', path: ['_entities', 0, 'targetGroup'], extensions: { code: 'UPSTREAM_UNAVAILABLE' } }],
        extensions: { note: 1 },
      },
      {
        data: { _entities: [{ coordinatedPlan: { steps: [] } }] },
        errors: [{ message: 'refused', path: ['_entities', 0] }],
        extensions: { note: 1 },
      },
    ]);
  });

  it('gives an error at no field of a fetch to every fetch, and a null answer to all', () => {
    const parts = splitAnswer({ data: null, errors: [{ message: 'Token expired' }] }, 3);
    expect(parts).toHaveLength(3);
    for (const part of parts) expect(part).toEqual({ data: null, errors: [{ message: 'Token expired' }] });
  });

  it('leaves data out where the answer had none', () => {
    expect(splitAnswer({ errors: [{ message: 'bad request' }] }, 2)).toEqual([
      { errors: [{ message: 'bad request' }] },
      { errors: [{ message: 'bad request' }] },
    ]);
  });
});
