import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSystems, type RunningSystems } from '../../systems/index.js';
import { loadSystemsConfig, DEFAULT_PORTS } from '../../systems/config.js';
import { devCredentials, readCredentials } from '../../systems/credentials.js';
import { ConfigError } from '../../platform/env.js';
import { smallPopulation } from './helpers.js';

const zero = { school: 0, guidance: 0, jobcenter: 0, social: 0, benefits: 0 };
let running: RunningSystems;

beforeAll(async () => {
  running = await startSystems({ population: smallPopulation(), ports: zero, options: { jobcenter: { latencyMs: 5 } }, env: {} });
});
afterAll(() => running.close());

describe('startSystems', () => {
  it('starts all five on free ports, sharing one population', async () => {
    expect(running.population).toBe(smallPopulation());
    const urls = Object.values(running.systems).map((s) => s.url);
    expect(new Set(urls).size).toBe(5);
    for (const system of Object.values(running.systems)) {
      const response = await fetch(`${system.url}/health`);
      expect(await response.json()).toEqual({ status: 'ok' });
    }
    expect(running.systems.jobcenter.options.latencyMs).toBe(5);
    expect(running.systems.school.options.credential).toEqual(devCredentials.school);
  });

  it('tells the same story about one young person in every system', async () => {
    const person = running.population.people.find((p) => p.jobcenter && p.social && p.benefits && p.guidance.plan)!;
    expect(person).toBeDefined();
    const { guidance, jobcenter, social, benefits } = running.systems;
    const ung = (await (
      await fetch(`${guidance.url}/uu/unge?cpr=${person.cpr}`, { headers: { 'x-uu-token': devCredentials.guidance.token } })
    ).json()) as { unge: { uuId: string }[] };
    const borger = (await (
      await fetch(`${jobcenter.url}/jobcenter/api/borgere/${person.cpr.replace('-', '')}`, {
        headers: { authorization: `Bearer ${devCredentials.jobcenter.apiKey}` },
      })
    ).json()) as { borger_cpr: string };
    const sager = (await (
      await fetch(`${social.url}/sag/api/personer/${person.cpr}/sager`, {
        headers: {
          authorization: `Basic ${Buffer.from(`${devCredentials.social.user}:${devCredentials.social.password}`).toString('base64')}`,
        },
      })
    ).json()) as { personnummer: string };
    const modtager = (await (
      await fetch(`${benefits.url}/ydelser/v1/modtagere/${person.cpr}`, {
        headers: { 'x-client-id': devCredentials.benefits.clientId, 'x-client-secret': devCredentials.benefits.clientSecret },
      })
    ).json()) as { cprnr: string };
    expect(ung.unge[0]?.uuId).toBe(person.uuId);
    expect(borger.borger_cpr).toBe(person.cpr.replace('-', ''));
    expect(sager.personnummer).toBe(person.cpr);
    expect(modtager.cprnr).toBe(person.cpr);
    expect(jobcenter.stats.calls).toBe(1);
  });

  it('generates a population from options when none is given, and closes cleanly', async () => {
    const other = await startSystems({ population: { scale: 0.005, seed: 3 }, ports: zero, env: {} });
    expect(other.population.seed).toBe(3);
    expect(other.population.people.length).toBeLessThan(400);
    await other.close();
    await expect(fetch(`${other.systems.school.url}/health`)).rejects.toThrow();
  });

  it('releases the ports it took when one system cannot start', async () => {
    const taken = running.systems.benefits.port;
    await expect(startSystems({ population: smallPopulation(), ports: { ...zero, benefits: taken }, env: {} })).rejects.toThrow();
  });
});

describe('systems config', () => {
  it('has working defaults', () => {
    const config = loadSystemsConfig({});
    expect(config.ports).toEqual(DEFAULT_PORTS);
    expect(config.ports.school).toBe(4101);
    expect(config.population).toEqual({ seed: 2019, asOf: '2026-11-01', scale: 1 });
    expect(config.credentials).toEqual(readCredentials({}));
    expect(config.credentials.social).toEqual(devCredentials.social);
    expect(config.simulation.guidance).toMatchObject({ latencyMs: 0, jitterMs: 0, failureRate: 0 });
  });

  it('reads the environment', () => {
    const config = loadSystemsConfig({
      SCHOOL_PORT: '5101',
      SOCIAL_LATENCY_MS: '40',
      SOCIAL_JITTER_MS: '10',
      BENEFITS_FAILURE_RATE: '0.25',
      POPULATION_SEED: '7',
      POPULATION_AS_OF: '2027-03-01',
      POPULATION_SCALE: '0.5',
      SCHOOL_API_KEY: 'k1',
      SOCIAL_USER: 'u',
      SOCIAL_PASSWORD: 'p',
    });
    expect(config.ports.school).toBe(5101);
    expect(config.simulation.social).toMatchObject({ latencyMs: 40, jitterMs: 10 });
    expect(config.simulation.benefits.failureRate).toBe(0.25);
    expect(config.population).toEqual({ seed: 7, asOf: '2027-03-01', scale: 0.5 });
    expect(config.credentials.school.apiKey).toBe('k1');
    expect(config.credentials.social).toEqual({ user: 'u', password: 'p' });
    expect(config.credentials.guidance).toEqual(devCredentials.guidance);
  });

  it('refuses bad values, naming the variable', () => {
    expect(() => loadSystemsConfig({ SCHOOL_PORT: 'x' })).toThrow(/SCHOOL_PORT/);
    expect(() => loadSystemsConfig({ BENEFITS_FAILURE_RATE: '2' })).toThrow(ConfigError);
    expect(() => loadSystemsConfig({ POPULATION_AS_OF: '01-11-2026' })).toThrow(/POPULATION_AS_OF/);
    expect(() => loadSystemsConfig({ POPULATION_SCALE: '0' })).toThrow(/POPULATION_SCALE/);
  });
});
