/**
 * Serving a browser frontend's built files from memory: the GraphQL IDE (`/ide/`) and the reference
 * screen (`/app/`) answer through this one server, so both get the same conditional requests (ETag and
 * 304), HEAD, gzip where a compressed copy exists, a 405 for anything but GET and HEAD, a 404 for every
 * name that is not an asset (nothing below a prefix maps to a path on disk), and their own security
 * headers on every answer. What the assets are, and how they are built, stays with each frontend.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { etagOf } from './hash.js';

/** One file as it is served. */
export interface StaticAsset {
  body: Buffer;
  /** The same, gzip-compressed, for clients that accept it; absent when not worth it. */
  gzipped?: Buffer | undefined;
  contentType: string;
  etag: string;
}

/** A file and how long a browser may keep it. */
export interface ServedAsset extends StaticAsset {
  cacheControl: string;
}

export type StaticRoute = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/** An asset of `body`, its ETag the body's hash. */
export function staticAsset(body: Buffer, contentType: string, gzipped?: Buffer): StaticAsset {
  return { body, gzipped, contentType, etag: etagOf(body) };
}

export interface StaticBundleOptions {
  /** Headers on every answer, errors included (the frontend's Content-Security-Policy and the like). */
  headers: Readonly<Record<string, string>>;
  /** The asset at `pathname`, or undefined for a 404. May build on first use; a throw is answered by `failed`. */
  find: (pathname: string) => ServedAsset | undefined | Promise<ServedAsset | undefined>;
  /** The answer when `find` throws (after the frontend has logged why): no detail reaches the client. */
  failed: (error: unknown, pathname: string) => { status: number; text: string; headers?: Record<string, string> };
  /** Headers the answer varies by (`accept-encoding` where gzip is offered). */
  vary?: string;
}

/** The route that serves a bundle: GET and HEAD only, then `find`, then the asset, a 304 or a 404. */
export function staticBundleRoute(options: StaticBundleOptions): StaticRoute {
  return async (req, res) => {
    req.resume();
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return sendText(res, 405, 'Use GET', { ...options.headers, allow: 'GET, HEAD' });
    }
    const pathname = new URL(req.url ?? '/', 'http://server.invalid').pathname;
    let asset: ServedAsset | undefined;
    try {
      asset = await options.find(pathname);
    } catch (error) {
      const answer = options.failed(error, pathname);
      return sendText(res, answer.status, answer.text, { ...options.headers, ...answer.headers });
    }
    if (!asset) return sendText(res, 404, 'Not found', options.headers);
    sendAsset(req, res, asset, options.vary === undefined ? options.headers : { ...options.headers, vary: options.vary });
  };
}

/** The route for a prefix without its slash (`/ide`): a 308 to the prefix, the query kept, so relative URLs resolve below it. */
export function slashRedirect(prefix: string, headers: Readonly<Record<string, string>>): StaticRoute {
  return async (req, res) => {
    req.resume();
    const search = new URL(req.url ?? '/', 'http://server.invalid').search;
    res.writeHead(308, { ...headers, location: `${prefix}${search}`, 'content-length': '0' });
    res.end();
  };
}

function matches(req: IncomingMessage, etag: string): boolean {
  return (req.headers['if-none-match'] ?? '').split(',').some((candidate) => candidate.trim() === etag);
}

function sendAsset(req: IncomingMessage, res: ServerResponse, asset: ServedAsset, common: Readonly<Record<string, string>>): void {
  const headers: Record<string, string> = {
    ...common,
    'content-type': asset.contentType,
    etag: asset.etag,
    'cache-control': asset.cacheControl,
  };
  if (matches(req, asset.etag)) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  const useGzip = asset.gzipped !== undefined && /\bgzip\b/.test(req.headers['accept-encoding'] ?? '');
  const payload = useGzip && asset.gzipped ? asset.gzipped : asset.body;
  if (useGzip) headers['content-encoding'] = 'gzip';
  headers['content-length'] = String(payload.length);
  res.writeHead(200, headers);
  res.end(req.method === 'HEAD' ? undefined : payload);
}

function sendText(res: ServerResponse, status: number, text: string, headers: Readonly<Record<string, string>>): void {
  res.writeHead(status, { ...headers, 'content-type': 'text/plain; charset=utf-8', 'content-length': String(Buffer.byteLength(text)) });
  res.end(text);
}
