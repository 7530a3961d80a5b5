/**
 * Schema checks: compares the API schema the subgraphs compose to now with the last released one
 * (`schema/released/schema.graphql`, committed) and fails on changes that can break a client built
 * against the release. The comparison is GraphQL Inspector's (`@graphql-inspector/core`).
 *
 *   npm run schema:check      list breaking (exit 1), dangerous and safe changes
 *   npm run schema:release    make the current API schema the released one (schema/released/README.md)
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CriticalityLevel, diff, type Change } from '@graphql-inspector/core';
import { buildSchema, type GraphQLSchema } from 'graphql';
import { parseOrExplain } from '../platform/cli.js';
import { composeSupergraph, CompositionError, REPO_ROOT } from '../schema/compose.js';
import { apiSchemaOfSupergraph, printApiSchema } from './apiSchema.js';

export const RELEASED_SCHEMA_FILE = 'schema/released/schema.graphql';

const RELEASED_HEADER =
  '# The API schema of the last release: what clients may rely on. `npm run schema:check` fails on\n' +
  '# changes that break it. Do not edit: `npm run schema:release` writes it (schema/released/README.md).\n\n';

/** One change, flattened for printing: the schema coordinate it touches and what happened. */
export interface SchemaChange {
  /** Schema coordinate, e.g. `Query.youth` or `Query.youths.first`; empty for schema-wide changes. */
  coordinate: string;
  message: string;
  /** Why the change is breaking or dangerous, when the library says. */
  reason?: string;
}

export interface SchemaCheckResult {
  breaking: SchemaChange[];
  dangerous: SchemaChange[];
  safe: SchemaChange[];
}

function toSchemaChange(change: Change): SchemaChange {
  const reason = change.criticality.reason;
  return { coordinate: change.path ?? '', message: change.message, ...(reason ? { reason } : {}) };
}

/** Classifies every difference from `released` to `current` by what it does to existing clients. */
export async function compareSchemas(released: GraphQLSchema, current: GraphQLSchema): Promise<SchemaCheckResult> {
  const changes = await diff(released, current);
  const pick = (level: CriticalityLevel) =>
    changes
      .filter((change) => change.criticality.level === level)
      .map(toSchemaChange)
      .sort((a, b) => a.coordinate.localeCompare(b.coordinate) || a.message.localeCompare(b.message));
  return {
    breaking: pick(CriticalityLevel.Breaking),
    dangerous: pick(CriticalityLevel.Dangerous),
    safe: pick(CriticalityLevel.NonBreaking),
  };
}

/** Messages quote descriptions, which span lines: one line each, and long quotes cut short. */
function oneLine(text: string, max = 200): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** The readable list: breaking first (with why), then dangerous, then safe (at most `maxSafe` shown). */
export function formatSchemaCheck(result: SchemaCheckResult, options: { against?: string; maxSafe?: number } = {}): string {
  const against = options.against ?? RELEASED_SCHEMA_FILE;
  const maxSafe = options.maxSafe ?? 40;
  const line = (mark: string, change: SchemaChange, withReason: boolean): string[] => {
    const head = `  ${mark} ${change.coordinate ? `${change.coordinate}: ` : ''}${oneLine(change.message)}`;
    return withReason && change.reason ? [head, `      ${change.reason}`] : [head];
  };
  const out: string[] = [];
  if (result.breaking.length > 0) {
    out.push(`Breaking changes (${result.breaking.length}): clients built against ${against} can fail.`);
    for (const change of result.breaking) out.push(...line('✗', change, true));
  }
  if (result.dangerous.length > 0) {
    out.push(`Dangerous changes (${result.dangerous.length}): valid for clients, but may change what they get.`);
    for (const change of result.dangerous) out.push(...line('!', change, true));
  }
  if (result.safe.length > 0) {
    out.push(`Safe changes (${result.safe.length}):`);
    for (const change of result.safe.slice(0, maxSafe)) out.push(...line('✓', change, false));
    if (result.safe.length > maxSafe) out.push(`  … and ${result.safe.length - maxSafe} more safe changes`);
  }
  if (out.length === 0) out.push(`No changes against ${against}.`);
  if (result.breaking.length > 0) {
    out.push(
      '',
      'schema:check failed. Make the change additive (add a field, deprecate the old one with @deprecated and',
      'remove it in a later release), or, when the clients have agreed to the break, follow',
      'schema/released/README.md to release the new schema.',
    );
  } else {
    out.push(`schema:check passed: no breaking changes against ${against}.`);
  }
  return `${out.join('\n')}\n`;
}

/** The API schema the subgraphs compose to now (from their SDL, not the committed supergraph). */
export async function composedApiSchema(root: string = REPO_ROOT): Promise<GraphQLSchema> {
  return apiSchemaOfSupergraph(composeSupergraph(undefined, root).supergraphSdl);
}

/** The released file's text for a schema. */
export function renderReleasedSchema(schema: GraphQLSchema): string {
  return `${RELEASED_HEADER}${printApiSchema(schema)}`;
}

export interface RunSchemaCheckOptions {
  argv: readonly string[];
  root?: string;
  stdout?: (text: string) => void;
  stderr?: (text: string) => void;
  /** The schema to check; default: composed from the subgraphs. */
  current?: () => Promise<GraphQLSchema>;
}

/** The command line; answers the exit code (0 passed, 1 breaking or unusable input, 2 bad arguments). */
export async function runSchemaCheck(options: RunSchemaCheckOptions): Promise<number> {
  const root = options.root ?? REPO_ROOT;
  const out = options.stdout ?? ((text: string) => void process.stdout.write(text));
  const err = options.stderr ?? ((text: string) => void process.stderr.write(text));
  const parsed = parseOrExplain(options.argv, { release: { type: 'boolean' } }, 'usage: tsx scripts/schema-check.ts [--release]', { err });
  if (!parsed) return 2;
  const release = parsed.values.release ?? false;
  const releasedPath = join(root, RELEASED_SCHEMA_FILE);

  let current: GraphQLSchema;
  try {
    current = await (options.current ?? (() => composedApiSchema(root)))();
  } catch (error) {
    err(
      `schema:check: ${error instanceof CompositionError ? error.message : `cannot build the API schema: ${(error as Error).message}`}\n`,
    );
    return 1;
  }

  if (release) {
    mkdirSync(dirname(releasedPath), { recursive: true });
    writeFileSync(releasedPath, renderReleasedSchema(current));
    out(`schema:release: wrote ${RELEASED_SCHEMA_FILE}; commit it with the release.\n`);
    return 0;
  }

  let released: GraphQLSchema;
  try {
    released = buildSchema(readFileSync(releasedPath, 'utf8'));
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    err(
      missing
        ? `schema:check: ${RELEASED_SCHEMA_FILE} does not exist; run \`npm run schema:release\` at a release and commit it.\n`
        : `schema:check: ${RELEASED_SCHEMA_FILE} is not a valid schema: ${(error as Error).message}\n`,
    );
    return 1;
  }
  const result = await compareSchemas(released, current);
  const report = formatSchemaCheck(result);
  if (result.breaking.length > 0) {
    err(report);
    return 1;
  }
  out(report);
  return 0;
}

const invokedPath = process.argv[1];
if (invokedPath && import.meta.url === pathToFileURL(resolve(invokedPath)).href) {
  process.exitCode = await runSchemaCheck({ argv: process.argv.slice(2) });
}
