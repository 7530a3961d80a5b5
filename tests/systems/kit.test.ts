import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from 'node:http';
import { compactDate, danishAmount, dayMonthYearDashed, dayMonthYearDotted, formats, isoDateTime } from '../../systems/kit/dates.js';
import { Router } from '../../systems/kit/router.js';
import { listen } from '../../systems/kit/listen.js';
import { resolveOptions } from '../../systems/kit/options.js';
import { FAILURE_MARKERS } from '../../systems/kit/simulation.js';
import { createSchoolSystem } from '../../systems/school/server.js';
import { devCredentials, type SchoolCredential } from '../../systems/credentials.js';
import { serve, smallPopulation, type Served } from './helpers.js';

describe('kit: date and amount formats', () => {
  it("writes each system's date format", () => {
    expect(dayMonthYearDashed('2025-11-03')).toBe('03-11-2025');
    expect(dayMonthYearDotted('2024-02-01')).toBe('01.02.2024');
    expect(compactDate('2025-03-04')).toBe('20250304');
    expect(isoDateTime('2025-01-01')).toBe('2025-01-01T00:00:00Z');
    expect(formats.dayMonthYearDotted(null)).toBeNull();
  });

  it('writes amounts the Danish way', () => {
    expect(danishAmount(6118)).toBe('6.118,00');
    expect(danishAmount(1250.5)).toBe('1.250,50');
    expect(danishAmount(450)).toBe('450,00');
    expect(danishAmount(1234567.891)).toBe('1.234.567,89');
  });
});

describe('kit: router and options', () => {
  it('matches literal segments, parameters and query conditions', () => {
    const router = new Router()
      .add({ method: 'GET', path: '/a', when: (q) => q.has('x'), name: 'with x', handler: () => 1 })
      .add({ method: 'GET', path: '/a', handler: () => 2 })
      .add({ method: 'GET', path: '/a/:id/b', handler: () => 3 });
    expect(router.match('GET', '/a', new URLSearchParams('x=1'))?.name).toBe('with x');
    expect(router.match('GET', '/a', new URLSearchParams())?.name).toBe('GET /a');
    expect(router.match('GET', '/a/010112-4321/b', new URLSearchParams())?.params).toEqual({ id: '010112-4321' });
    expect(router.match('POST', '/a', new URLSearchParams())).toBeNull();
    expect(router.match('GET', '/a/1', new URLSearchParams())).toBeNull();
  });

  it('fills defaults and refuses nonsense', () => {
    expect(resolveOptions({ latencyMs: 5 }, { key: 'k' })).toEqual({
      latencyMs: 5,
      jitterMs: 0,
      failureRate: 0,
      seed: 1,
      credential: { key: 'k' },
    });
    expect(() => resolveOptions({ failureRate: 2 }, {})).toThrow(RangeError);
    expect(() => resolveOptions({ latencyMs: -1 }, {})).toThrow(RangeError);
  });

  it('listens on a free port with a 65 s keep-alive and closes', async () => {
    const server = createServer((_req, res) => res.end('ok'));
    const listening = await listen(server, 0);
    expect(listening.port).toBeGreaterThan(0);
    expect(server.keepAliveTimeout).toBe(65_000);
    expect(await (await fetch(listening.url)).text()).toBe('ok');
    await listening.close();
    expect(server.listening).toBe(false);
  });
});

describe('kit: simulation knobs, changed at runtime', () => {
  const population = smallPopulation();
  const cpr = population.people.find((p) => p.school)!.cpr;
  let school: Served<SchoolCredential>;

  beforeAll(async () => {
    school = await serve(createSchoolSystem(population, { seed: 7 }), { 'x-api-key': devCredentials.school.apiKey });
  });
  afterAll(() => school.close());

  it('adds latency (and jitter) to every call but /health', async () => {
    school.system.options.latencyMs = 150;
    school.system.options.jitterMs = 30;
    let started = performance.now();
    expect((await school.call(`/api/v2/elever/${cpr}`)).status).toBe(200);
    const slow = performance.now() - started;
    expect(slow).toBeGreaterThanOrEqual(145);
    started = performance.now();
    await fetch(`${school.url}/health`);
    expect(performance.now() - started).toBeLessThan(140);
    school.system.options.latencyMs = 0;
    school.system.options.jitterMs = 0;
    started = performance.now();
    await school.call(`/api/v2/elever/${cpr}`);
    expect(performance.now() - started).toBeLessThan(slow);
  });

  it('fails every call with 503 and an internal-looking body at failureRate 1', async () => {
    school.system.stats.reset();
    school.system.options.failureRate = 1;
    const { status, body } = await school.call(`/api/v2/elever/${cpr}`);
    expect(status).toBe(503);
    const text = JSON.stringify(body);
    for (const marker of FAILURE_MARKERS) expect(text).toContain(marker);
    // a system that is down says so on /health too
    expect((await fetch(`${school.url}/health`)).status).toBe(503);
    expect(school.system.stats.failures).toBe(1);
    expect(school.system.stats.calls).toBe(1);
    school.system.options.failureRate = 0;
    expect((await school.call(`/api/v2/elever/${cpr}`)).status).toBe(200);
    expect((await fetch(`${school.url}/health`)).status).toBe(200);
  });

  it('fails about the configured share of calls', async () => {
    school.system.stats.reset();
    school.system.options.failureRate = 0.3;
    const statuses: number[] = [];
    for (let i = 0; i < 100; i++) statuses.push((await school.call(`/api/v2/elever/${cpr}`)).status);
    school.system.options.failureRate = 0;
    const failed = statuses.filter((s) => s === 503).length;
    expect(failed).toBeGreaterThan(15);
    expect(failed).toBeLessThan(45);
    expect(statuses.every((s) => s === 200 || s === 503)).toBe(true);
    expect(school.system.stats.failures).toBe(failed);
  });

  it('takes a new credential at runtime', async () => {
    school.system.options.credential = { apiKey: 'rotated' };
    expect((await school.call(`/api/v2/elever/${cpr}`)).status).toBe(401);
    expect((await school.call(`/api/v2/elever/${cpr}`, { headers: { 'x-api-key': 'rotated' } })).status).toBe(200);
    school.system.options.credential = { apiKey: devCredentials.school.apiKey };
  });
});
