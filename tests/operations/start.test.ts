/**
 * `npm start` on a fresh clone (scripts/start.ts, as `npm start` runs it, in a process of its own with
 * empty data directories, the default population and every port 0), and the same stack from the
 * production build (`npm run build`: scripts/start.js under node alone, as the image runs its parts): a healthy start logs no error line
 * (the first screening used to time out reading UU's extract while everything was still starting and
 * log an error), and the sample query it prints names a young person the graph knows (it used to print
 * a literal "ID" when that first screening had failed); the IDE's dossier example, with its committed
 * variables and the IDE's token, finds its young person (need to know once made it answer null).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../scripts/deploy-manifests.js';
import { build } from '../../scripts/build.js';

interface Started {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** How the stack is started: the sources with tsx (npm start), or the production build with node alone. */
interface Form {
  name: string;
  /** Prepares the form in `dataDir` and answers the command line and the directory it runs in. */
  prepare(dataDir: string): { args: string[]; cwd: string };
}

const FORMS: Form[] = [
  { name: 'npm start on a fresh clone', prepare: () => ({ args: ['--import', 'tsx', 'scripts/start.ts'], cwd: REPO_ROOT }) },
  {
    name: 'the production build (npm run build), started with node alone',
    prepare: (dataDir) => {
      const out = join(dataDir, 'dist');
      build(out);
      return { args: [join(out, 'scripts/start.js')], cwd: out };
    },
  },
];

function startScript(dataDir: string, form: Form): Started {
  const env: Record<string, string | undefined> = { ...process.env };
  // Embedded defaults, as on a fresh clone; the logger writes (it is silent under the test runner).
  for (const name of ['DATABASE_URL', 'REDIS_URL', 'VITEST', 'NODE_ENV']) delete env[name];
  Object.assign(env, {
    LOG_LEVEL: 'info',
    GATEWAY_PORT: '0',
    COORDINATION_DATA_DIR: join(dataDir, 'coordination'),
    AUDIT_DATA_DIR: join(dataDir, 'audit'),
    AUTH_DEV_KEY_DIR: join(dataDir, 'dev-keys'),
    GATEWAY_DEV_KEY_DIR: join(dataDir, 'gateway-keys'),
    IDE_CACHE_DIR: join(dataDir, 'ide'),
  });
  for (const part of ['SCHOOL', 'GUIDANCE', 'JOBCENTER', 'SOCIAL', 'BENEFITS']) env[`${part}_PORT`] = env[`${part}_SUBGRAPH_PORT`] = '0';
  env.COORDINATION_SUBGRAPH_PORT = '0';
  const { args, cwd } = form.prepare(dataDir);
  const child = spawn(process.execPath, args, {
    cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

async function until(condition: () => boolean, started: Started, what: string): Promise<void> {
  let done = false;
  void started.exited.then(() => (done = true));
  while (!condition()) {
    if (done) throw new Error(`npm start exited before ${what}:\n${started.stdout().slice(-2000)}\n${started.stderr().slice(-2000)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe.each(FORMS)('$name', (form) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ungegraf-start-'));
  let started: Started | undefined;

  afterAll(async () => {
    if (started && started.child.exitCode === null) {
      started.child.kill('SIGKILL');
      await started.exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts without an error line and prints a sample query with a real young person, which the graph answers', async () => {
    started = startScript(dataDir, form);
    await until(() => started!.stdout().includes('Press Ctrl+C to stop.'), started, 'it was up');
    const out = started.stdout();

    const logLines = out
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { level: number; msg: string });
    expect(logLines.some((line) => line.msg === 'screening register rebuilt')).toBe(true);
    expect(logLines.filter((line) => line.level >= 50)).toEqual([]);

    const youthId = /youth\(id: \\"([^\\"]*)\\"\)/.exec(out)?.[1];
    expect(youthId).toBeDefined();
    expect(youthId).not.toBe('ID');
    // The sample's id is one the graph knows: asked with the IDE's development token (a social caseworker).
    const endpoint = /GraphQL endpoint\s+(\S+)/.exec(out)?.[1];
    const token = /GraphQL IDE\s+\S+#token=(\S+)/.exec(out)?.[1];
    expect(endpoint && token).toBeTruthy();
    const response = await fetch(endpoint!, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({
        query: 'query Sample($id: ID!) { youth(id: $id) { firstName contactPersonEligibility { status } } }',
        variables: { id: youthId },
      }),
    });
    const body = (await response.json()) as {
      data?: { youth: { firstName: string; contactPersonEligibility: { status: string } } | null };
      errors?: unknown;
    };
    expect(body.errors).toBeUndefined();
    expect(body.data?.youth?.firstName).toEqual(expect.any(String));
    // The sample is one the register lists as eligible for a contact person, as the README says.
    expect(body.data?.youth?.contactPersonEligibility.status).toBe('ELIGIBLE');

    // The IDE's dossier tab runs its committed example variables with that same token: under need to know
    // the example's young person must be in the token's relation, or the tab answers `youth: null`.
    const examples = join(REPO_ROOT, 'operations/examples');
    const example = await fetch(endpoint!, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({
        query: readFileSync(join(examples, 'caseworker-dossier.graphql'), 'utf8'),
        variables: JSON.parse(readFileSync(join(examples, 'caseworker-dossier.variables.json'), 'utf8')) as unknown,
      }),
    });
    const exampleBody = (await example.json()) as { data?: { youth: { id: string } | null } };
    expect(exampleBody.data?.youth?.id).toEqual(expect.any(String) as unknown);

    // The reference screen's script, bundled from its browser sources at the first request (the build
    // copies them as they are).
    const screen = /Reference screen\s+(\S+?)\/app\//.exec(out)?.[1];
    const script = await fetch(`${screen}/app/app.js`);
    expect(script.status).toBe(200);
    expect((await script.text()).length).toBeGreaterThan(10_000);

    started.child.kill('SIGINT');
    expect(await started.exited).toBe(0);
  }, 300_000);
});
