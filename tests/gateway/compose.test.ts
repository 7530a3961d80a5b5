import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { CompositionError, composeSupergraph, diffHint, REPO_ROOT, runCompose } from '../../schema/compose.js';
import { SUBGRAPHS } from '../../schema/subgraphs.js';
import { fixtureEntry } from './fixtures/subgraphs.js';

const tmp = mkdtempSync(join(tmpdir(), 'ungegraf-compose-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const good = [fixtureEntry('people'), fixtureEntry('grades')];

function run(argv: string[], subgraphs = good) {
  let stdout = '';
  let stderr = '';
  const code = runCompose({ argv, subgraphs, stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) });
  return { code, stdout, stderr };
}

describe('schema/subgraphs.ts', () => {
  it('lists the six subgraphs with distinct names and ports', () => {
    expect(SUBGRAPHS.map((s) => s.name).sort()).toEqual(['benefits', 'coordination', 'guidance', 'jobcenter', 'school', 'social']);
    expect(new Set(SUBGRAPHS.map((s) => new URL(s.defaultUrl).port)).size).toBe(6);
    expect(SUBGRAPHS.find((s) => s.name === 'guidance')?.defaultUrl).toBe('http://127.0.0.1:4002/graphql');
  });
});

describe('composeSupergraph', () => {
  it('composes the fixture subgraphs', () => {
    const { supergraphSdl } = composeSupergraph(good);
    expect(supergraphSdl).toContain('enum join__Graph');
    expect(supergraphSdl).toContain('@join__graph(name: "people", url: "http://127.0.0.1:9/people/graphql")');
    expect(supergraphSdl).toContain('@join__graph(name: "grades"');
    expect(supergraphSdl).toMatch(/grade: Int @join__field\(graph: GRADES\)/);
  });

  it('reports every composition error with its message', () => {
    let caught: unknown;
    try {
      composeSupergraph([fixtureEntry('people'), fixtureEntry('broken')]);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(CompositionError);
    const error = caught as CompositionError;
    expect(error.errors).toHaveLength(2);
    expect(error.message).toContain('Composition failed with 2 errors');
    expect(error.message).toContain('[FIELD_TYPE_MISMATCH] Type of field "Person.name" is incompatible across subgraphs');
    expect(error.message).toContain('[INVALID_FIELD_SHARING] Non-shareable field "Person.name"');
  });

  it('reports unreadable and unparsable SDL files by subgraph', () => {
    expect(() => composeSupergraph([fixtureEntry('people'), fixtureEntry('invalid'), { ...fixtureEntry('missing') }])).toThrow(
      /\[invalid\] .*invalid\.graphql is not valid SDL: Syntax Error[\s\S]*\[missing\] cannot read/,
    );
  });
});

describe('compose command', () => {
  it('writes the supergraph to --out, and --check accepts it unchanged', () => {
    const out = join(tmp, 'ok.graphql');
    const write = run(['--out', out]);
    expect(write).toMatchObject({ code: 0, stderr: '' });
    const file = readFileSync(out, 'utf8');
    expect(file.startsWith('# Composed by schema/compose.ts')).toBe(true);
    expect(file).toContain(composeSupergraph(good).supergraphSdl.trimEnd());

    const check = run(['--check', `--out=${out}`]);
    expect(check.code).toBe(0);
    expect(check.stdout).toContain('is up to date');
  });

  it('fails with every composition error and a non-zero exit', () => {
    const out = join(tmp, 'never.graphql');
    const result = run(['--out', out], [fixtureEntry('people'), fixtureEntry('broken')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('FIELD_TYPE_MISMATCH');
    expect(result.stderr).toContain('INVALID_FIELD_SHARING');
    expect(() => readFileSync(out)).toThrow();
  });

  it('--check detects a difference and shows where', () => {
    const out = join(tmp, 'stale.graphql');
    run(['--out', out]);
    writeFileSync(out, readFileSync(out, 'utf8').replace('grade: Int', 'grade: Float'));
    const result = run(['--check', '--out', out]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('is out of date with the subgraph schemas; run `npm run compose`');
    expect(result.stderr).toMatch(/^-\s+grade: Float/m);
    expect(result.stderr).toMatch(/^\+\s+grade: Int/m);
    // The check never rewrites the file.
    expect(readFileSync(out, 'utf8')).toContain('grade: Float');
  });

  it('--check fails when the file is missing', () => {
    const result = run(['--check', '--out', join(tmp, 'absent.graphql')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('does not exist');
  });

  it('rejects unknown arguments', () => {
    expect(run(['--frobnicate']).code).toBe(2);
  });

  it('sets the process exit code when run as a script', async () => {
    const exec = promisify(execFile);
    const failure = await exec(process.execPath, ['--import', 'tsx', 'schema/compose.ts', '--frobnicate'], { cwd: REPO_ROOT }).then(
      () => undefined,
      (error: { code?: number; stderr?: string }) => error,
    );
    expect(failure?.code).toBe(2);
    expect(failure?.stderr).toContain("Unknown option '--frobnicate'");
  });
});

describe('diffHint', () => {
  it('shows only the differing middle', () => {
    const hint = diffHint('a\nb\nc\nd', 'a\nB\nc\nd');
    expect(hint).toBe('@@ -2,1 +2,1 @@\n-b\n+B');
  });
});
