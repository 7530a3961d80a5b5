/**
 * Typed operations: GraphQL Code Generator (client preset, configured in /codegen.ts) over the example
 * operations in `operations/examples/`, against the graph's API schema (the committed supergraph as the
 * gateway serves it, without federation or security directives).
 *
 *   npm run codegen          write operations/examples/generated/
 *   npm run codegen:check    fail when the committed files differ from what the operations generate
 */
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { generate } from '@graphql-codegen/cli';
import { codegenConfig, GENERATED_DIR } from '../codegen.js';
import { commandLine } from '../platform/cli.js';
import { REPO_ROOT, SUPERGRAPH_FILE } from '../schema/compose.js';
import { committedApiSchema, printApiSchema } from './apiSchema.js';
import { writeOrCheck } from './generatedFile.js';

export interface GeneratedOutput {
  /** Relative to the repository root. */
  path: string;
  content: string;
}

/** What codegen writes for the example operations, without writing it. */
export async function renderTypedOperations(root: string = REPO_ROOT): Promise<GeneratedOutput[]> {
  const schemaSdl = printApiSchema(await committedApiSchema(root));
  // `generate` is typed loosely (`FileOutput[] | any`); without saving it answers the files it would write.
  const outputs = (await generate({ ...codegenConfig, schema: schemaSdl, cwd: root, silent: true, verbose: false }, false)) as {
    filename: string;
    content: string;
  }[];
  return outputs
    .map((output) => ({ path: relative(root, resolve(root, output.filename)), content: output.content }))
    .sort((a, b) => a.path.localeCompare(b.path));
}

/** Writes (or with `check`, compares) every generated file; answers the exit code. */
export async function runCodegen(check: boolean, root: string = REPO_ROOT): Promise<number> {
  let outputs: GeneratedOutput[];
  try {
    outputs = await renderTypedOperations(root);
  } catch (error) {
    // Codegen reports invalid operations with the file and the schema error; nothing internal to hide here.
    process.stderr.write(`codegen: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  const dir = join(root, GENERATED_DIR);
  mkdirSync(dir, { recursive: true });
  let failures = 0;
  for (const output of outputs) {
    failures += writeOrCheck({
      target: join(root, output.path),
      rendered: output.content,
      check,
      source: `operations/examples/*.graphql and ${SUPERGRAPH_FILE}`,
      writeScript: 'codegen',
      checkScript: 'codegen:check',
    });
  }
  // A file the generator no longer writes (a renamed preset output) would otherwise linger, stale.
  const expected = new Set(outputs.map((output) => join(root, output.path)));
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (expected.has(path)) continue;
    if (check) {
      process.stderr.write(
        `codegen:check: ${relative(process.cwd(), path)} is no longer generated; run \`npm run codegen\` and commit the removal.\n`,
      );
      failures++;
    } else {
      rmSync(path, { recursive: true, force: true });
      process.stdout.write(`codegen: removed ${relative(process.cwd(), path)}\n`);
    }
  }
  return failures > 0 ? 1 : 0;
}

const invokedPath = process.argv[1];
if (invokedPath && import.meta.url === pathToFileURL(resolve(invokedPath)).href) {
  const { values } = commandLine(process.argv.slice(2), { check: { type: 'boolean' } }, 'usage: tsx scripts/codegen.ts [--check]');
  process.exitCode = await runCodegen(values.check ?? false);
}
