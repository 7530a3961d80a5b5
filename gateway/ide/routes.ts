/**
 * The IDE's routes on the gateway: `/ide/` (the page) and `/ide/assets/<file>` (the bundle), plus `/ide`
 * sending the browser to `/ide/` (the page's relative URLs need the slash). With `IDE=off` there are no
 * routes at all, so `/ide/` answers the gateway's plain 404. The examples are read when the routes are
 * made (gateway start); the bundle is built or read from its cache on the first request, so a gateway
 * nobody opens the IDE on never spends the time.
 */
import type { Logger } from 'pino';
import { slashRedirect, staticBundleRoute, type ServedAsset } from '../../platform/staticBundle.js';
import type { FrontendRoute } from '../frontends.js';
import { loadIdeBundle, type IdeBundle } from './bundle.js';
import type { IdeConfig } from './config.js';
import { loadExamples } from './examples.js';
import { IDE_SECURITY_HEADERS, renderIdePage, type IdePage } from './page.js';

export const IDE_PATH = '/ide/';
const ASSETS_PREFIX = `${IDE_PATH}assets/`;
/** The GraphQL endpoint as seen from `/ide/`: relative, so a proxy's path prefix is kept. */
const ENDPOINT_FROM_PAGE = '../graphql';

export interface IdeRouteOptions {
  ide: IdeConfig;
  production: boolean;
  logger: Logger;
}

export function ideRoutes(options: IdeRouteOptions): Record<string, FrontendRoute> {
  const { ide, production } = options;
  if (ide.mode === 'off') return {};
  const logger = options.logger.child({ component: 'ide' });
  const examples = loadExamples(ide.examplesDir, logger);

  let loading: Promise<{ bundle: IdeBundle; page: ServedAsset }> | undefined;
  const ready = () => {
    if (!loading) {
      const attempt = loadIdeBundle(ide.cacheDir, logger).then((bundle) => ({
        bundle,
        page: pageAsset(renderIdePage({ manifest: bundle.manifest, examples, endpoint: ENDPOINT_FROM_PAGE, production })),
      }));
      // A failed build is tried again on the next request (a full disk may have been freed meanwhile).
      attempt.catch(() => {
        if (loading === attempt) loading = undefined;
      });
      loading = attempt;
    }
    return loading;
  };

  const serve = staticBundleRoute({
    headers: IDE_SECURITY_HEADERS,
    vary: 'accept-encoding',
    find: async (pathname) => {
      if (pathname !== IDE_PATH && pathname !== `${IDE_PATH}index.html` && !pathname.startsWith(ASSETS_PREFIX)) return undefined;
      const loaded = await ready();
      if (!pathname.startsWith(ASSETS_PREFIX)) return loaded.page;
      const asset = loaded.bundle.assets.get(pathname.slice(ASSETS_PREFIX.length));
      // Asset names carry their content hash: a new build has new names, so browsers may keep these for good.
      return asset && { ...asset, cacheControl: 'public, max-age=31536000, immutable' };
    },
    failed: (error) => {
      logger.error({ err: error }, 'IDE bundle could not be built');
      return { status: 503, text: 'The IDE could not be prepared; the gateway log says why.', headers: { 'retry-after': '5' } };
    },
  });

  return { '/ide': slashRedirect(IDE_PATH, IDE_SECURITY_HEADERS), [IDE_PATH]: serve };
}

/** The page names the current asset files, so it is checked on every load. */
function pageAsset(page: IdePage): ServedAsset {
  return { body: Buffer.from(page.html), contentType: 'text/html; charset=utf-8', etag: page.etag, cacheControl: 'no-cache' };
}
