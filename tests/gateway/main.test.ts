/**
 * `gateway/main.ts` as a process: reads its configuration, listens, logs where, stops cleanly on SIGTERM.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, expect, it } from 'vitest';
import { REPO_ROOT } from '../../gateway/config.js';
import { composeSupergraph } from '../../schema/compose.js';
import { fixtureEntry } from './fixtures/subgraphs.js';

const tmp = mkdtempSync(join(tmpdir(), 'ungegraf-main-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

it('listens, logs its URL, and shuts down on SIGTERM with exit code 0', async () => {
  const supergraphPath = join(tmp, 'supergraph.graphql');
  writeFileSync(supergraphPath, composeSupergraph([fixtureEntry('people'), fixtureEntry('grades')]).supergraphSdl);

  const child = spawn(process.execPath, ['--import', 'tsx', 'gateway/main.ts'], {
    cwd: REPO_ROOT,
    env: { ...process.env, GATEWAY_PORT: '0', SUPERGRAPH_PATH: supergraphPath, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const messages: string[] = [];
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const entry = JSON.parse(line) as { msg: string; url?: string };
      messages.push(entry.msg);
      if (entry.msg === 'gateway listening' && entry.url) resolve(entry.url);
    });
    void exited.then((code) => reject(new Error(`gateway exited early with ${code}: ${messages.join(' | ')}`)));
  });

  expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/graphql$/);
  const health = await fetch(new URL('/healthz', url));
  expect(health.status).toBe(200);

  child.kill('SIGTERM');
  expect(await exited).toBe(0);
  expect(messages).toContain('shutting down');
  expect(messages).toContain('stopped');
});
