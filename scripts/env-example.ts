/**
 * `.env.example` from the configuration code (scripts/envExample.ts).
 *
 *   npm run env:example     write it
 *   npm run env:check       fail when the committed file differs, or a setting is out of every loader's reach
 */
import { join } from 'node:path';
import { writeOrCheck } from './generatedFile.js';
import { collectSettings, ENV_EXAMPLE_FILE, renderEnvExample, unreachedSettings } from './envExample.js';
import { REPO_ROOT } from './deploy-manifests.js';
import { commandLine } from '../platform/cli.js';

const check =
  commandLine(process.argv.slice(2), { check: { type: 'boolean' } }, 'usage: tsx scripts/env-example.ts [--check]').values.check ?? false;
const settings = collectSettings();
const unreached = unreachedSettings(settings);
if (unreached.length > 0) {
  process.stderr.write(
    `env:check: these variables are read by code no loader in scripts/envExample.ts reaches (add the loader to PARTS, or the name to NOT_SETTINGS):\n${unreached.map((line) => `  ${line}\n`).join('')}`,
  );
  process.exitCode = 1;
}
const status = writeOrCheck({
  target: join(REPO_ROOT, ENV_EXAMPLE_FILE),
  rendered: renderEnvExample(settings),
  check,
  source: 'the configuration code',
  writeScript: 'env:example',
  checkScript: 'env:check',
});
if (status !== 0) process.exitCode = 1;
