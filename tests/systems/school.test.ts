import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSchoolSystem, SCHOOL_BATCH_LIMIT } from '../../systems/school/server.js';
import { devCredentials } from '../../systems/credentials.js';
import { DD_MM_YYYY, keysOf, serve, smallPopulation, type Served } from './helpers.js';
import type { SchoolCredential } from '../../systems/credentials.js';

type Elev = Record<string, unknown> & { cpr: string; fravaer: { ulovligtFravaer: string[] }[]; ppr: { siden: string | null } };

const population = smallPopulation();
const pupils = population.people.filter((p) => p.school);
const nonPupil = population.people.find((p) => !p.school)!;
let school: Served<SchoolCredential>;

beforeAll(async () => {
  school = await serve(createSchoolSystem(population), { 'x-api-key': devCredentials.school.apiKey });
});
afterAll(() => school.close());

describe('school system (elevadministration)', () => {
  it('answers /health without a credential', async () => {
    const response = await fetch(`${school.url}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('answers 401 without or with a wrong key', async () => {
    const cpr = pupils[0]!.cpr;
    expect((await fetch(`${school.url}/api/v2/elever/${cpr}`)).status).toBe(401);
    expect((await school.call(`/api/v2/elever/${cpr}`, { headers: { 'x-api-key': 'wrong' } })).status).toBe(401);
    const batch = await fetch(`${school.url}/api/v2/elever/opslag`, { method: 'POST', body: JSON.stringify({ cprNumre: [cpr] }) });
    expect(batch.status).toBe(401);
  });

  it('answers 404 for unknown paths, unknown CPR numbers and people who are not pupils', async () => {
    expect((await school.call('/api/v3/elever')).status).toBe(404);
    expect((await school.call('/api/v2/elever/010101-0000')).status).toBe(404);
    const notPupil = await school.call(`/api/v2/elever/${nonPupil.cpr}`);
    expect(notPupil.status).toBe(404);
    expect(notPupil.body).toHaveProperty('fejl');
    expect((await school.call('/api/v2/elever/not-a-cpr')).status).toBe(400);
  });

  it("answers a pupil with the contract's field names and DD-MM-YYYY dates", async () => {
    const pupil = pupils.find((p) => p.school!.pprInvolvedSince && p.school!.absence.some((y) => y.unlawfulAbsenceDates.length > 0))!;
    const { status, body } = await school.call(`/api/v2/elever/${pupil.cpr}`);
    expect(status).toBe(200);
    const elev = body as Elev;
    expect(keysOf(elev)).toEqual([
      'cpr',
      'efternavn',
      'fornavn',
      'fravaer',
      'klasse',
      'klassetrin',
      'ppr',
      'skoleNavn',
      'skoleNr',
      'trivselsforum',
    ]);
    expect(elev.cpr).toBe(pupil.cpr);
    expect(elev.klassetrin).toBe(pupil.school!.grade);
    expect(keysOf(elev.fravaer[0])).toEqual(['fravaersdage', 'skoleaar', 'skoledage', 'ulovligtFravaer']);
    expect(keysOf(elev.ppr)).toEqual(['involveret', 'siden']);
    expect(elev.ppr.siden).toMatch(DD_MM_YYYY);
    const dates = elev.fravaer.flatMap((y) => y.ulovligtFravaer);
    expect(dates.length).toBeGreaterThan(0);
    for (const d of dates) expect(d).toMatch(DD_MM_YYYY);
    const [dd, mm, yyyy] = dates[0]!.split('-');
    expect(pupil.school!.absence.flatMap((y) => y.unlawfulAbsenceDates)).toContain(`${yyyy}-${mm}-${dd}`);
  });

  it('looks up to 50 pupils in one call, answering only those it knows', async () => {
    const cprs = [...pupils.slice(0, SCHOOL_BATCH_LIMIT - 2).map((p) => p.cpr), nonPupil.cpr, '010101-0000'];
    const { status, body } = await school.call('/api/v2/elever/opslag', { method: 'POST', body: JSON.stringify({ cprNumre: cprs }) });
    expect(status).toBe(200);
    const elever = (body as { elever: Elev[] }).elever;
    expect(elever.map((e) => e.cpr).sort()).toEqual(cprs.slice(0, SCHOOL_BATCH_LIMIT - 2).sort());
  });

  it('refuses a batch over 50 with 400 and a Danish message', async () => {
    const cprs = pupils.slice(0, SCHOOL_BATCH_LIMIT + 1).map((p) => p.cpr);
    const { status, body } = await school.call('/api/v2/elever/opslag', { method: 'POST', body: JSON.stringify({ cprNumre: cprs }) });
    expect(status).toBe(400);
    expect((body as { fejl: string }).fejl).toContain('højst 50');
    const bad = await school.call('/api/v2/elever/opslag', { method: 'POST', body: '{"cprNumre": "x"}' });
    expect(bad.status).toBe(400);
    const broken = await school.call('/api/v2/elever/opslag', { method: 'POST', body: '{not json' });
    expect(broken.status).toBe(400);
  });

  it('pages the extract over every pupil exactly once', async () => {
    const seen: string[] = [];
    let side: number | null = 1;
    while (side !== null) {
      const { status, body } = await school.call(`/api/v2/elever?side=${side}&antal=37`);
      expect(status).toBe(200);
      const page = body as { elever: Elev[]; naesteSide: number | null };
      seen.push(...page.elever.map((e) => e.cpr));
      side = page.naesteSide;
    }
    expect(seen.length).toBe(pupils.length);
    expect(new Set(seen)).toEqual(new Set(pupils.map((p) => p.cpr)));
    expect((await school.call('/api/v2/elever?side=1&antal=1001')).status).toBe(400);
    expect((await school.call('/api/v2/elever?side=0')).status).toBe(400);
  });

  it('counts calls by route', async () => {
    school.system.stats.reset();
    await school.call(`/api/v2/elever/${pupils[0]!.cpr}`);
    await school.call('/api/v2/elever/opslag', { method: 'POST', body: JSON.stringify({ cprNumre: [pupils[0]!.cpr] }) });
    await school.call('/api/v2/elever?side=1&antal=1');
    await school.call('/nowhere');
    await fetch(`${school.url}/health`);
    expect(school.system.stats.calls).toBe(4);
    expect(school.system.stats.byRoute).toEqual({
      'GET /api/v2/elever/:cpr': 1,
      'POST /api/v2/elever/opslag': 1,
      'GET /api/v2/elever': 1,
      unmatched: 1,
    });
    school.system.stats.reset();
    expect(school.system.stats.calls).toBe(0);
    expect(school.system.stats.byRoute).toEqual({});
  });
});
