/**
 * Composes the subgraphs listed in `schema/subgraphs.ts` (from the registry, `subgraphs/registry.ts`) into `schema/supergraph.graphql`, offline
 * (`composeServices`, no running subgraph needed).
 *
 *   npx tsx schema/compose.ts            write the supergraph
 *   npx tsx schema/compose.ts --check    compose and fail when the committed file differs
 *   --out <path>                         another output file (tests use a temporary one)
 *
 * Composition is a test: any composition error fails with every error listed, and the check keeps the
 * committed supergraph identical to what the subgraphs' SDL composes to.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { composeServices } from '@apollo/composition';
import { type GraphQLError, parse, type DocumentNode } from 'graphql';
import { parseOrExplain } from '../platform/cli.js';
import { SUBGRAPHS, type SubgraphEntry } from './subgraphs.js';

export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
export const SUPERGRAPH_FILE = 'schema/supergraph.graphql';

const HEADER =
  '# Composed by schema/compose.ts from the subgraphs listed in schema/subgraphs.ts.\n' +
  '# Do not edit: change a subgraph schema and run `npm run compose`.\n\n';

/** Composition failed: `errors` holds every message, `message` all of them joined. */
export class CompositionError extends Error {
  override name = 'CompositionError';
  constructor(readonly errors: readonly string[]) {
    super(`Composition failed with ${errors.length} error${errors.length === 1 ? '' : 's'}:\n${errors.map((e) => `  - ${e}`).join('\n')}`);
  }
}

/** Composes the given subgraphs (default: all of `SUBGRAPHS`); throws CompositionError listing every error. */
export function composeSupergraph(subgraphs: readonly SubgraphEntry[] = SUBGRAPHS, root: string = REPO_ROOT): { supergraphSdl: string } {
  const errors: string[] = [];
  const services: { name: string; url: string; typeDefs: DocumentNode }[] = [];
  for (const subgraph of subgraphs) {
    const path = isAbsolute(subgraph.schemaPath) ? subgraph.schemaPath : resolve(root, subgraph.schemaPath);
    let sdl: string;
    try {
      sdl = readFileSync(path, 'utf8');
    } catch (error) {
      errors.push(`[${subgraph.name}] cannot read ${subgraph.schemaPath}: ${(error as Error).message}`);
      continue;
    }
    try {
      services.push({ name: subgraph.name, url: subgraph.defaultUrl, typeDefs: parse(sdl) });
    } catch (error) {
      errors.push(`[${subgraph.name}] ${subgraph.schemaPath} is not valid SDL: ${(error as Error).message}`);
    }
  }
  if (errors.length > 0) throw new CompositionError(errors);

  const result = composeServices(services);
  if (result.errors) throw new CompositionError(result.errors.map(describeError));
  return { supergraphSdl: result.supergraphSdl };
}

function describeError(error: GraphQLError): string {
  const code = error.extensions['code'];
  return typeof code === 'string' ? `[${code}] ${error.message}` : error.message;
}

/** The file's content: a header saying where it comes from, then the SDL with one final newline. */
export function renderSupergraphFile(supergraphSdl: string): string {
  return `${HEADER}${supergraphSdl.trimEnd()}\n`;
}

/**
 * A short, unified-style hint of where two texts differ: the differing middle (common head and tail
 * cut off), at most `maxLines` lines of each side, `-` for the committed and `+` for the composed text.
 */
export function diffHint(committed: string, composed: string, maxLines = 12): string {
  const a = committed.split('\n');
  const b = composed.split('\n');
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const removed = a.slice(head, a.length - tail);
  const added = b.slice(head, b.length - tail);
  const side = (lines: string[], mark: string): string[] => {
    const shown = lines.slice(0, maxLines).map((line) => `${mark}${line}`);
    if (lines.length > maxLines) shown.push(`${mark}... (${lines.length - maxLines} more lines)`);
    return shown;
  };
  return [`@@ -${head + 1},${removed.length} +${head + 1},${added.length} @@`, ...side(removed, '-'), ...side(added, '+')].join('\n');
}

export interface RunComposeOptions {
  argv: readonly string[];
  subgraphs?: readonly SubgraphEntry[];
  root?: string;
  stdout?: (text: string) => void;
  stderr?: (text: string) => void;
}

/** The command line; answers the exit code. */
export function runCompose(options: RunComposeOptions): number {
  const root = options.root ?? REPO_ROOT;
  const out = options.stdout ?? ((text: string) => void process.stdout.write(text));
  const err = options.stderr ?? ((text: string) => void process.stderr.write(text));

  const usage = 'usage: tsx schema/compose.ts [--check] [--out <path>]';
  const parsed = parseOrExplain(
    options.argv,
    { check: { type: 'boolean' }, out: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    usage,
    {
      err,
    },
  );
  if (!parsed) return 2;
  const { values } = parsed;
  if (values.help) {
    out(`${usage}\n`);
    return 0;
  }
  if (values.out === '') {
    err('compose: --out needs a path\n');
    return 2;
  }
  const check = values.check ?? false;
  const outPath = values.out ?? SUPERGRAPH_FILE;
  const target = isAbsolute(outPath) ? outPath : resolve(root, outPath);
  const inside = relative(process.cwd(), target);
  const shown = inside && !inside.startsWith('..') && !isAbsolute(inside) ? inside : target;

  let file: string;
  try {
    file = renderSupergraphFile(composeSupergraph(options.subgraphs ?? SUBGRAPHS, root).supergraphSdl);
  } catch (error) {
    err(`${error instanceof CompositionError ? error.message : String(error)}\n`);
    return 1;
  }

  if (check) {
    let committed: string;
    try {
      committed = readFileSync(target, 'utf8').replace(/\r\n/g, '\n');
    } catch {
      err(`compose --check: ${shown} does not exist; run \`npm run compose\` and commit it.\n`);
      return 1;
    }
    if (committed !== file) {
      err(
        `compose --check: ${shown} is out of date with the subgraph schemas; run \`npm run compose\` and commit it.\n` +
          `${diffHint(committed, file)}\n`,
      );
      return 1;
    }
    out(`compose --check: ${shown} is up to date.\n`);
    return 0;
  }

  writeFileSync(target, file);
  out(`compose: wrote ${shown}\n`);
  return 0;
}

const invokedPath = process.argv[1];
if (invokedPath && import.meta.url === pathToFileURL(resolve(invokedPath)).href) {
  process.exitCode = runCompose({ argv: process.argv.slice(2) });
}
