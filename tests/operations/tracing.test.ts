/**
 * OpenTelemetry tracing (platform/tracing.ts): off by default and then nothing of the SDK is loaded; on
 * when an OTLP endpoint is configured (off again with the standard OTEL_SDK_DISABLED=true), the gateway's spans reach an OTLP/HTTP receiver (here a node:http server on
 * loopback that counts the POSTs to /v1/traces), and shutting down flushes them.
 */
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTracingConfig, startTracing } from '../../platform/tracing.js';
import { startGrades, startPeople, type FixtureSubgraph } from '../gateway/fixtures/subgraphs.js';
import { captureLogger, fixtureSupergraph } from './helpers.js';

const require = createRequire(import.meta.url);
const sdkLoaded = () => Object.keys(require.cache).some((path) => path.includes(`${'@opentelemetry'}/sdk-node`));

interface Receiver {
  url: string;
  posts: number;
  spans: { name: string; kind: number; traceId: string; spanId: string; parentSpanId?: string }[];
  close(): Promise<void>;
}

/** An OTLP/HTTP receiver on loopback: counts the POSTs to /v1/traces and keeps the spans (JSON). */
async function startReceiver(): Promise<Receiver> {
  const receiver: Omit<Receiver, 'url' | 'close'> = { posts: 0, spans: [] };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.method === 'POST' && req.url === '/v1/traces') {
        receiver.posts += 1;
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
          resourceSpans: { scopeSpans: { spans: Receiver['spans'] }[] }[];
        };
        for (const resource of body.resourceSpans) for (const scope of resource.scopeSpans) receiver.spans.push(...scope.spans);
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return Object.assign(receiver, {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}

describe('loadTracingConfig', () => {
  it('is off with nothing configured, on with an OTLP endpoint, and appends /v1/traces to OTEL_EXPORTER_OTLP_ENDPOINT', () => {
    expect(loadTracingConfig('svc', {})).toEqual({ enabled: false, serviceName: 'svc', tracesUrl: undefined, warnings: [] });
    expect(loadTracingConfig('svc', { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/', OTEL_SERVICE_NAME: 'gw' })).toEqual({
      enabled: true,
      serviceName: 'gw',
      tracesUrl: 'http://collector:4318/v1/traces',
      warnings: [],
    });
    expect(loadTracingConfig('svc', { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://c:4318/custom' })).toMatchObject({
      enabled: true,
      tracesUrl: 'http://c:4318/custom',
    });
    // The specification's default endpoint when the exporter is asked for by name.
    expect(loadTracingConfig('svc', { OTEL_TRACES_EXPORTER: 'otlp' })).toMatchObject({ enabled: true, tracesUrl: undefined });
  });

  it('follows the standard switches: OTEL_SDK_DISABLED=true and OTEL_TRACES_EXPORTER=none turn it off', () => {
    const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' };
    expect(loadTracingConfig('svc', { ...endpoint, OTEL_SDK_DISABLED: 'true' }).enabled).toBe(false);
    expect(loadTracingConfig('svc', { ...endpoint, OTEL_SDK_DISABLED: 'false' }).enabled).toBe(true);
    expect(loadTracingConfig('svc', { ...endpoint, OTEL_TRACES_EXPORTER: 'none' }).enabled).toBe(false);
    expect(() => loadTracingConfig('svc', { OTEL_SDK_DISABLED: 'maybe' })).toThrow(/OTEL_SDK_DISABLED/);
    expect(() => loadTracingConfig('svc', { OTEL_TRACES_EXPORTER: 'zipkin' })).toThrow(/OTEL_TRACES_EXPORTER/);
  });

  it('still honours the deprecated OTEL_ENABLED, with a warning that names the standard switch', () => {
    const on = loadTracingConfig('svc', { OTEL_ENABLED: 'true' });
    expect(on.enabled).toBe(true);
    expect(on.warnings.join()).toMatch(/OTEL_ENABLED is deprecated.*OTEL_SDK_DISABLED/);
    expect(loadTracingConfig('svc', { OTEL_ENABLED: 'false', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }).enabled).toBe(false);
    expect(loadTracingConfig('svc', { OTEL_ENABLED: 'true', OTEL_SDK_DISABLED: 'true' }).enabled).toBe(false);
    expect(() => loadTracingConfig('svc', { OTEL_ENABLED: 'maybe' })).toThrow(/OTEL_ENABLED/);
  });
});

describe('tracing', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'ungegraf-tracing-'));
  let receiver: Receiver;
  let people: FixtureSubgraph;
  let grades: FixtureSubgraph;

  beforeAll(async () => {
    receiver = await startReceiver();
  });

  afterAll(async () => {
    await grades?.close();
    await people?.close();
    await receiver?.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('loads nothing when off', async () => {
    const tracing = await startTracing(loadTracingConfig('ungegraf-test', {}));
    expect(tracing.enabled).toBe(false);
    expect(sdkLoaded()).toBe(false);
    await tracing.shutdown();
  });

  it('when on, exports the gateway’s spans over OTLP/HTTP and flushes them on shutdown', async () => {
    const { logger, lines } = captureLogger('info');
    const tracing = await startTracing(loadTracingConfig('ungegraf-test', { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url }), logger);
    expect(tracing.enabled).toBe(true);
    expect(sdkLoaded()).toBe(true);
    expect(lines.map((line) => line.msg)).toContain('tracing on (OTLP/HTTP)');

    // The gateway and its subgraphs are loaded after the SDK, as main.ts does.
    const [{ loadGatewayConfig }, { createGateway }, { listen }] = await Promise.all([
      import('../../gateway/config.js'),
      import('../../gateway/server.js'),
      import('../../platform/graphqlHttp.js'),
    ]);
    people = await startPeople();
    grades = await startGrades({ delayMs: 0, fail: 'none' });
    const path = join(tmp, 'supergraph.graphql');
    writeFileSync(path, fixtureSupergraph(tmp, 'v2'));
    const config = loadGatewayConfig({
      SUPERGRAPH_PATH: path,
      SUPERGRAPH_RELOAD: 'false',
      SUBGRAPH_PEOPLE_URL: people.url,
      SUBGRAPH_GRADES_URL: grades.url,
    });
    const gateway = await createGateway({ config, logger: captureLogger('silent').logger });
    await gateway.start();
    const server = await listen(gateway.handler, { port: 0, host: '127.0.0.1' });
    try {
      const response = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: 'query Traced { people { name grade } }' }),
      });
      expect(((await response.json()) as { errors?: unknown }).errors).toBeUndefined();
    } finally {
      await server.close();
      await gateway.stop();
    }

    // A system client's call (axios over node:http, as a subgraph makes it): the http instrumentation
    // traces it and sends `traceparent` to the system.
    const { createSystemHttp } = await import('../../subgraphs/kit/systemHttp.js');
    const traceparents: (string | undefined)[] = [];
    const system = createServer((req, res) => {
      traceparents.push(req.headers.traceparent as string | undefined);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
    await new Promise<void>((resolve) => system.listen(0, '127.0.0.1', resolve));
    const systemAddress = system.address();
    const systemHttp = createSystemHttp({
      service: 'traced-system',
      baseURL: `http://127.0.0.1:${typeof systemAddress === 'object' && systemAddress ? systemAddress.port : 0}`,
      timeoutMs: 2000,
      maxSockets: 2,
      logger: captureLogger('silent').logger,
    });
    try {
      expect(await systemHttp.request({ url: '/records' }, (body: { ok: boolean }) => body.ok)).toBe(true);
    } finally {
      await systemHttp.close();
      system.closeAllConnections();
      await new Promise((resolve) => system.close(resolve));
    }

    await tracing.shutdown();
    expect(receiver.posts).toBeGreaterThan(0);
    const [, systemTraceId, systemParentId] = /^00-([0-9a-f]{32})-([0-9a-f]{16})-0[01]$/.exec(traceparents[0] ?? '') ?? [];
    expect(systemTraceId).toBeDefined();
    expect(receiver.spans.find((span) => span.spanId === systemParentId)).toMatchObject({ kind: 3, traceId: systemTraceId });
    const names = receiver.spans.map((span) => span.name);
    expect(names).toEqual(expect.arrayContaining(['gateway.request', 'gateway.plan', 'gateway.execute', 'gateway.fetch']));
    // One trace: the gateway's request span and the fetches to both subgraphs under it.
    const request = receiver.spans.find((span) => span.name === 'gateway.request');
    const fetches = receiver.spans.filter((span) => span.name === 'gateway.fetch');
    expect(fetches.length).toBeGreaterThanOrEqual(2);
    expect(fetches.every((span) => span.traceId === request?.traceId)).toBe(true);
    // The context travels on: each subgraph's server span (kind 2) is the child of an HTTP client span
    // (kind 3, the undici instrumentation) under a gateway.fetch, so `traceparent` was sent along.
    const byId = new Map(receiver.spans.map((span) => [span.spanId, span]));
    const parentOf = (span: Receiver['spans'][number] | undefined) => (span?.parentSpanId ? byId.get(span.parentSpanId) : undefined);
    const inSubgraphs = receiver.spans.filter(
      (span) => span.kind === 2 && parentOf(span)?.kind === 3 && parentOf(parentOf(span))?.name === 'gateway.fetch',
    );
    expect(inSubgraphs).toHaveLength(fetches.length);
    // A second shutdown is harmless.
    await tracing.shutdown();
  });
});
