/**
 * docs/errors.md from the error-code registry (scripts/errorsDoc.ts, platform/errorCodes.ts).
 *
 *   npm run errors:doc      write it
 *   npm run errors:check    fail when the committed page differs from the registry
 */
import { join } from 'node:path';
import { writeOrCheck } from './generatedFile.js';
import { ERRORS_DOC_FILE, renderErrorsDoc } from './errorsDoc.js';
import { REPO_ROOT } from './deploy-manifests.js';
import { commandLine } from '../platform/cli.js';

const check =
  commandLine(process.argv.slice(2), { check: { type: 'boolean' } }, 'usage: tsx scripts/errors-doc.ts [--check]').values.check ?? false;
const status = writeOrCheck({
  target: join(REPO_ROOT, ERRORS_DOC_FILE),
  rendered: renderErrorsDoc(),
  check,
  source: 'platform/errorCodes.ts',
  writeScript: 'errors:doc',
  checkScript: 'errors:check',
});
if (status !== 0) process.exitCode = 1;
