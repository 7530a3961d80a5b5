/**
 * The one static-bundle server (platform/staticBundle.ts) the IDE and the reference screen answer
 * through: GET/HEAD only, conditional requests, gzip only for clients that take it, a 404 for any name
 * that is not an asset, the frontend's headers on every answer, and no detail when building failed.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { etagOf } from '../../platform/hash.js';
import { slashRedirect, staticAsset, staticBundleRoute, type ServedAsset } from '../../platform/staticBundle.js';

const HEADERS = { 'content-security-policy': "default-src 'self'", 'x-frame-options': 'DENY' };
const SCRIPT = Buffer.from('console.log("bundle");'.repeat(50));
const assets: Record<string, ServedAsset> = {
  '/front/app.js': {
    ...staticAsset(SCRIPT, 'text/javascript; charset=utf-8', gzipSync(SCRIPT)),
    cacheControl: 'public, max-age=31536000, immutable',
  },
  '/front/': { ...staticAsset(Buffer.from('<!doctype html>'), 'text/html; charset=utf-8'), cacheControl: 'no-cache' },
};

let server: Server;
let base: string;

beforeAll(async () => {
  const serve = staticBundleRoute({
    headers: HEADERS,
    vary: 'accept-encoding',
    find: (pathname) => {
      if (pathname === '/front/broken.js') throw new Error('esbuild failed in /home/someone/project');
      return assets[pathname];
    },
    failed: () => ({ status: 503, text: 'Not ready; the log says why.', headers: { 'retry-after': '5' } }),
  });
  const redirect = slashRedirect('/front/', HEADERS);
  server = createServer((req, res) => void (req.url?.startsWith('/front/') ? serve(req, res) : redirect(req, res)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe('staticBundleRoute', () => {
  it('serves an asset with its ETag, cache policy and the frontend headers', async () => {
    const response = await fetch(`${base}/front/app.js`, { headers: { 'accept-encoding': 'identity' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('etag')).toBe(etagOf(SCRIPT));
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(response.headers.get('content-security-policy')).toBe(HEADERS['content-security-policy']);
    expect(response.headers.get('content-encoding')).toBeNull();
    expect(Buffer.from(await response.arrayBuffer()).equals(SCRIPT)).toBe(true);
  });

  it('sends the gzip copy only to a client that accepts it', async () => {
    const response = await fetch(`${base}/front/app.js`, { headers: { 'accept-encoding': 'gzip, br' } });
    expect(response.headers.get('content-encoding')).toBe('gzip');
    expect(response.headers.get('vary')).toBe('accept-encoding');
    expect(Buffer.from(await response.arrayBuffer()).equals(SCRIPT)).toBe(true); // fetch decompresses
  });

  it('answers 304 to a matching If-None-Match, also inside a list', async () => {
    const etag = etagOf(SCRIPT);
    expect((await fetch(`${base}/front/app.js`, { headers: { 'if-none-match': etag } })).status).toBe(304);
    expect((await fetch(`${base}/front/app.js`, { headers: { 'if-none-match': `"other", ${etag}` } })).status).toBe(304);
    expect((await fetch(`${base}/front/app.js`, { headers: { 'if-none-match': '"other"' } })).status).toBe(200);
  });

  it('answers HEAD with the length and no body', async () => {
    const response = await fetch(`${base}/front/`, { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-length')).toBe(String('<!doctype html>'.length));
    expect(await response.text()).toBe('');
  });

  it('refuses other methods with 405 and Allow, and unknown names with 404, with the frontend headers', async () => {
    const post = await fetch(`${base}/front/app.js`, { method: 'POST', body: 'x' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    for (const path of ['/front/nothing.js', '/front/app.js/', '/front/App.js']) {
      const missing = await fetch(`${base}${path}`);
      expect(missing.status, path).toBe(404);
      expect(missing.headers.get('x-frame-options')).toBe('DENY');
    }
  });

  it("answers a failed build with the frontend's own text, nothing of the error", async () => {
    const response = await fetch(`${base}/front/broken.js`);
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
    const text = await response.text();
    expect(text).toBe('Not ready; the log says why.');
    expect(text).not.toContain('/home/');
  });
});

describe('slashRedirect', () => {
  it('sends the prefix without its slash to the prefix, keeping the query', async () => {
    const response = await fetch(`${base}/front?x=1`, { redirect: 'manual' });
    expect(response.status).toBe(308);
    expect(response.headers.get('location')).toBe('/front/?x=1');
    expect(response.headers.get('content-security-policy')).toBe(HEADERS['content-security-policy']);
  });
});
