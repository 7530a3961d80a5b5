/**
 * The scripts' and benchmarks' command lines (platform/cli.ts): util.parseArgs in strict mode, a bad
 * command line refused with a message naming what is wrong, before anything runs.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseCommandLine, UsageError, usageMessage } from '../../platform/cli.js';
import { runDeployManifests } from '../../scripts/deploy-manifests.js';

const OPTIONS = { check: { type: 'boolean' }, out: { type: 'string' } } as const;

function refusal(run: () => unknown): UsageError {
  try {
    run();
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
  throw new Error('the command line was accepted');
}

describe('parseCommandLine', () => {
  it('reads the options it is given, in both spellings of a value', () => {
    expect(parseCommandLine(['--check', '--out', 'a.graphql'], OPTIONS).values).toEqual({ check: true, out: 'a.graphql' });
    expect(parseCommandLine(['--out=b.graphql'], OPTIONS).values).toEqual({ out: 'b.graphql' });
    expect(parseCommandLine([], OPTIONS).values).toEqual({});
  });

  it('refuses an unknown option, naming it', () => {
    expect(refusal(() => parseCommandLine(['--chek'], OPTIONS)).message).toContain("Unknown option '--chek'");
  });

  it('refuses an option without its value', () => {
    expect(refusal(() => parseCommandLine(['--out'], OPTIONS)).message).toContain("'--out <value>' argument missing");
  });

  it('refuses a value given to a switch', () => {
    expect(refusal(() => parseCommandLine(['--check=yes'], OPTIONS)).message).toContain("'--check' does not take an argument");
  });

  it('refuses a stray argument unless the program takes positionals', () => {
    expect(refusal(() => parseCommandLine(['extra'], OPTIONS)).message).toContain("Unexpected argument 'extra'");
    expect(parseCommandLine(['caseworker', '--check'], OPTIONS, { allowPositionals: true })).toMatchObject({
      positionals: ['caseworker'],
      values: { check: true },
    });
  });

  it('puts the reason before the usage', () => {
    const error = refusal(() => parseCommandLine(['--nope'], OPTIONS));
    expect(usageMessage(error, 'usage: x [--check]\n')).toBe(`error: ${error.message}\n\nusage: x [--check]\n`);
  });
});

describe('the scripts', () => {
  it('a generator refuses a misspelt --check with exit code 2 instead of writing', () => {
    // Before, `deploy:manifests --chek` wrote the file as if no option had been given.
    expect(runDeployManifests(['--chek'], '/nonexistent-root')).toBe(2);
  });

  it('a script run from the shell exits 2 and names the unknown option', async () => {
    const failure = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'scripts/gateway-key.ts', '--out', '/tmp/x', '--rotate'],
      {
        cwd: new URL('../..', import.meta.url),
      },
    ).then(
      () => undefined,
      (error: { code?: number; stderr?: string }) => error,
    );
    expect(failure?.code).toBe(2);
    expect(failure?.stderr).toContain("Unknown option '--rotate'");
    expect(failure?.stderr).toContain('usage: npx tsx scripts/gateway-key.ts --out <dir>');
  });
});
