import { buildSchema, execute, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { answerMayNameYouths, collectAccess, withAuditSelections } from '../../gateway/accessLog/collect.js';
import { categoryOf, rootValue, typeDefs } from './fixtureSchema.js';

const schema = buildSchema(typeDefs);

/** Runs `query` as the gateway does (the audited document) and collects its answer. */
async function run(query: string) {
  const document = withAuditSelections(parse(query), schema);
  const executed = await execute({ schema, document, rootValue });
  const result = { data: executed.data, errors: executed.errors?.map((e) => e.toJSON()) };
  if (!result.errors) delete result.errors;
  return { document, result, collected: collectAccess(result, document, schema, { categoryOf }) };
}

describe('answerMayNameYouths: the walk is skipped only where nobody can be in the answer', () => {
  it('is false for an operation that reaches no Youth and no abstract type, and the answer is released as it is', async () => {
    const { document, result, collected } = await run('{ schools { name } }');
    expect(answerMayNameYouths(document, schema)).toBe(false);
    expect(collected.youthIds).toEqual([]);
    expect(collected.unidentified).toBe(0);
    expect(collected.result).toBe(result); // not walked, not copied
  });

  it.each([
    ['a Youth at the root', '{ youths { firstName } }'],
    ['a Youth deep under other types', '{ contactPersons { assignments { youth { lastName } } } }'],
    ['a Youth through a fragment spread', '{ contactPersons { ...A } } fragment A on ContactPerson { assignments { youth { id } } }'],
    ['a union that holds Youth', '{ search(text: "a") { __typename } }'],
    ['an interface that Youth implements', '{ node(id: "y1") { id } }'],
    ['a reserved alias the client chose', '{ schools { __audit_typename: __typename name } }'],
  ])('is true for %s', (_, query) => {
    expect(answerMayNameYouths(withAuditSelections(parse(query), schema), schema)).toBe(true);
  });

  it('still logs every young person when the operation reaches them (the shortcut does not hide anyone)', async () => {
    const { collected } = await run('{ schools { name } youths { firstName } }');
    expect(collected.youthIds.length).toBeGreaterThan(0);
    expect(JSON.stringify(collected.result)).not.toContain('__audit');
  });

  it('strips a reserved alias the client used on a type without personal data', async () => {
    const { collected } = await run('{ schools { __audit_typename: __typename name } }');
    expect(JSON.stringify(collected.result)).not.toContain('__audit');
  });

  it('decides once per document and schema', () => {
    const document = parse('{ schools { name } }');
    expect(answerMayNameYouths(document, schema)).toBe(false);
    const other = buildSchema(
      typeDefs.replace('type School {\n    name: String!\n  }', 'type School {\n    name: String!\n    pupils: [Youth!]!\n  }'),
    );
    expect(answerMayNameYouths(parse('{ schools { pupils { id } } }'), other)).toBe(true);
    expect(answerMayNameYouths(document, schema)).toBe(false);
  });
});
