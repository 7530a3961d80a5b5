import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BENEFITS_BATCH_LIMIT, createBenefitsSystem } from '../../systems/benefits/server.js';
import { devCredentials, type BenefitsCredential } from '../../systems/credentials.js';
import { ISO_DATE_TIME, keysOf, serve, smallPopulation, type Served } from './helpers.js';

type Modtager = { cprnr: string; ydelser: Record<string, string | null>[]; engangsydelser: Record<string, string>[] };

const population = smallPopulation();
const recipients = population.people.filter((p) => p.benefits);
const others = population.people.filter((p) => !p.benefits);
const auth = { 'x-client-id': devCredentials.benefits.clientId, 'x-client-secret': devCredentials.benefits.clientSecret };
let benefits: Served<BenefitsCredential>;

beforeAll(async () => {
  benefits = await serve(createBenefitsSystem(population), auth);
});
afterAll(() => benefits.close());

describe('benefits system (Ydelsesafdelingen)', () => {
  it('answers /health, 401 and 404', async () => {
    expect((await fetch(`${benefits.url}/health`)).status).toBe(200);
    const cpr = recipients[0]!.cpr;
    expect((await fetch(`${benefits.url}/ydelser/v1/modtagere/${cpr}`)).status).toBe(401);
    expect((await fetch(`${benefits.url}/ydelser/v1/modtagere/${cpr}`, { headers: { 'x-client-id': auth['x-client-id'] } })).status).toBe(
      401,
    );
    expect((await benefits.call(`/ydelser/v1/modtagere/${cpr}`, { headers: { 'x-client-secret': 'wrong' } })).status).toBe(401);
    expect((await benefits.call('/ydelser/v2/modtagere')).status).toBe(404);
    expect((await benefits.call(`/ydelser/v1/modtagere/${others[0]!.cpr}`)).status).toBe(404);
  });

  it("answers a recipient with the contract's field names, ISO date-times and Danish amounts", async () => {
    const person =
      recipients.find((p) => p.benefits!.oneOff.length > 0 && p.benefits!.payments.some((x) => x.to !== null)) ??
      recipients.find((p) => p.benefits!.oneOff.length > 0)!;
    const { status, body } = await benefits.call(`/ydelser/v1/modtagere/${person.cpr}`);
    expect(status).toBe(200);
    const modtager = body as Modtager;
    expect(keysOf(modtager)).toEqual(['cprnr', 'engangsydelser', 'ydelser']);
    expect(modtager.cprnr).toBe(person.cpr);
    expect(keysOf(modtager.ydelser[0])).toEqual(['beloebPrMaaned', 'periodeFra', 'periodeTil', 'ydelsestype']);
    for (const y of modtager.ydelser) {
      expect(y.periodeFra).toMatch(ISO_DATE_TIME);
      if (y.periodeTil !== null) expect(y.periodeTil).toMatch(ISO_DATE_TIME);
      expect(y.beloebPrMaaned).toMatch(/^\d{1,3}(\.\d{3})*,\d{2}$/);
      expect(['UDDANNELSESHJAELP', 'KONTANTHJAELP', 'RESSOURCEFORLOEBSYDELSE', 'OVERGANGSYDELSE']).toContain(y.ydelsestype);
    }
    expect(keysOf(modtager.engangsydelser[0])).toEqual(['beloeb', 'dato', 'type']);
    expect(modtager.engangsydelser[0]!.dato).toMatch(ISO_DATE_TIME);
    expect(modtager.engangsydelser[0]!.beloeb).toMatch(/^\d{1,3}(\.\d{3})*,\d{2}$/);
  });

  it('looks up to 40 recipients in one call, answering only recipients', async () => {
    const cprs = [...recipients.slice(0, 30).map((p) => p.cpr), ...others.slice(0, 10).map((p) => p.cpr)];
    const { status, body } = await benefits.call('/ydelser/v1/modtagere/soeg', { method: 'POST', body: JSON.stringify({ cprnr: cprs }) });
    expect(status).toBe(200);
    expect((body as { modtagere: Modtager[] }).modtagere.map((m) => m.cprnr).sort()).toEqual(cprs.slice(0, 30).sort());
  });

  it('refuses a batch over 40 with 400', async () => {
    const cprs = population.people.slice(0, BENEFITS_BATCH_LIMIT + 1).map((p) => p.cpr);
    const { status, body } = await benefits.call('/ydelser/v1/modtagere/soeg', { method: 'POST', body: JSON.stringify({ cprnr: cprs }) });
    expect(status).toBe(400);
    expect((body as { fejl: string }).fejl).toContain('højst 40');
  });

  it('has no extract', async () => {
    expect((await benefits.call('/ydelser/v1/modtagere')).status).toBe(404);
  });

  it('counts calls', async () => {
    benefits.system.stats.reset();
    await benefits.call('/ydelser/v1/modtagere/soeg', { method: 'POST', body: JSON.stringify({ cprnr: [recipients[0]!.cpr] }) });
    await benefits.call(`/ydelser/v1/modtagere/${recipients[0]!.cpr}`);
    expect(benefits.system.stats.byRoute).toEqual({ 'POST /ydelser/v1/modtagere/soeg': 1, 'GET /ydelser/v1/modtagere/:cpr': 1 });
  });
});
