/**
 * The IDE's browser bundle, built from the project's own dependencies (GraphiQL 5, React, Monaco) with
 * esbuild: the page's script and stylesheet, Monaco's editor font, and the three Monaco web workers
 * (editor, JSON, GraphQL) as scripts of their own. Built once and kept on disk under a key made of the
 * installed versions and of the IDE's own sources, so it is rebuilt only when one of them changes; a
 * second process (or a restart) finds it there. Served from memory.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import type { Logger } from 'pino';
import { staticAsset, type StaticAsset } from '../../platform/staticBundle.js';

const gzip = promisify(gzipCallback);

const HERE = fileURLToPath(new URL('.', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLIENT_DIR = join(HERE, 'client');

/** What ends up in the bundle: a new version of any of them means a new bundle. */
const BUNDLED_PACKAGES = [
  'graphiql',
  '@graphiql/react',
  '@graphiql/toolkit',
  '@graphiql/plugin-doc-explorer',
  '@graphiql/plugin-history',
  'monaco-editor',
  'monaco-graphql',
  'graphql',
  'graphql-language-service',
  'react',
  'react-dom',
  'esbuild',
] as const;

/** Monaco asks for a worker by label; these are the labels GraphiQL's editors use. */
export const WORKER_LABELS = ['editor', 'json', 'graphql'] as const;
export type WorkerLabel = (typeof WORKER_LABELS)[number];

const WORKER_ENTRIES: Record<WorkerLabel, string> = {
  editor: 'monaco-editor/esm/vs/editor/editor.worker.js',
  json: 'monaco-editor/esm/vs/language/json/json.worker.js',
  graphql: 'monaco-graphql/esm/graphql.worker.js',
};

/** The built files' names (content-hashed, so they can be cached for good). */
export interface BundleManifest {
  script: string;
  style: string;
  workers: Record<WorkerLabel, string>;
}

/** A built file, with a gzip-compressed copy (Monaco is large). */
export type IdeAsset = StaticAsset & { gzipped: Buffer };

export interface IdeBundle {
  /** The cache key the bundle was built for. */
  key: string;
  manifest: BundleManifest;
  /** Every built file by name (as in `assets/<name>`). */
  assets: ReadonlyMap<string, IdeAsset>;
}

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.ttf': 'font/ttf',
};

function installedVersion(name: string): string {
  try {
    const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version?: string };
    return manifest.version ?? 'unknown';
  } catch {
    return 'absent';
  }
}

/**
 * The cache key: the installed versions of what is bundled, and the IDE's own sources (the client and
 * this build's options), hashed.
 */
export function bundleKey(): string {
  const hash = createHash('sha256');
  for (const name of BUNDLED_PACKAGES) hash.update(`${name}@${installedVersion(name)}\n`);
  for (const file of readdirSync(CLIENT_DIR).sort()) hash.update(file).update(readFileSync(join(CLIENT_DIR, file)));
  hash.update(readFileSync(fileURLToPath(import.meta.url)));
  return hash.digest('hex').slice(0, 20);
}

async function buildInto(outdir: string): Promise<BundleManifest> {
  // Loaded only when a bundle is built: a gateway with the IDE off, or a cached bundle, never loads esbuild.
  const { build } = await import('esbuild');
  const result = await build({
    absWorkingDir: REPO_ROOT,
    entryPoints: {
      main: join(CLIENT_DIR, 'main.ts'),
      ...Object.fromEntries(WORKER_LABELS.map((label) => [`${label}.worker`, WORKER_ENTRIES[label]])),
    },
    bundle: true,
    // Classic scripts: the page's script and the workers run without module workers or import maps.
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    legalComments: 'none',
    outdir,
    entryNames: '[name]-[hash]',
    assetNames: '[name]-[hash]',
    loader: { '.ttf': 'file' },
    define: { 'process.env.NODE_ENV': '"production"' },
    metafile: true,
    logLevel: 'silent',
  });
  const manifest: { script?: string; style?: string; workers: Partial<Record<WorkerLabel, string>> } = { workers: {} };
  for (const [path, output] of Object.entries(result.metafile.outputs)) {
    const file = basename(path);
    if (output.entryPoint?.endsWith('client/main.ts')) {
      if (file.endsWith('.js')) manifest.script = file;
      if (output.cssBundle) manifest.style = basename(output.cssBundle);
    }
    for (const label of WORKER_LABELS) if (output.entryPoint?.endsWith(WORKER_ENTRIES[label])) manifest.workers[label] = file;
  }
  const { script, style, workers } = manifest;
  if (!script || !style || WORKER_LABELS.some((label) => !workers[label]))
    throw new Error('The IDE bundle lacks its script, stylesheet or a worker');
  return { script, style, workers: workers as Record<WorkerLabel, string> };
}

const MANIFEST_FILE = 'manifest.json';

/** Builds into a private folder and moves it into place, so a reader never sees half a bundle. */
async function buildCached(cacheDir: string, key: string, logger: Logger): Promise<void> {
  mkdirSync(cacheDir, { recursive: true });
  const temporary = join(cacheDir, `.building-${key}-${process.pid}-${randomBytes(4).toString('hex')}`);
  const started = performance.now();
  try {
    const manifest = await buildInto(temporary);
    writeFileSync(join(temporary, MANIFEST_FILE), JSON.stringify(manifest, null, 2));
    try {
      renameSync(temporary, join(cacheDir, key));
    } catch (error) {
      // Another process finished the same bundle first: theirs is as good.
      if (!existsSync(join(cacheDir, key, MANIFEST_FILE))) throw error;
    }
    logger.info({ key, ms: Math.round(performance.now() - started) }, 'IDE bundle built');
    removeStaleBundles(cacheDir, key);
  } finally {
    rmSync(temporary, { recursive: true, force: true });
  }
}

/** Bundles of earlier versions are never read again; builds in progress (`.building-*`) are left alone. */
function removeStaleBundles(cacheDir: string, currentKey: string): void {
  for (const entry of readdirSync(cacheDir)) {
    if (entry !== currentKey && !entry.startsWith('.building-')) rmSync(join(cacheDir, entry), { recursive: true, force: true });
  }
}

async function readBundle(dir: string, key: string): Promise<IdeBundle> {
  const manifest = JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8')) as BundleManifest;
  const assets = new Map<string, IdeAsset>();
  for (const file of readdirSync(dir)) {
    const contentType = CONTENT_TYPES[extname(file)];
    if (!contentType) continue;
    const body = readFileSync(join(dir, file));
    const gzipped = await gzip(body);
    assets.set(file, { ...staticAsset(body, contentType, gzipped), gzipped });
  }
  return { key, manifest, assets };
}

/** The bundle for the installed versions: from the cache, or built now (about two seconds) and cached. */
export async function loadIdeBundle(cacheDir: string, logger: Logger): Promise<IdeBundle> {
  const key = bundleKey();
  const dir = join(cacheDir, key);
  if (!existsSync(join(dir, MANIFEST_FILE))) await buildCached(cacheDir, key, logger);
  return readBundle(dir, key);
}
