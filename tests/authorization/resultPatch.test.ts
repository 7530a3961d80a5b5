import { describe, expect, it } from 'vitest';
import { ACCESS_TYPENAME_KEY, type RemovedField } from '../../gateway/operationFilter.js';
import { applyRemovals, UNAUTHORIZED_CODE, UNAUTHORIZED_MESSAGE } from '../../gateway/resultPatch.js';

const error = (path: (string | number)[]) => ({ message: UNAUTHORIZED_MESSAGE, path, extensions: { code: UNAUTHORIZED_CODE } });
/** Errors as the client gets them (GraphQLError's JSON). */
const plain = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;

describe('applyRemovals', () => {
  it('sets null at every place in lists, one error per removed field at its first place', () => {
    const removed: RemovedField[] = [{ path: ['people', '@', 'cpr'], coordinate: 'Person.cpr', nullAt: 3 }];
    const result = applyRemovals({ data: { people: [{ id: 'p1' }, null, { id: 'p2' }] } }, removed);
    expect(plain(result)).toEqual({
      data: { people: [{ id: 'p1', cpr: null }, null, { id: 'p2', cpr: null }] },
      errors: [error(['people', 0, 'cpr'])],
    });
  });

  it('walks nested lists, and keeps the "@" path when the field occurs nowhere', () => {
    const removed: RemovedField[] = [{ path: ['teams', '@', '@', 'cpr'], coordinate: 'Person.cpr', nullAt: 4 }];
    expect(plain(applyRemovals({ data: { teams: [[], [{ id: 'a' }, { id: 'b' }]] } }, removed))).toEqual({
      data: {
        teams: [
          [],
          [
            { id: 'a', cpr: null },
            { id: 'b', cpr: null },
          ],
        ],
      },
      errors: [error(['teams', 1, 0, 'cpr'])],
    });
    expect(plain(applyRemovals({ data: { teams: null } }, removed))).toEqual({
      data: { teams: null },
      errors: [error(['teams', '@', '@', 'cpr'])],
    });
  });

  it('passes a non-null field’s null up to its nearest nullable parent', () => {
    const toPerson: RemovedField[] = [{ path: ['people', '@', 'nickname'], coordinate: 'Person.nickname', nullAt: 2 }];
    expect(plain(applyRemovals({ data: { people: [{ id: 'p1' }, { id: 'p2' }], greeting: 'hi' } }, toPerson))).toEqual({
      data: { people: [null, null], greeting: 'hi' },
      errors: [error(['people', 0, 'nickname'])],
    });
    const toRoot: RemovedField[] = [{ path: ['people', '@', 'nickname'], coordinate: 'Person.nickname', nullAt: 0 }];
    expect(plain(applyRemovals({ data: { people: [{ id: 'p1' }] } }, toRoot))).toEqual({
      data: null,
      errors: [error(['people', 0, 'nickname'])],
    });
  });

  it('touches only objects of the fragment’s types, and takes its __typename away again', () => {
    const removed: RemovedField[] = [{ path: ['search', '@', 'secret'], coordinate: 'Vault.secret', nullAt: 3, types: ['Vault'] }];
    const data = {
      search: [
        { [ACCESS_TYPENAME_KEY]: 'Person', name: 'Asta' },
        { [ACCESS_TYPENAME_KEY]: 'Vault', __typename: 'Vault' },
      ],
    };
    expect(plain(applyRemovals({ data }, removed))).toEqual({
      data: { search: [{ name: 'Asta' }, { __typename: 'Vault', secret: null }] },
      errors: [error(['search', 1, 'secret'])],
    });
  });

  it('keeps a value another, allowed selection of the same key brought', () => {
    const removed: RemovedField[] = [{ path: ['node', 'secret'], coordinate: 'Node.secret', nullAt: 2 }];
    expect(plain(applyRemovals({ data: { node: { secret: 'allowed here' } } }, removed))).toEqual({
      data: { node: { secret: 'allowed here' } },
      errors: [error(['node', 'secret'])],
    });
  });

  it('honours @include/@skip: a field the client did not ask for stays out, without an error', () => {
    const removed: RemovedField[] = [
      { path: ['person', 'cpr'], coordinate: 'Person.cpr', nullAt: 2, conditions: [{ directive: 'include', variable: 'withCpr' }] },
      {
        path: ['person', 'nickname'],
        coordinate: 'Person.nickname',
        nullAt: 1,
        conditions: [{ directive: 'skip', variable: 'brief', defaultValue: true }],
      },
    ];
    const data = () => ({ person: { [ACCESS_TYPENAME_KEY]: 'Person', name: 'Asta' } });
    expect(plain(applyRemovals({ data: data() }, removed, { variables: { withCpr: false } }))).toEqual({
      data: { person: { name: 'Asta' } },
    });
    expect(plain(applyRemovals({ data: data() }, removed, { variables: { withCpr: true, brief: false } }))).toEqual({
      data: { person: null },
      errors: [error(['person', 'cpr']), error(['person', 'nickname'])],
    });
  });

  it('leaves a null data as it is (the errors still say what was removed) and a request that never ran alone', () => {
    const removed: RemovedField[] = [{ path: ['person', 'cpr'], coordinate: 'Person.cpr', nullAt: 2 }];
    const failed = { message: 'boom', extensions: { code: 'INTERNAL_SERVER_ERROR' } };
    expect(plain(applyRemovals({ data: null, errors: [failed] }, removed))).toEqual({
      data: null,
      errors: [failed, error(['person', 'cpr'])],
    });
    const invalid = { errors: [failed] };
    expect(applyRemovals(invalid, removed)).toBe(invalid);
  });

  it('fills the root of an operation nothing was left of', () => {
    const removed: RemovedField[] = [
      { path: ['rename'], coordinate: 'Mutation.rename', nullAt: 1 },
      { path: ['touchAll'], coordinate: 'Mutation.touchAll', nullAt: 0 },
    ];
    expect(plain(applyRemovals({ data: {} }, removed.slice(0, 1)))).toEqual({ data: { rename: null }, errors: [error(['rename'])] });
    expect(plain(applyRemovals({ data: {} }, removed))).toEqual({ data: null, errors: [error(['rename']), error(['touchAll'])] });
  });
});
