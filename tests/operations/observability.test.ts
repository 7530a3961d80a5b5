/**
 * Observability along one request's whole path, in one process on loopback: client → gateway → a
 * subgraph built with the kit → its system client (subgraphs/kit/systemHttp.ts) → a simulated legacy
 * system. Every part logs through its own pino logger; the request id the client sent is on every line
 * any of them writes about the request. `/metrics` shows the request per operation, the subgraph call,
 * the system call, errors by code, cache hits and breaker states.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadGatewayConfig } from '../../gateway/config.js';
import { createGateway, type Gateway } from '../../gateway/server.js';
import { listen, type Listening } from '../../platform/graphqlHttp.js';
import { registry } from '../../platform/metrics.js';
import { composeSupergraph } from '../../schema/compose.js';
import { createSubgraph, type CallerIdentity, type SubgraphContext } from '../../subgraphs/kit/server.js';
import { createSystemHttp, type SystemHttp } from '../../subgraphs/kit/systemHttp.js';
import { listen as listenSystem, type Listening as SystemListening } from '../../systems/kit/listen.js';
import { resolveOptions, type SystemOptions } from '../../systems/kit/options.js';
import { Router } from '../../systems/kit/router.js';
import { createSimulatedSystem } from '../../systems/kit/system.js';
import type { Population } from '../../systems/population/generate.js';
import { captureLogger, type LogLine } from './helpers.js';

const CPR = '0101001234';
const SDL = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key"])

type Query {
  pupil(cpr: String!): Pupil
}

type Pupil {
  name: String
}
`;

const tmp = mkdtempSync(join(tmpdir(), 'ungegraf-observability-'));
const gatewayLog = captureLogger('debug');
const subgraphLog = captureLogger('debug');
const systemLog = captureLogger('debug');
let systemOptions: SystemOptions<null>;
let system: SystemListening;
let subgraph: Listening;
let stopSubgraph: () => Promise<void>;
let gateway: Gateway;
let server: Listening;

interface PupilsContext extends SubgraphContext {
  school: SystemHttp;
}

beforeAll(async () => {
  systemOptions = resolveOptions<null>({}, null);
  const simulated = createSimulatedSystem<null>({
    name: 'school',
    population: {} as Population,
    options: systemOptions,
    authenticate: () => true,
    router: new Router().add({ method: 'GET', path: '/pupils/:cpr', name: 'pupil', handler: () => ({ name: 'Asta' }) }),
    logger: systemLog.logger,
  });
  system = await listenSystem(simulated.server, 0);

  const school = createSystemHttp({
    service: 'school',
    baseURL: system.url,
    timeoutMs: 1000,
    maxSockets: 4,
    logger: subgraphLog.logger,
    policy: { retries: 0, breakerThreshold: 1000 },
  });
  const identity: CallerIdentity = { subject: 'ops-test', role: null, organisation: null, institution: null, scopes: new Set() };
  const built = createSubgraph<PupilsContext>({
    name: 'pupils',
    typeDefs: SDL,
    logger: subgraphLog.logger,
    authenticate: async () => identity,
    context: (base) => ({ ...base, school }),
    resolvers: {
      Query: {
        pupil: (_: unknown, args: { cpr: string }, context: PupilsContext) =>
          context.school.request(
            { url: `/pupils/${args.cpr}`, requestId: context.requestId, nullOn404: true },
            (body: { name: string }) => ({ name: body.name }),
          ),
      },
    },
  });
  subgraph = await listen(await built.start(), { port: 0, host: '127.0.0.1' });
  stopSubgraph = async () => {
    await subgraph.close();
    await built.stop();
  };

  const schemaPath = join(tmp, 'pupils.graphql');
  writeFileSync(schemaPath, SDL);
  const { supergraphSdl } = composeSupergraph([{ name: 'pupils', schemaPath, defaultUrl: `${subgraph.url}/graphql` }]);
  gateway = await createGateway({ config: loadGatewayConfig({ SUPERGRAPH_RELOAD: 'false' }), logger: gatewayLog.logger, supergraphSdl });
  await gateway.start();
  server = await listen(gateway.handler, { port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  await server?.close();
  await gateway?.stop();
  await stopSubgraph?.();
  await system?.close();
  rmSync(tmp, { recursive: true, force: true });
});

async function ask(query: string, requestId?: string) {
  const response = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(requestId ? { 'x-request-id': requestId } : {}) },
    body: JSON.stringify({ query }),
  });
  return {
    response,
    body: (await response.json()) as { data?: { pupil: { name: string } | null }; errors?: { extensions?: { code?: string } }[] },
  };
}

/** The lines each part wrote while `run` ran. */
async function linesDuring(run: () => Promise<unknown>): Promise<Record<'gateway' | 'subgraph' | 'system', LogLine[]>> {
  const from = { gateway: gatewayLog.lines.length, subgraph: subgraphLog.lines.length, system: systemLog.lines.length };
  await run();
  // The system logs its line when its answer has been sent, which may be a tick after the client has it.
  await new Promise((resolve) => setTimeout(resolve, 50));
  return {
    gateway: gatewayLog.lines.slice(from.gateway),
    subgraph: subgraphLog.lines.slice(from.subgraph),
    system: systemLog.lines.slice(from.system),
  };
}

async function metric(name: string): Promise<string> {
  return registry.getSingleMetricAsString(name);
}

describe('the request id', () => {
  it('is on every line the gateway, the subgraph and the system write about the request', async () => {
    const lines = await linesDuring(async () => {
      const { response, body } = await ask(`query Pupil { pupil(cpr: "${CPR}") { name } }`, 'ops-req-42');
      expect(body).toEqual({ data: { pupil: { name: 'Asta' } } });
      expect(response.headers.get('x-request-id')).toBe('ops-req-42');
    });
    for (const part of ['gateway', 'subgraph', 'system'] as const) {
      expect(lines[part].length, part).toBeGreaterThan(0);
      expect(
        lines[part].filter((line) => line.requestId !== 'ops-req-42'),
        part,
      ).toEqual([]);
    }
    expect(lines.system).toEqual([expect.objectContaining({ msg: 'system call', route: 'pupil', status: 200, requestId: 'ops-req-42' })]);
    // The system's line names the route, never the CPR number in the path.
    expect(JSON.stringify(lines.system)).not.toContain(CPR);
  });

  it('travels with a failing call too, and the failure is logged with it at each part', async () => {
    systemOptions.failureRate = 1;
    try {
      const lines = await linesDuring(async () => {
        const { body } = await ask(`query Pupil { pupil(cpr: "${CPR}") { name } }`, 'ops-req-43');
        expect(body.data).toEqual({ pupil: null });
        expect(body.errors?.[0]?.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
      });
      for (const part of ['gateway', 'subgraph', 'system'] as const) {
        expect(
          lines[part].filter((line) => line.requestId !== 'ops-req-43'),
          part,
        ).toEqual([]);
      }
      expect(lines.subgraph.some((line) => line.level === 40 && line.service === 'school')).toBe(true);
      expect(lines.system.some((line) => line.msg === 'system call' && line.status === 503)).toBe(true);
    } finally {
      systemOptions.failureRate = 0;
    }
  });

  it('is made up by the gateway when the client sends none (or an unusable one), and forwarded the same', async () => {
    const lines = await linesDuring(() => ask(`{ pupil(cpr: "${CPR}") { name } }`, 'not a sane id!'));
    const ids = new Set([...lines.gateway, ...lines.subgraph, ...lines.system].map((line) => line.requestId));
    expect(ids.size).toBe(1);
    expect([...ids][0]).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('/metrics', () => {
  it('shows requests per operation, subgraph and system calls, errors by code, cache hits and breakers', async () => {
    for (let i = 0; i < 3; i += 1) await ask(`query Pupil { pupil(cpr: "${CPR}") { name } }`);
    await ask(`{ pupil(cpr: "${CPR}") { name } }`);
    await ask('{ nope }');

    const response = await fetch(`${server.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    expect(text).toMatch(/ungegraf_gateway_request_duration_seconds_count\{operation="Pupil",outcome="ok"\} [3-9]/);
    expect(text).toMatch(/ungegraf_gateway_request_duration_seconds_count\{operation="Pupil",outcome="partial"\} [1-9]/);
    expect(text).toMatch(/ungegraf_gateway_request_duration_seconds_count\{operation="anonymous",outcome="ok"\} [1-9]/);
    expect(text).toMatch(/ungegraf_gateway_request_duration_seconds_count\{operation="anonymous",outcome="error"\} [1-9]/);
    expect(text).toMatch(/ungegraf_graphql_errors_total\{service="gateway",code="UPSTREAM_UNAVAILABLE"\} [1-9]/);
    expect(text).toMatch(/ungegraf_graphql_errors_total\{service="gateway",code="GRAPHQL_VALIDATION_FAILED"\} [1-9]/);
    expect(text).toMatch(/ungegraf_graphql_errors_total\{service="pupils",code="UPSTREAM_UNAVAILABLE"\} [1-9]/);
    expect(text).toMatch(/ungegraf_subgraph_request_duration_seconds_count\{subgraph="pupils",outcome="ok"\} [3-9]/);
    expect(text).toMatch(/ungegraf_cache_lookups_total\{cache="query_plan",result="hit"\} [1-9]/);
    expect(text).toMatch(/ungegraf_cache_lookups_total\{cache="query_plan",result="miss"\} [1-9]/);
    // The default process metrics are there too.
    expect(text).toMatch(/^process_cpu_seconds_total /m);
  });

  it('shows the subgraph and system calls and the breakers, from the resilience observers', async () => {
    const calls = await metric('ungegraf_subgraph_call_duration_seconds');
    expect(calls).toMatch(/ungegraf_subgraph_call_duration_seconds_count\{subgraph="pupils",outcome="ok"\} [1-9]/);
    const system = await metric('ungegraf_system_call_duration_seconds');
    expect(system).toMatch(/ungegraf_system_call_duration_seconds_count\{system="school",route="GET \/pupils\/:id",outcome="ok"\} [1-9]/);
    expect(system).toMatch(
      /ungegraf_system_call_duration_seconds_count\{system="school",route="GET \/pupils\/:id",outcome="error"\} [1-9]/,
    );
    const breakers = await metric('ungegraf_breaker_state');
    expect(breakers).toMatch(/ungegraf_breaker_state\{part="systems",breaker="school"\} 0/);
    expect(breakers).toMatch(/ungegraf_breaker_state\{part="gateway",breaker="pupils"\} 0/);
  });

  it('is served by the subgraph too, from the same process registry', async () => {
    const text = await (await fetch(`${subgraph.url}/metrics`)).text();
    expect(text).toMatch(/ungegraf_subgraph_request_duration_seconds_count\{subgraph="pupils"/);
    const ready = await fetch(`${subgraph.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', checks: { breakers: { ok: true } } });
  });
});
