/**
 * The reference screen's HTTP side: `/app/` on the gateway serves one HTML page, its stylesheet and its
 * script, all from this folder; the page then talks only to the same origin's `/graphql` (no CORS).
 *
 * The script is TypeScript in `web/client/`, bundled by esbuild on the first request and kept in memory
 * (a bundle of this size takes milliseconds; no build step, nothing to commit, nothing on disk). Outside
 * production the bundle is rebuilt when one of its sources changed, so a frontend developer edits and
 * reloads. Every answer carries a strict Content-Security-Policy: the page loads nothing from anywhere
 * but this origin, runs no inline script or style, and may not be framed.
 */
import { readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { Logger } from 'pino';
import { slashRedirect, staticAsset, staticBundleRoute, type StaticAsset, type StaticRoute } from '../platform/staticBundle.js';

/** Where the screen lives on the gateway (a prefix route: everything below it is the screen's). */
export const SCREEN_PATH = '/app/';

const WEB_DIR = dirname(fileURLToPath(import.meta.url));
const CLIENT_ENTRY = join(WEB_DIR, 'client', 'main.ts');

/** Nothing but this origin; `connect-src 'self'` is what lets the page reach `/graphql` and nothing else. */
export const SCREEN_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': SCREEN_CSP,
  'x-content-type-options': 'nosniff',
  // The development token arrives in the fragment, which browsers never send; no referrer either way.
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

type AssetLoader = () => Promise<StaticAsset>;

export interface ScreenOptions {
  logger: Logger;
  /** Rebuild the script and re-read files when their sources change (development); default true. */
  watch?: boolean;
}

/**
 * The screen's routes for the gateway's `routes` option: `/app/` (prefix) and `/app`, which redirects
 * to it so that relative asset URLs resolve below `/app/`.
 */
export function screenRoutes(options: ScreenOptions): Record<string, StaticRoute> {
  const watch = options.watch ?? true;
  const log = options.logger.child({ component: 'screen' });
  const assets: Record<string, AssetLoader> = {
    '': staticFile(join(WEB_DIR, 'index.html'), 'text/html; charset=utf-8', watch),
    'index.html': staticFile(join(WEB_DIR, 'index.html'), 'text/html; charset=utf-8', watch),
    'app.css': staticFile(join(WEB_DIR, 'client', 'styles.css'), 'text/css; charset=utf-8', watch),
    'favicon.svg': staticFile(join(WEB_DIR, 'favicon.svg'), 'image/svg+xml', watch),
    'app.js': bundledScript(watch),
  };

  const serve = staticBundleRoute({
    headers: SECURITY_HEADERS,
    find: async (pathname) => {
      // Only the named assets: nothing below /app/ maps to a path on disk.
      const name = pathname.slice(SCREEN_PATH.length);
      const load = pathname.startsWith(SCREEN_PATH) && Object.hasOwn(assets, name) ? assets[name] : undefined;
      // Revalidate every time (the ETag makes that cheap): a reload always gets the current screen.
      return load && { ...(await load()), cacheControl: 'no-cache' };
    },
    failed: (error, pathname) => {
      log.error({ err: error, path: pathname }, 'the reference screen could not be served');
      return { status: 500, text: "The screen could not be built; the gateway's log says why." };
    },
  });

  return { [SCREEN_PATH]: serve, [SCREEN_PATH.slice(0, -1)]: slashRedirect(SCREEN_PATH, SECURITY_HEADERS) };
}

/** Modification times of `files`, to tell whether a cached asset is stale. */
async function fingerprint(files: readonly string[]): Promise<string> {
  const times = await Promise.all(files.map(async (file) => (await stat(file)).mtimeMs));
  return times.join(',');
}

/**
 * A loader that builds once and then answers from memory; with `watch`, it rebuilds when a source file
 * changed. Concurrent first requests share one build; a failed build is retried on the next request.
 */
function cached(watch: boolean, produce: () => Promise<{ asset: StaticAsset; sources: string[] }>): AssetLoader {
  let current: Promise<{ asset: StaticAsset; sources: string[]; stamp: string }> | undefined;
  const refresh = () => {
    const next = produce().then(async (built) => ({ ...built, stamp: await fingerprint(built.sources) }));
    next.catch(() => {
      if (current === next) current = undefined;
    });
    current = next;
    return next;
  };
  return async () => {
    if (!current) return (await refresh()).asset;
    const entry = await current;
    if (watch) {
      const stamp = await fingerprint(entry.sources).catch(() => '');
      if (stamp !== entry.stamp) return (await refresh()).asset;
    }
    return entry.asset;
  };
}

function staticFile(path: string, contentType: string, watch: boolean): AssetLoader {
  return cached(watch, async () => ({ asset: staticAsset(await readFile(path), contentType), sources: [path] }));
}

function bundledScript(watch: boolean): AssetLoader {
  return cached(watch, async () => {
    const result = await build({
      entryPoints: [CLIENT_ENTRY],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: ['es2022'],
      write: false,
      metafile: true,
      minify: false,
      sourcemap: false,
      legalComments: 'none',
      logLevel: 'silent',
    });
    const output = result.outputFiles[0];
    if (!output) throw new Error('esbuild produced no output for the reference screen');
    // The metafile names every file the bundle was built from: the ones to watch.
    const sources = Object.keys(result.metafile.inputs).map((input) => resolve(process.cwd(), input));
    return { asset: staticAsset(Buffer.from(output.contents), 'text/javascript; charset=utf-8'), sources };
  });
}
