import { buildSchema, execute, parse, print, validate, type DocumentNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import {
  AUDIT_YOUTH_ID,
  collectAccess,
  ReservedAliasError,
  stripAuditSelections,
  withAuditSelections,
} from '../../gateway/accessLog/collect.js';
import { categoryOf, rootValue, typeDefs, unauthorized, YOUTHS } from './fixtureSchema.js';

const schema = buildSchema(typeDefs);

/** Runs `query` the way the gateway does: the audited document executes, the walk reads its result. */
async function run(query: string, root: Record<string, unknown> = rootValue) {
  const document = withAuditSelections(parse(query), schema);
  expect(validate(schema, document)).toEqual([]);
  const result = await execute({ schema, document, rootValue: root });
  const formatted = {
    data: result.data,
    errors: result.errors?.map((e) => e.toJSON()),
  };
  return { document, raw: formatted, ...collectAccess(formatted, document, schema, { categoryOf }) };
}

function fields(collected: { fieldsByYouth: Map<string, Set<string>> }, id: string): string[] {
  return [...(collected.fieldsByYouth.get(id) ?? [])].sort();
}

describe('withAuditSelections', () => {
  it('makes every Youth selection also select its id under the reserved alias', () => {
    const document = withAuditSelections(parse('{ youths { firstName } contactPersons { assignments { youth { lastName } } } }'), schema);
    expect(print(document)).toBe(
      print(
        parse(`{
          youths { firstName ${AUDIT_YOUTH_ID}: id }
          contactPersons { assignments { youth { lastName ${AUDIT_YOUTH_ID}: id } } }
        }`),
      ),
    );
  });

  it('reaches fragments, and abstract types get their type name and a Youth fragment', () => {
    const document = withAuditSelections(
      parse(`
        query Q { search(text: "a") { ...hit } node(id: "Y-1") { id } }
        fragment hit on SearchResult { ... on ContactPerson { name } ... on Youth { ...names } }
        fragment names on Youth { firstName }
      `),
      schema,
    );
    const printed = print(document);
    expect(printed).toContain(`fragment names on Youth {\n  firstName\n  ${AUDIT_YOUTH_ID}: id\n}`);
    expect(printed).toContain(
      `node(id: "Y-1") {\n    id\n    __audit_typename: __typename\n    ... on Youth {\n      ${AUDIT_YOUTH_ID}: id\n    }\n  }`,
    );
    expect(validate(schema, document)).toEqual([]);
  });

  it('is deterministic and memoized: same text, same output; same document, same object', () => {
    const text = 'query Dossier($id: ID!) { youth(id: $id) { firstName school { grade } } }';
    const first = withAuditSelections(parse(text), schema);
    const second = withAuditSelections(parse(text), schema);
    expect(print(first)).toBe(print(second));
    const parsed = parse(text);
    expect(withAuditSelections(parsed, schema)).toBe(withAuditSelections(parsed, schema));
  });

  it('leaves a document without Youth (or abstract types) as it is, and does not change its input', () => {
    const document = parse('{ schools { name } }');
    expect(withAuditSelections(document, schema)).toBe(document);
    const youthQuery = parse('{ youths { firstName } }');
    const before = print(youthQuery);
    withAuditSelections(youthQuery, schema);
    expect(print(youthQuery)).toBe(before);
  });

  it('applies cleanly to its own output (idempotent)', () => {
    const once = withAuditSelections(parse('{ youths { firstName } search(text: "x") { ... on Youth { id } } }'), schema);
    expect(print(withAuditSelections(once, schema))).toBe(print(once));
  });

  it('refuses a client that uses a reserved alias for anything else', () => {
    for (const query of [
      `{ youths { ${AUDIT_YOUTH_ID}: firstName } }`,
      `{ youths { ${AUDIT_YOUTH_ID}: id @include(if: true) } }`,
      `{ contactPersons { ${AUDIT_YOUTH_ID}: id } }`,
      `{ youths { __audit_typename: firstName } }`,
    ]) {
      expect(() => withAuditSelections(parse(query), schema), query).toThrow(ReservedAliasError);
    }
  });
});

describe('collectAccess', () => {
  it('finds every young person in a list although the client selected no id', async () => {
    const collected = await run('{ youths { firstName } }');
    expect(collected.youthIds).toEqual(['Y-1', 'Y-2', 'Y-3']);
    expect(fields(collected, 'Y-2')).toEqual(['Youth.firstName']);
    expect([...(collected.categoriesByYouth.get('Y-2') ?? [])]).toEqual(['identity']);
    expect(collected.result).toEqual({ data: { youths: [{ firstName: 'Asta' }, { firstName: 'Bo' }, { firstName: 'Carla' }] } });
  });

  it('follows aliases', async () => {
    const collected = await run('{ a: youth(id: "Y-3") { given: firstName } b: youth(id: "Y-1") { family: lastName theId: id } }');
    expect(collected.youthIds).toEqual(['Y-3', 'Y-1']);
    expect(fields(collected, 'Y-3')).toEqual(['Youth.firstName']);
    expect(fields(collected, 'Y-1')).toEqual(['Youth.id', 'Youth.lastName']);
    expect(collected.result.data).toEqual({ a: { given: 'Carla' }, b: { family: 'Holm', theId: 'Y-1' } });
  });

  it('follows named and inline fragments, merging what each selects', async () => {
    const collected = await run(`
      query { youth(id: "Y-2") { ...names ... on Youth { school { grade } } ...names } }
      fragment names on Youth { firstName lastName }
    `);
    expect(collected.youthIds).toEqual(['Y-2']);
    expect(fields(collected, 'Y-2')).toEqual(['SchoolRecord.grade', 'Youth.firstName', 'Youth.lastName', 'Youth.school']);
    expect([...(collected.categoriesByYouth.get('Y-2') ?? [])].sort()).toEqual(['identity', 'school']);
  });

  it('follows nested lists below a young person', async () => {
    const collected = await run('{ youths { school { absence { absentDays } } } }');
    expect(collected.youthIds).toEqual(['Y-1', 'Y-2', 'Y-3']);
    expect(fields(collected, 'Y-1')).toEqual(['Absence.absentDays', 'SchoolRecord.absence', 'Youth.school']);
  });

  it('identifies a young person reached through a nested path (contact persons → assignments → youth)', async () => {
    const collected = await run('{ contactPersons { name assignments { youth { firstName } } } }');
    expect(collected.youthIds).toEqual(['Y-2', 'Y-3']);
    expect(fields(collected, 'Y-3')).toEqual(['Youth.firstName']);
    // The contact person's own name is nobody's personal data in this log.
    expect(JSON.stringify(collected.result)).not.toContain('__audit');
    expect(collected.result.data).toEqual({
      contactPersons: [{ name: 'Mette Kjær', assignments: [{ youth: { firstName: 'Bo' } }, { youth: { firstName: 'Carla' } }] }],
    });
  });

  it('walks unions and interfaces by the runtime type', async () => {
    const collected = await run(`{
      search(text: "a") { ... on Youth { lastName } ... on ContactPerson { name assignments { youth { cprNumber } } } }
      node(id: "Y-1") { ... on Youth { firstName } }
      other: node(id: "CP-1") { id }
    }`);
    expect(collected.youthIds).toEqual(['Y-1', 'Y-2', 'Y-3']);
    expect(fields(collected, 'Y-1')).toEqual(['Youth.firstName', 'Youth.lastName']);
    expect(fields(collected, 'Y-2')).toEqual(['Youth.cprNumber']);
    expect(JSON.stringify(collected.result)).not.toContain('__audit');
    expect(collected.result.data?.['other']).toEqual({ id: 'CP-1' });
  });

  it('counts a young person once however often the answer holds them', async () => {
    const collected = await run('{ youth(id: "Y-2") { firstName } contactPersons { assignments { youth { lastName } } } }');
    expect(collected.youthIds).toEqual(['Y-2', 'Y-3']);
    expect(fields(collected, 'Y-2')).toEqual(['Youth.firstName', 'Youth.lastName']);
  });

  it('tells withheld fields (null with UNAUTHORIZED_FIELD_OR_TYPE) from released ones', async () => {
    const withheld = YOUTHS.map((y) => ({ ...y, cprNumber: () => Promise.reject(unauthorized('Youth.cprNumber')) }));
    const collected = await run('{ youths { firstName cprNumber } }', { ...rootValue, youths: () => withheld });
    expect(collected.raw.errors).toHaveLength(3);
    expect(fields(collected, 'Y-1')).toEqual(['Youth.firstName']);
    expect([...(collected.withheldByYouth.get('Y-1') ?? [])]).toEqual(['Youth.cprNumber']);
    expect([...(collected.categoriesByYouth.get('Y-1') ?? [])]).toEqual(['identity']);
  });

  it('takes several categories for a coordinate that discloses several', async () => {
    const document = withAuditSelections(parse('{ youth(id: "Y-1") { school { grade } } }'), schema);
    const result = await execute({ schema, document, rootValue });
    const collected = collectAccess({ data: result.data as Record<string, unknown> }, document, schema, {
      categoryOf: (coordinate) => (coordinate === 'Youth.school' ? ['school', 'identity'] : null),
    });
    expect([...(collected.categoriesByYouth.get('Y-1') ?? [])].sort()).toEqual(['identity', 'school']);
  });

  it('finds nothing when the answer holds no young person', async () => {
    for (const query of ['{ schools { name } }', '{ youth(id: "nobody") { firstName } }', '{ contactPersons { name } }']) {
      const collected = await run(query);
      expect(collected.youthIds, query).toEqual([]);
      expect(collected.unidentified, query).toBe(0);
    }
  });

  it('counts a young person whose id the answer lacks (the caller must then withhold the answer)', () => {
    const document = withAuditSelections(parse('{ youths { firstName } }'), schema);
    const collected = collectAccess(
      { data: { youths: [{ firstName: 'Asta' }, { firstName: 'Bo', [AUDIT_YOUTH_ID]: 'Y-2' }] } },
      document,
      schema,
    );
    expect(collected.unidentified).toBe(1);
    expect(collected.youthIds).toEqual(['Y-2']);
  });

  it('picks the operation that ran from a document with several', async () => {
    const document: DocumentNode = withAuditSelections(parse('query A { schools { name } } query B { youths { firstName } }'), schema);
    const result = await execute({ schema, document, rootValue, operationName: 'B' });
    const collected = collectAccess({ data: result.data as Record<string, unknown> }, document, schema, { operationName: 'B' });
    expect(collected.youthIds).toEqual(['Y-1', 'Y-2', 'Y-3']);
  });

  it('strips the reserved aliases and errors located at them, and nothing else', () => {
    const stripped = stripAuditSelections({
      data: { youth: { firstName: 'Asta', [AUDIT_YOUTH_ID]: 'Y-1', list: [{ [AUDIT_YOUTH_ID]: 'Y-2', n: 1 }] } },
      errors: [
        { message: 'keep', path: ['youth', 'x'] },
        { message: 'drop', path: ['youth', AUDIT_YOUTH_ID] },
      ],
      extensions: { keep: true },
    });
    expect(stripped).toEqual({
      data: { youth: { firstName: 'Asta', list: [{ n: 1 }] } },
      errors: [{ message: 'keep', path: ['youth', 'x'] }],
      extensions: { keep: true },
    });
  });
});
