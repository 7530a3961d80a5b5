import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJobcenterSystem } from '../../systems/jobcenter/server.js';
import { devCredentials, type JobcenterCredential } from '../../systems/credentials.js';
import { keysOf, serve, smallPopulation, YYYYMMDD, type Served } from './helpers.js';

type Borger = Record<string, unknown> & { borger_cpr: string; visitations_dato: string; indsatser: Record<string, string | null>[] };

const population = smallPopulation();
const caseload = population.people.filter((p) => p.jobcenter);
const digits = (cpr: string): string => cpr.replace('-', '');
let jobcenter: Served<JobcenterCredential>;

beforeAll(async () => {
  jobcenter = await serve(createJobcenterSystem(population), { authorization: `Bearer ${devCredentials.jobcenter.apiKey}` });
});
afterAll(() => jobcenter.close());

describe('jobcenter system', () => {
  it('answers /health, 401 and 404', async () => {
    expect((await fetch(`${jobcenter.url}/health`)).status).toBe(200);
    const cpr = digits(caseload[0]!.cpr);
    expect((await fetch(`${jobcenter.url}/jobcenter/api/borgere/${cpr}`)).status).toBe(401);
    expect((await jobcenter.call(`/jobcenter/api/borgere/${cpr}`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    expect(
      (await jobcenter.call(`/jobcenter/api/borgere/${cpr}`, { headers: { authorization: devCredentials.jobcenter.apiKey } })).status,
    ).toBe(401);
    expect((await jobcenter.call('/jobcenter/api/v2/borgere')).status).toBe(404);
    expect((await jobcenter.call('/jobcenter/api/borgere/0101010000')).status).toBe(404);
    // the jobcenter wants the CPR number without the dash
    expect((await jobcenter.call(`/jobcenter/api/borgere/${caseload[0]!.cpr}`)).status).toBe(400);
  });

  it("answers a citizen with the contract's field names and YYYYMMDD dates", async () => {
    const person = caseload.find((p) => p.jobcenter!.efforts.some((e) => e.end !== null))!;
    const { status, body } = await jobcenter.call(`/jobcenter/api/borgere/${digits(person.cpr)}`);
    expect(status).toBe(200);
    const borger = body as Borger;
    expect(keysOf(borger)).toEqual([
      'borger_cpr',
      'indsatser',
      'kategori',
      'maal_spor',
      'maal_tekst',
      'raadgiver_id',
      'raadgiver_navn',
      'visitations_dato',
    ]);
    expect(borger.borger_cpr).toBe(digits(person.cpr));
    expect(borger.visitations_dato).toMatch(YYYYMMDD);
    expect(['UDDANNELSESPARAT', 'AKTIVITETSPARAT']).toContain(borger.kategori);
    expect(keysOf(borger.indsatser[0])).toEqual(['beskrivelse', 'indsats_type', 'slut_dato', 'start_dato']);
    for (const effort of borger.indsatser) {
      expect(effort.start_dato).toMatch(YYYYMMDD);
      if (effort.slut_dato !== null) expect(effort.slut_dato).toMatch(YYYYMMDD);
      expect(['VIRKSOMHEDSPRAKTIK', 'LOENTILSKUD', 'PROJEKT', 'BROBYGNING', 'MENTOR']).toContain(effort.indsats_type);
    }
  });

  it('has no batch look-up', async () => {
    const { status } = await jobcenter.call('/jobcenter/api/borgere/opslag', { method: 'POST', body: JSON.stringify({ cpr: [] }) });
    expect(status).toBe(404);
  });

  it('pages the caseload from page 0 covering everyone exactly once', async () => {
    const seen: string[] = [];
    for (let page = 0; ; page++) {
      const { status, body } = await jobcenter.call(`/jobcenter/api/borgere?page=${page}&size=13`);
      expect(status).toBe(200);
      const result = body as { content: Borger[]; page: number; last: boolean };
      expect(result.page).toBe(page);
      seen.push(...result.content.map((b) => b.borger_cpr));
      if (result.last) break;
    }
    expect(seen.length).toBe(caseload.length);
    expect(new Set(seen)).toEqual(new Set(caseload.map((p) => digits(p.cpr))));
    expect((await jobcenter.call('/jobcenter/api/borgere?page=0&size=1001')).status).toBe(400);
  });

  it('counts calls', async () => {
    jobcenter.system.stats.reset();
    for (const p of caseload.slice(0, 3)) await jobcenter.call(`/jobcenter/api/borgere/${digits(p.cpr)}`);
    expect(jobcenter.system.stats.byRoute).toEqual({ 'GET /jobcenter/api/borgere/:cpr': 3 });
  });
});
