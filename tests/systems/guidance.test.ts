import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGuidanceSystem, GUIDANCE_BATCH_LIMIT } from '../../systems/guidance/server.js';
import { devCredentials, type GuidanceCredential } from '../../systems/credentials.js';
import { ISO_DATE, keysOf, serve, smallPopulation, type Served } from './helpers.js';

type Ung = Record<string, unknown> & {
  uuId: string;
  cpr: string;
  foedselsdato: string;
  koen: string;
  upv: Record<string, unknown>[];
  uddannelsesplan: { opdateret: string; spor: string; delmaal: { frist: string }[] } | null;
  tilknytninger: { start: string; slut: string | null }[];
};

const population = smallPopulation();
const people = population.people;
let guidance: Served<GuidanceCredential>;

beforeAll(async () => {
  guidance = await serve(createGuidanceSystem(population), { 'x-uu-token': devCredentials.guidance.token });
});
afterAll(() => guidance.close());

describe('guidance system (UU ungeregister)', () => {
  it('answers /health, 401 and 404', async () => {
    expect((await fetch(`${guidance.url}/health`)).status).toBe(200);
    expect((await fetch(`${guidance.url}/uu/unge?cpr=${people[0]!.cpr}`)).status).toBe(401);
    expect((await guidance.call('/uu/unge', { headers: { 'x-uu-token': 'nope' } })).status).toBe(401);
    expect((await guidance.call('/uu/personer')).status).toBe(404);
    expect((await guidance.call('/uu/unge/id/zzzzzzzz')).status).toBe(404);
  });

  it("answers a young person with the contract's field names and ISO dates", async () => {
    const person = people.find((p) => p.guidance.assessments.length > 0 && p.guidance.plan && p.guidance.plan.steps.length > 0)!;
    const { status, body } = await guidance.call(`/uu/unge/id/${person.uuId}`);
    expect(status).toBe(200);
    const ung = body as Ung;
    expect(keysOf(ung)).toEqual([
      'aktivitet',
      'cpr',
      'efternavn',
      'erhvervskompetence',
      'fguMaalgruppe',
      'foedselsdato',
      'fornavn',
      'koen',
      'tilknytninger',
      'uddannelsesplan',
      'uddannelsespligt',
      'ungdomsuddannelseFuldfoert',
      'upv',
      'uuId',
      'vejleder',
    ]);
    expect(ung.cpr).toBe(person.cpr);
    expect(ung.foedselsdato).toBe(person.birthDate);
    expect(['K', 'M']).toContain(ung.koen);
    expect(keysOf(ung.vejleder)).toEqual(['email', 'initialer', 'navn']);
    expect(keysOf(ung.upv[0])).toEqual([
      'dato',
      'eud',
      'faglig',
      'gym',
      'karaktergennemsnit',
      'klassetrin',
      'personlig',
      'praksis',
      'social',
      'type',
    ]);
    expect(ung.upv[0]!.dato).toMatch(ISO_DATE);
    expect(['FORELOEBIG', 'ENDELIG', 'REVURDERING']).toContain(ung.upv[0]!.type);
    expect(['PARAT', 'IKKE_PARAT']).toContain(ung.upv[0]!.eud);
    expect(keysOf(ung.uddannelsesplan)).toEqual(['delmaal', 'maal', 'opdateret', 'spor']);
    expect(ung.uddannelsesplan!.opdateret).toMatch(ISO_DATE);
    expect(ung.uddannelsesplan!.delmaal[0]!.frist).toMatch(ISO_DATE);
    expect(['EUD', 'EUX', 'GYM', 'FGU', 'STU', 'VIDEREGAAENDE', 'JOB', 'ANDET']).toContain(ung.uddannelsesplan!.spor);
  });

  it("answers institution links with the contract's field names", async () => {
    const person = people.find((p) => p.guidance.institutions.some((l) => l.end !== null))!;
    const { body } = await guidance.call(`/uu/unge/id/${person.uuId}`);
    const ung = body as Ung;
    expect(keysOf(ung.tilknytninger[0])).toEqual([
      'institutionNavn',
      'institutionNr',
      'slut',
      'start',
      'status',
      'stoettebehov',
      'uddannelse',
    ]);
    for (const link of ung.tilknytninger) {
      expect(link.start).toMatch(ISO_DATE);
      if (link.slut !== null) expect(link.slut).toMatch(ISO_DATE);
    }
  });

  it('looks up to 100 young people by CPR (or by uuId) in one call', async () => {
    const some = people.slice(0, GUIDANCE_BATCH_LIMIT - 1);
    const byCpr = await guidance.call(`/uu/unge?cpr=${[...some.map((p) => p.cpr), '010101-0000'].join(',')}`);
    expect(byCpr.status).toBe(200);
    const body = byCpr.body as { unge: Ung[]; naeste: string | null };
    expect(body.unge.map((u) => u.cpr).sort()).toEqual(some.map((p) => p.cpr).sort());
    expect(body.naeste).toBeNull();
    const byId = await guidance.call(
      `/uu/unge?id=${some
        .slice(0, 10)
        .map((p) => p.uuId)
        .join(',')}`,
    );
    expect((byId.body as { unge: Ung[] }).unge.map((u) => u.uuId).sort()).toEqual(
      some
        .slice(0, 10)
        .map((p) => p.uuId)
        .sort(),
    );
  });

  it('refuses a batch over 100 with 400', async () => {
    const cprs = people.slice(0, GUIDANCE_BATCH_LIMIT + 1).map((p) => p.cpr);
    const { status, body } = await guidance.call(`/uu/unge?cpr=${cprs.join(',')}`);
    expect(status).toBe(400);
    expect((body as { fejl: string }).fejl).toContain('højst 100');
  });

  it('pages the register after a uuId, sorted, covering everyone exactly once', async () => {
    const seen: string[] = [];
    let fra: string | null = null;
    for (;;) {
      const query: string = fra ? `fra=${fra}&antal=250` : 'antal=250';
      const { status, body } = await guidance.call(`/uu/unge?${query}`);
      expect(status).toBe(200);
      const page = body as { unge: Ung[]; naeste: string | null };
      seen.push(...page.unge.map((u) => u.uuId));
      if (page.naeste === null) break;
      expect(page.naeste).toBe(page.unge[page.unge.length - 1]!.uuId);
      fra = page.naeste;
    }
    expect(seen.length).toBe(people.length);
    expect(seen).toEqual([...seen].sort());
    expect(new Set(seen).size).toBe(people.length);
    expect((await guidance.call('/uu/unge?antal=1001')).status).toBe(400);
  });

  it('counts the batch, the by-id batch, the extract and the single look-up separately', async () => {
    guidance.system.stats.reset();
    await guidance.call(`/uu/unge?cpr=${people[0]!.cpr}`);
    await guidance.call(`/uu/unge?id=${people[0]!.uuId}`);
    await guidance.call('/uu/unge?antal=1');
    await guidance.call(`/uu/unge/id/${people[0]!.uuId}`);
    expect(guidance.system.stats.byRoute).toEqual({
      'GET /uu/unge?cpr=': 1,
      'GET /uu/unge?id=': 1,
      'GET /uu/unge?fra=': 1,
      'GET /uu/unge/id/:uuId': 1,
    });
    expect(guidance.system.stats.calls).toBe(4);
  });
});
