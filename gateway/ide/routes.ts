/**
 * The IDE's routes on the gateway: `/ide/` (the page) and `/ide/assets/<file>` (the bundle), plus `/ide`
 * sending the browser to `/ide/` (the page's relative URLs need the slash). With `IDE=off` there are no
 * routes at all, so `/ide/` answers the gateway's plain 404. The examples are read when the routes are
 * made (gateway start); the bundle is built or read from its cache on the first request, so a gateway
 * nobody opens the IDE on never spends the time.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { FrontendRoute } from '../frontends.js';
import { loadIdeBundle, type IdeAsset, type IdeBundle } from './bundle.js';
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

function notFound(res: ServerResponse): void {
  res.writeHead(404, { ...IDE_SECURITY_HEADERS, 'content-type': 'text/plain; charset=utf-8' });
  res.end('Not found');
}

function matches(req: IncomingMessage, etag: string): boolean {
  return (req.headers['if-none-match'] ?? '').split(',').some((candidate) => candidate.trim() === etag);
}

function send(req: IncomingMessage, res: ServerResponse, body: { buffer: Buffer; gzipped?: Buffer; contentType: string; etag: string; cacheControl: string }): void {
  const headers: Record<string, string> = {
    ...IDE_SECURITY_HEADERS,
    'content-type': body.contentType,
    etag: body.etag,
    'cache-control': body.cacheControl,
    vary: 'accept-encoding',
  };
  if (matches(req, body.etag)) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  const useGzip = body.gzipped !== undefined && /\bgzip\b/.test(req.headers['accept-encoding'] ?? '');
  const payload = useGzip && body.gzipped ? body.gzipped : body.buffer;
  if (useGzip) headers['content-encoding'] = 'gzip';
  headers['content-length'] = String(payload.length);
  res.writeHead(200, headers);
  res.end(req.method === 'HEAD' ? undefined : payload);
}

export function ideRoutes(options: IdeRouteOptions): Record<string, FrontendRoute> {
  const { ide, production } = options;
  if (ide.mode === 'off') return {};
  const logger = options.logger.child({ component: 'ide' });
  const examples = loadExamples(ide.examplesDir, logger);

  let loading: Promise<{ bundle: IdeBundle; page: IdePage }> | undefined;
  const ready = () => {
    if (!loading) {
      const attempt = loadIdeBundle(ide.cacheDir, logger).then((bundle) => ({
        bundle,
        page: renderIdePage({ manifest: bundle.manifest, examples, endpoint: ENDPOINT_FROM_PAGE, production }),
      }));
      // A failed build is tried again on the next request (a full disk may have been freed meanwhile).
      attempt.catch(() => {
        if (loading === attempt) loading = undefined;
      });
      loading = attempt;
    }
    return loading;
  };

  const serve: FrontendRoute = async (req, res) => {
    req.resume();
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { ...IDE_SECURITY_HEADERS, allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' });
      res.end('Use GET');
      return;
    }
    const pathname = new URL(req.url ?? '/', 'http://server.invalid').pathname;
    if (pathname !== IDE_PATH && pathname !== `${IDE_PATH}index.html` && !pathname.startsWith(ASSETS_PREFIX)) return notFound(res);

    let loaded: { bundle: IdeBundle; page: IdePage };
    try {
      loaded = await ready();
    } catch (error) {
      logger.error({ err: error }, 'IDE bundle could not be built');
      res.writeHead(503, { ...IDE_SECURITY_HEADERS, 'content-type': 'text/plain; charset=utf-8', 'retry-after': '5' });
      res.end('The IDE could not be prepared; the gateway log says why.');
      return;
    }

    if (!pathname.startsWith(ASSETS_PREFIX)) {
      const { html, etag } = loaded.page;
      // The page names the current asset files, so it is checked on every load.
      return send(req, res, { buffer: Buffer.from(html), contentType: 'text/html; charset=utf-8', etag, cacheControl: 'no-cache' });
    }
    const asset: IdeAsset | undefined = loaded.bundle.assets.get(pathname.slice(ASSETS_PREFIX.length));
    if (!asset) return notFound(res);
    // Asset names carry their content hash: a new build has new names, so browsers may keep these for good.
    send(req, res, { buffer: asset.body, gzipped: asset.gzipped, contentType: asset.contentType, etag: asset.etag, cacheControl: 'public, max-age=31536000, immutable' });
  };

  const redirect: FrontendRoute = (req, res) => {
    req.resume();
    const search = new URL(req.url ?? '/', 'http://server.invalid').search;
    res.writeHead(308, { location: `${IDE_PATH}${search}`, 'content-length': '0' });
    res.end();
  };

  return { '/ide': redirect, [IDE_PATH]: serve };
}
