/**
 * The partners' safelist: builds `operations/partner-manifest.json` (Apollo's persisted-query manifest
 * format) from `operations/partner/*.graphql`, after checking every operation against the graph's API
 * schema (the committed supergraph, as the gateway serves it).
 *
 *   npm run persisted:manifest     write the manifest
 *   npm run persisted:check        fail when the committed manifest differs from the documents
 */
import { readdirSync, readFileSync } from 'node:fs';
import { writeOrCheck } from './generatedFile.js';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ApolloGateway } from '@apollo/gateway';
import { parse, validate, type GraphQLSchema } from 'graphql';
import { stripSecurityDirectives } from '../platform/authorization/rules.js';
import { parseOrExplain } from '../platform/cli.js';
import { createLogger } from '../platform/logger.js';
import { buildManifest, ManifestError, renderManifest } from '../gateway/persistedOperations.js';

export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
export const PARTNER_DOCUMENTS_DIR = 'operations/partner';
export const PARTNER_MANIFEST_FILE = 'operations/partner-manifest.json';
const SUPERGRAPH_FILE = 'schema/supergraph.graphql';

async function apiSchemaOf(supergraphSdl: string): Promise<GraphQLSchema> {
  process.env.APOLLO_TELEMETRY_DISABLED = '1';
  const gateway = new ApolloGateway({
    supergraphSdl: stripSecurityDirectives(supergraphSdl),
    logger: createLogger('persisted-manifest', 'warn'),
  });
  let schema: GraphQLSchema | undefined;
  gateway.onSchemaLoadOrUpdate(({ apiSchema }) => {
    schema = apiSchema;
  });
  await gateway.load();
  await gateway.stop();
  if (!schema) throw new Error('the supergraph yielded no schema');
  return schema;
}

/** The manifest file's text for the documents under `root`; throws ManifestError on any invalid operation. */
export async function renderPartnerManifest(root = REPO_ROOT): Promise<string> {
  const dir = join(root, PARTNER_DOCUMENTS_DIR);
  const files = readdirSync(dir)
    .filter((name) => name.endsWith('.graphql'))
    .sort();
  if (files.length === 0) throw new ManifestError(`no .graphql documents in ${PARTNER_DOCUMENTS_DIR}`);
  const manifest = buildManifest(
    files.map((name) => ({ source: `${PARTNER_DOCUMENTS_DIR}/${name}`, text: readFileSync(join(dir, name), 'utf8') })),
  );
  const schema = await apiSchemaOf(readFileSync(join(root, SUPERGRAPH_FILE), 'utf8'));
  const problems: string[] = [];
  for (const operation of manifest.operations) {
    for (const error of validate(schema, parse(operation.body))) problems.push(`${operation.name}: ${error.message}`);
  }
  if (problems.length > 0)
    throw new ManifestError(`partner operations do not match the graph:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  return renderManifest(manifest);
}

export async function runPersistedManifest(argv: readonly string[], root = REPO_ROOT): Promise<number> {
  const parsed = parseOrExplain(argv, { check: { type: 'boolean' } }, 'usage: tsx scripts/persisted-manifest.ts [--check]');
  if (!parsed) return 2;
  const check = parsed.values.check ?? false;
  const target = resolve(root, PARTNER_MANIFEST_FILE);
  let rendered: string;
  try {
    rendered = await renderPartnerManifest(root);
  } catch (error) {
    process.stderr.write(`persisted-manifest: ${(error as Error).message}\n`);
    return 1;
  }
  return writeOrCheck({
    target,
    rendered,
    check,
    source: `${PARTNER_DOCUMENTS_DIR}/`,
    writeScript: 'persisted:manifest',
    checkScript: 'persisted:check',
  });
}

const invokedPath = process.argv[1];
if (invokedPath && import.meta.url === pathToFileURL(resolve(invokedPath)).href) {
  process.exitCode = await runPersistedManifest(process.argv.slice(2));
}
