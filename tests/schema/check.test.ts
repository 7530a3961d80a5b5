import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, parse, print, visit } from 'graphql';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../schema/compose.js';
import { compareSchemas, formatSchemaCheck, RELEASED_SCHEMA_FILE, runSchemaCheck } from '../../scripts/schema-check.js';

/** A small released API in the graph's style; each test changes one thing about it. */
const RELEASED = /* GraphQL */ `
  type Query {
    """
    One young person by id.
    """
    youth(id: ID!): Youth
    youths(first: Int = 20, after: String): [Youth!]!
  }
  type Youth {
    id: ID!
    firstName: String!
    age: Int!
    track: Track
  }
  enum Track {
    EUD
    GYM
  }
  input AssignInput {
    youthId: ID!
    note: String
  }
  type Mutation {
    assign(input: AssignInput!): Youth!
  }
`;

/**
 * `sdl` with `from` replaced by `to`; throws when `from` is not in it, so a fixture that drifts from the
 * SDL (a reformat) fails loudly instead of silently comparing the release with itself.
 */
function edit(sdl: string, from: string, to: string): string {
  if (!sdl.includes(from)) throw new Error(`fixture edit: ${JSON.stringify(from)} is not in the SDL`);
  return sdl.replace(from, to);
}

async function check(current: string) {
  const result = await compareSchemas(buildSchema(RELEASED), buildSchema(current));
  return { result, text: formatSchemaCheck(result) };
}

/** The SDL without one field of one type (its description goes with it). */
function withoutField(sdl: string, typeName: string, fieldName: string): string {
  const edited = visit(parse(sdl), {
    ObjectTypeDefinition: (node) =>
      node.name.value === typeName ? { ...node, fields: node.fields?.filter((field) => field.name.value !== fieldName) } : undefined,
  });
  return print(edited);
}

/** The command, against the committed release, with `current` as the composed schema. */
async function runWith(current: string) {
  let stdout = '';
  let stderr = '';
  const code = await runSchemaCheck({
    argv: [],
    current: async () => buildSchema(current),
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
  });
  return { code, stdout, stderr };
}

describe('schema check: breaking changes fail with the coordinate named', () => {
  it('a removed field', async () => {
    const { result, text } = await check(edit(RELEASED, '    age: Int!\n', ''));
    expect(result.breaking.map((c) => c.coordinate)).toEqual(['Youth.age']);
    expect(text).toMatch(/Breaking changes \(1\)/);
    expect(text).toMatch(/✗ Youth\.age: .*age.*removed/i);
    expect(text).toContain('schema:check failed');
  });

  it('a changed field type (nullable output where clients expected non-null)', async () => {
    const { result, text } = await check(edit(RELEASED, 'firstName: String!', 'firstName: String'));
    expect(result.breaking).toHaveLength(1);
    expect(result.breaking[0]!.coordinate).toBe('Youth.firstName');
    expect(text).toMatch(/Youth\.firstName: .*String!.*String/);
  });

  it('a changed argument type', async () => {
    const { result } = await check(edit(RELEASED, 'youth(id: ID!)', 'youth(id: Int!)'));
    expect(result.breaking.map((c) => c.coordinate)).toContain('Query.youth.id');
  });

  it('a new required argument, and a new required input field', async () => {
    const { result, text } = await check(
      edit(
        edit(RELEASED, 'youths(first: Int = 20, after: String)', 'youths(first: Int = 20, after: String, asOf: String!)'),
        '    note: String\n',
        '    note: String\n    reason: String!\n',
      ),
    );
    const coordinates = result.breaking.map((c) => c.coordinate);
    expect(coordinates).toContain('Query.youths.asOf');
    expect(coordinates).toContain('AssignInput.reason');
    expect(text).toMatch(/Query\.youths\.asOf: .*asOf/);
  });

  it('a removed enum value and a removed type', async () => {
    const { result } = await check(edit(RELEASED, '    EUD\n    GYM\n', '    EUD\n'));
    expect(result.breaking.map((c) => c.coordinate)).toEqual(['Track.GYM']);
    const removedType = await check(edit(edit(RELEASED, '    track: Track\n', ''), '  enum Track {\n    EUD\n    GYM\n  }\n', ''));
    expect(removedType.result.breaking.map((c) => c.coordinate)).toEqual(expect.arrayContaining(['Youth.track', 'Track']));
  });

  it('the command exits 1 and writes the list to stderr', async () => {
    const { code, stdout, stderr } = await runWith(withoutField(readReleasedFile(), 'Youth', 'firstName'));
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/✗ Youth\.firstName: /);
  });
});

describe('schema check: additive and documentation changes pass', () => {
  it('an added field, type and optional argument', async () => {
    const { result, text } = await check(
      edit(
        edit(RELEASED, 'age: Int!', 'age: Int!\n    lastName: String!\n    plan: Plan'),
        'after: String)',
        'after: String, ageMin: Int)',
      ).concat('\ntype Plan { goal: String! }\n'),
    );
    expect(result.breaking).toEqual([]);
    expect(result.safe.map((c) => c.coordinate)).toEqual(expect.arrayContaining(['Youth.lastName', 'Youth.plan', 'Plan']));
    expect(text).toContain('schema:check passed');
  });

  it('added and changed descriptions (another team documents the SDL)', async () => {
    let documented = edit(RELEASED, 'One young person by id.', "One young person by the graph's opaque id; null when unknown.");
    documented = edit(documented, '  type Youth {', '  """A young person aged 13-29."""\n  type Youth {');
    documented = edit(documented, '    age: Int!', '    """Whole years on the day asked."""\n    age: Int!');
    documented = edit(documented, '    EUD\n', '    """Erhvervsuddannelse."""\n    EUD\n');
    const { result } = await check(documented);
    expect(result.breaking).toEqual([]);
    expect(result.dangerous).toEqual([]);
    expect(result.safe.length).toBeGreaterThanOrEqual(4);
  });

  it('a new enum value is dangerous (listed with why) but passes', async () => {
    const { result, text } = await check(edit(RELEASED, '    GYM\n', '    GYM\n    FGU\n'));
    expect(result.breaking).toEqual([]);
    expect(result.dangerous.map((c) => c.coordinate)).toEqual(['Track.FGU']);
    expect(text).toMatch(/Dangerous changes \(1\)/);
  });
});

function readReleasedFile(): string {
  return readFileSync(join(REPO_ROOT, RELEASED_SCHEMA_FILE), 'utf8');
}

describe('the committed release', () => {
  it('is what the subgraphs compose to, give or take non-breaking changes', async () => {
    let stdout = '';
    let stderr = '';
    const code = await runSchemaCheck({ argv: [], stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('schema:check passed');
  });

  it('holds the queries the examples rely on and no federation machinery', () => {
    const released = readReleasedFile();
    const schema = buildSchema(released);
    expect(schema.getQueryType()?.getFields()['youth']).toBeDefined();
    expect(released).not.toMatch(/join__|link__|@requiresScopes|_entities|_service/);
  });
});

describe('schema check: the list stays readable', () => {
  it('prints a multi-line description change on one line, cut short', async () => {
    const long = `${'A long description line. '.repeat(20)}\n    Second line.`;
    const { text } = await check(edit(RELEASED, 'One young person by id.', long));
    const lines = text.split('\n').filter((l) => l.includes('Query.youth:'));
    expect(lines).toHaveLength(1);
    expect(lines[0]!.length).toBeLessThan(220);
    expect(lines[0]).toMatch(/…$/);
  });
});
