/**
 * The GraphQL IDE at /ide/ over HTTP: served in development from a bundle built from our own
 * dependencies (only relative references, a strict CSP), 404 when off, the example operations embedded,
 * the bundle cached on disk by installed versions, and `IDE=scoped` letting only `schema:read` tokens
 * introspect. The browser side is tests/browser/ide.test.ts.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadGatewayConfig, REPO_ROOT } from '../../gateway/config.js';
import { createGateway } from '../../gateway/server.js';
import { loadExamples } from '../../gateway/ide/examples.js';
import { bundleKey, loadIdeBundle } from '../../gateway/ide/bundle.js';
import { loadIdeConfig } from '../../gateway/ide/config.js';
import { INTROSPECTION_REFUSED_CODE } from '../../gateway/ide/introspection.js';
import { renderIdePage } from '../../gateway/ide/page.js';
import { listen } from '../../platform/graphqlHttp.js';
import { createLogger } from '../../platform/logger.js';
import type { RoleName } from '../../platform/authorization/roles.js';
import { startTestStack, type TestStack } from '../e2e/testStack.js';

const logger = createLogger('ide-test');
const EXAMPLES = join(REPO_ROOT, 'operations', 'examples');
const EXPECTED_EXAMPLES = ['assign-contact-person', 'caseworker-dossier', 'partner-list', 'record-consent', 'reporting-breakdown'];

let stack: TestStack;
const scratch = mkdtempSync(join(tmpdir(), 'ungegraf-ide-'));
/** A cache of its own: the first page load below builds the bundle from nothing, as on a fresh machine. */
const cacheDir = join(scratch, 'cache');
const extraGateways: { url: string; close(): Promise<void> }[] = [];

/** Another gateway over the stack's subgraphs, configured from the stack's environment plus `env`. */
async function gatewayWith(env: Record<string, string>): Promise<string> {
  const config = loadGatewayConfig({ ...stack.env, ...env, GATEWAY_PORT: '0', SUPERGRAPH_RELOAD: 'false' });
  const gateway = await createGateway({ config, logger, subgraphUrls: stack.subgraphUrls, access: stack.access });
  await gateway.start();
  const listening = await listen(gateway.handler, { port: 0, host: '127.0.0.1' });
  extraGateways.push({
    url: listening.url,
    async close() {
      await gateway.stop();
      await listening.close();
    },
  });
  return listening.url;
}

const base = () => stack.gatewayUrl.replace(/\/graphql$/, '');

beforeAll(async () => {
  // A bundle of some earlier dependency versions, which the first build clears away.
  mkdirSync(join(cacheDir, 'stale0000000000000000'), { recursive: true });
  writeFileSync(join(cacheDir, 'stale0000000000000000', 'manifest.json'), '{}');
  stack = await startTestStack({ scale: 0.02, env: { IDE_CACHE_DIR: cacheDir, IDE_EXAMPLES_DIR: EXAMPLES } });
}, 180_000);

afterAll(async () => {
  for (const gateway of extraGateways) await gateway.close();
  await stack?.shutdown();
  rmSync(scratch, { recursive: true, force: true });
});

/** The page's embedded settings (the JSON data block the client reads). */
function embeddedSettings(html: string): {
  endpoint: string;
  workers: Record<string, string>;
  examples: { name: string; audience: string; query: string; variables: string | null }[];
} {
  const json = /<script type="application\/json" id="ide-config">([^<]*)<\/script>/.exec(html)?.[1];
  expect(json, 'the settings block').toBeDefined();
  return JSON.parse(json!) as ReturnType<typeof embeddedSettings>;
}

describe('the IDE in development (IDE unset: on)', () => {
  let html: string;
  let response: Response;

  beforeAll(async () => {
    // The first load builds the bundle (esbuild) into the empty cache.
    response = await fetch(`${base()}/ide/`);
    html = await response.text();
  }, 120_000);

  it('serves the page with a strict Content-Security-Policy and no caching of the page itself', () => {
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*(unsafe-inline|unsafe-eval|https?:|\*)/);
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("worker-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(response.headers.get('etag')).toMatch(/^".+"$/);
  });

  it('refers only to its own assets, by relative URL: no CDN, no other origin', () => {
    const references = [...html.matchAll(/\b(?:src|href)="([^"]*)"/g)].map((match) => match[1]!);
    expect(references.length).toBeGreaterThanOrEqual(2);
    for (const reference of references) expect(reference).toMatch(/^assets\/[\w.-]+\.(js|css)$/);
    expect(html).not.toMatch(/https?:\/\//);
    const settings = embeddedSettings(html);
    expect(settings.endpoint).toBe('../graphql');
    expect(Object.keys(settings.workers).sort()).toEqual(['editor', 'graphql', 'json']);
    for (const path of Object.values(settings.workers)) expect(path).toMatch(/^assets\/[\w.-]+\.worker-[\w]+\.js$/);
  });

  it('serves every referenced script, stylesheet and worker with its content type, ETag and long caching', async () => {
    const settings = embeddedSettings(html);
    const paths = [...[...html.matchAll(/\b(?:src|href)="([^"]*)"/g)].map((match) => match[1]!), ...Object.values(settings.workers)];
    for (const path of paths) {
      const asset = await fetch(`${base()}/ide/${path}`, { headers: { 'accept-encoding': 'gzip' } });
      expect(asset.status, path).toBe(200);
      expect(asset.headers.get('content-type')).toBe(path.endsWith('.css') ? 'text/css; charset=utf-8' : 'text/javascript; charset=utf-8');
      expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(asset.headers.get('content-security-policy')).toContain("default-src 'none'");
      const etag = asset.headers.get('etag');
      expect(etag).toMatch(/^".+"$/);
      const body = await asset.text();
      expect(body.length).toBeGreaterThan(1000);
      // Nothing in the bundle loads code from elsewhere (the esm.sh worker setup is not in it).
      expect(body).not.toContain('esm.sh');
      const again = await fetch(`${base()}/ide/${path}`, { headers: { 'if-none-match': etag! } });
      expect(again.status).toBe(304);
    }
    // The editor's icon font, referenced from the stylesheet by a relative URL.
    const style = await (await fetch(`${base()}/ide/${/href="(assets\/[^"]+\.css)"/.exec(html)![1]}`)).text();
    const font = /url\(["']?(\.\/)?(codicon-[\w]+\.ttf)["']?\)/.exec(style)?.[2];
    expect(font).toBeDefined();
    const fontResponse = await fetch(`${base()}/ide/assets/${font}`);
    expect(fontResponse.status).toBe(200);
    expect(fontResponse.headers.get('content-type')).toBe('font/ttf');
  });

  it('compresses large assets for clients that accept gzip', async () => {
    const script = /src="(assets\/[^"]+\.js)"/.exec(html)![1]!;
    const { request } = await import('node:http');
    const raw = await new Promise<{ encoding: string | undefined; body: Buffer }>((resolve, reject) => {
      request(`${base()}/ide/${script}`, { headers: { 'accept-encoding': 'gzip' } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ encoding: res.headers['content-encoding'], body: Buffer.concat(chunks) }));
      })
        .on('error', reject)
        .end();
    });
    expect(raw.encoding).toBe('gzip');
    const plain = gunzipSync(raw.body);
    expect(raw.body.length).toBeLessThan(plain.length / 2);
  });

  it('embeds the example operations with their audience and variables', () => {
    const { examples } = embeddedSettings(html);
    expect(examples.map((example) => example.name)).toEqual(EXPECTED_EXAMPLES);
    for (const example of examples) {
      expect(example.audience.length, example.name).toBeGreaterThan(10);
      expect(example.query.startsWith('#'), `${example.name} opens with its audience comment`).toBe(true);
      expect(example.variables, example.name).not.toBeNull();
      expect((): unknown => JSON.parse(example.variables!)).not.toThrow();
    }
    const dossier = examples.find((example) => example.name === 'caseworker-dossier')!;
    expect(dossier.audience).toMatch(/caseworker/i);
    expect(dossier.query).toMatch(/query \w+\(\$id: ID!\)/);
  });

  it('sends /ide to /ide/, answers 404 below /ide/ for unknown files and 405 for other methods', async () => {
    const redirect = await fetch(`${base()}/ide`, { redirect: 'manual' });
    expect(redirect.status).toBe(308);
    expect(redirect.headers.get('location')).toBe('/ide/');
    expect((await fetch(`${base()}/ide/assets/nothing.js`)).status).toBe(404);
    expect((await fetch(`${base()}/ide/../metrics/x`)).status).not.toBe(200);
    expect((await fetch(`${base()}/ide/other`)).status).toBe(404);
    expect((await fetch(`${base()}/ide/`, { method: 'POST', body: 'x' })).status).toBe(405);
  });

  it('keeps the bundle on disk under a key of the installed versions (earlier ones removed), and reuses it', async () => {
    const key = bundleKey();
    expect(readdirSync(cacheDir)).toEqual([key]);
    const manifest = statSync(join(cacheDir, key, 'manifest.json'));
    const again = await loadIdeBundle(cacheDir, logger);
    expect(again.key).toBe(key);
    // Read, not rebuilt: the folder was not replaced.
    expect(statSync(join(cacheDir, key, 'manifest.json')).mtimeMs).toBe(manifest.mtimeMs);
    expect(again.assets.size).toBeGreaterThanOrEqual(6);
  });

  it('lets a development token introspect (introspection follows NODE_ENV when IDE is on)', async () => {
    const result = await stack.gql<{ __schema: { queryType: { name: string } } }>(
      '{ __schema { queryType { name } } }',
      {},
      { role: 'auditor' },
    );
    expect(result.data?.__schema.queryType.name).toBe('Query');
  });
});

describe('a bundle that cannot be built', () => {
  it('answers 503 without saying where or why (the log does), and tries again on the next request', async () => {
    const blocker = join(scratch, 'not-a-folder');
    writeFileSync(blocker, 'a file where the cache folder should go');
    const url = await gatewayWith({ IDE_CACHE_DIR: join(blocker, 'ide') });
    for (let attempt = 0; attempt < 2; attempt++) {
      const response = await fetch(`${url}/ide/`);
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('5');
      const body = await response.text();
      expect(body).toBe('The IDE could not be prepared; the gateway log says why.');
    }
    rmSync(blocker);
    mkdirSync(blocker);
    expect((await fetch(`${url}/ide/`)).status).toBe(200);
  }, 60_000);
});

describe('IDE=off', () => {
  it('answers 404 at /ide/ and below, and GraphQL still answers', async () => {
    const url = await gatewayWith({ IDE: 'off' });
    for (const path of ['/ide/', '/ide', '/ide/assets/anything.js']) expect((await fetch(`${url}${path}`)).status, path).toBe(404);
    const token = await stack.tokenFor('social-caseworker');
    const answer = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ data: { __typename: 'Query' } });
  });

  it('is the default in production', () => {
    expect(loadIdeConfig({ NODE_ENV: 'production' }, { production: true, repoRoot: REPO_ROOT }).mode).toBe('off');
    expect(loadGatewayConfig({ NODE_ENV: 'production' }).ide.mode).toBe('off');
    expect(loadGatewayConfig({}).ide.mode).toBe('on');
    expect(loadGatewayConfig({ NODE_ENV: 'production', IDE: 'scoped' }).ide.mode).toBe('scoped');
  });

  it('refuses a mode it does not know, by name', () => {
    expect(() => loadGatewayConfig({ IDE: 'yes' })).toThrow(ConfigError);
    expect(() => loadGatewayConfig({ IDE: 'yes' })).toThrow('IDE must be one of on, off, scoped, got "yes"');
  });
});

describe('IDE=scoped in production', () => {
  let url: string;
  const introspect = async (role: RoleName | null) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (role) headers['authorization'] = `Bearer ${await stack.tokenFor(role, role === 'partner-institution' ? 'I-104' : undefined)}`;
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ query: '{ __schema { types { name } } __type(name: "Youth") { name } }' }),
    });
    return {
      status: response.status,
      body: (await response.json()) as {
        data?: { __schema?: { types: { name: string }[] } };
        errors?: { message: string; extensions?: { code?: string } }[];
      },
    };
  };

  beforeAll(async () => {
    url = await gatewayWith({ NODE_ENV: 'production', IDE: 'scoped', IDE_CACHE_DIR: cacheDir });
  }, 60_000);

  it('serves the page', async () => {
    const page = await fetch(`${url}/ide/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('id="ide-root"');
  });

  it('lets a token with schema:read introspect', async () => {
    const { status, body } = await introspect('social-caseworker');
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data?.__schema?.types.some((type) => type.name === 'Youth')).toBe(true);
  });

  it('refuses introspection to tokens without schema:read, with no schema in the answer', async () => {
    const { status, body } = await introspect('auditor');
    expect(status).toBe(403);
    expect(body.data).toBeUndefined();
    expect(body.errors?.[0]?.extensions?.code).toBe(INTROSPECTION_REFUSED_CODE);
    expect(body.errors?.[0]?.message).toBe('Introspection needs the schema:read scope');
    // A partner may run only the safelisted operations, which include no introspection.
    const partner = await introspect('partner-institution');
    expect(partner.status).toBeGreaterThanOrEqual(400);
    expect(partner.body.data).toBeUndefined();
    // Without a token, the token check answers first.
    expect((await introspect(null)).status).toBe(401);
  });

  it('hides introspection inside fragments too, and leaves __typename free', async () => {
    const token = await stack.tokenFor('auditor');
    const ask = (query: string) =>
      fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query }),
      });
    const hidden = await ask('query { ...F } fragment F on Query { __type(name: "Youth") { fields { name } } }');
    expect(hidden.status).toBe(403);
    const typename = await ask('{ __typename }');
    expect(((await typename.json()) as { data?: { __typename: string } }).data?.__typename).toBe('Query');
  });
});

describe('IDE=on in production', () => {
  it('serves the page, and introspection stays off as production has it', async () => {
    const url = await gatewayWith({ NODE_ENV: 'production', IDE: 'on', IDE_CACHE_DIR: cacheDir });
    expect((await fetch(`${url}/ide/`)).status).toBe(200);
    const token = await stack.tokenFor('social-caseworker');
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ __schema { queryType { name } } }' }),
    });
    const body = (await response.json()) as { data?: unknown; errors?: { message: string }[] };
    expect(body.data).toBeUndefined();
    expect(body.errors?.[0]?.message).toMatch(/introspection is not allowed/i);
  });
});

describe('example operations (loader)', () => {
  const dir = join(scratch, 'examples');

  beforeAll(() => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'b-with-variables.graphql'),
      '# Caseworkers: one dossier\n# across the systems\nquery Dossier($id: ID!) { youth(id: $id) { id } }\n',
    );
    writeFileSync(join(dir, 'b-with-variables.variables.json'), '{"id":"abc"}');
    writeFileSync(join(dir, 'a-plain.graphql'), '# Reporting tools: counts only\n{ report { asOf } }');
    writeFileSync(join(dir, 'c-broken.graphql'), '# Nobody\nquery {');
    writeFileSync(join(dir, 'd-bad-variables.graphql'), '# Somebody\nquery Q { __typename }');
    writeFileSync(join(dir, 'd-bad-variables.variables.json'), '{ not json');
    writeFileSync(join(dir, 'notes.txt'), 'not an operation');
  });

  it('reads every parsable operation in name order, with its audience comment and variables', () => {
    const examples = loadExamples(dir, logger);
    expect(examples.map((example) => example.name)).toEqual(['a-plain', 'b-with-variables']);
    expect(examples[0]).toEqual({
      name: 'a-plain',
      audience: 'Reporting tools: counts only',
      query: '# Reporting tools: counts only\n{ report { asOf } }\n',
      variables: null,
    });
    expect(examples[1]!.audience).toBe('Caseworkers: one dossier across the systems');
    expect(JSON.parse(examples[1]!.variables!)).toEqual({ id: 'abc' });
  });

  it('version the page by its examples, so browsers keep saved tabs per set of examples', () => {
    const manifest = { script: 'main-A.js', style: 'main-B.css', workers: { editor: 'e.js', json: 'j.js', graphql: 'g.js' } };
    const versionOf = (examples: ReturnType<typeof loadExamples>) =>
      (
        JSON.parse(
          /id="ide-config">([^<]*)</.exec(renderIdePage({ manifest, examples, endpoint: '../graphql', production: false }).html)![1]!,
        ) as { examplesVersion: string }
      ).examplesVersion;
    const examples = loadExamples(dir, logger);
    expect(versionOf(examples)).toBe(versionOf(loadExamples(dir, logger)));
    expect(versionOf(examples)).not.toBe(versionOf([{ ...examples[0]!, query: `${examples[0]!.query}# changed\n` }, ...examples.slice(1)]));
  });

  it('embed an example safely even when it contains </script>', () => {
    const manifest = { script: 'main-A.js', style: 'main-B.css', workers: { editor: 'e.js', json: 'j.js', graphql: 'g.js' } };
    const hostile = { name: 'x', audience: 'x', query: '# </script><script>alert(1)</script>\n{ __typename }\n', variables: null };
    const { html } = renderIdePage({ manifest, examples: [hostile], endpoint: '../graphql', production: false });
    expect(html.match(/<\/script>/g)).toHaveLength(2); // the data block's and the bundle's own
    const settings = JSON.parse(/id="ide-config">([^<]*)</.exec(html)![1]!) as { examples: { query: string }[] };
    expect(settings.examples[0]!.query).toBe(hostile.query);
  });

  it('has no examples, and no error, when the folder is missing', () => {
    expect(loadExamples(join(scratch, 'nowhere'), logger)).toEqual([]);
  });
});
