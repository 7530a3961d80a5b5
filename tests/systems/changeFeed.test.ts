import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePopulation, type Population } from '../../systems/population/generate.js';
import { ChangeFeed } from '../../systems/kit/changeFeed.js';
import {
  addAbsence,
  assessReadiness,
  caseworkerIn,
  openSocialCase,
  simulateChanges,
  startJobcenterEffort,
} from '../../systems/kit/changes.js';
import { createSchoolSystem } from '../../systems/school/server.js';
import { createGuidanceSystem } from '../../systems/guidance/server.js';
import { createJobcenterSystem } from '../../systems/jobcenter/server.js';
import { createSocialSystem } from '../../systems/social/server.js';
import { createBenefitsSystem } from '../../systems/benefits/server.js';
import { devCredentials, type SchoolCredential } from '../../systems/credentials.js';
import { serve, type Served } from './helpers.js';

/**
 * The systems' change feeds (systems/kit/changeFeed.ts): a change to a record shows in the system's
 * answers and appends an event; the feed pages, waits for a change (long-poll), answers 410 for a
 * position outside its window and refuses a caller without the credential. Each suite changes its own
 * population (the shared one stays as generated).
 */
const basicAuth = `Basic ${Buffer.from(`${devCredentials.social.user}:${devCredentials.social.password}`).toString('base64')}`;

describe('ChangeFeed', () => {
  it('keeps a bounded window and tells a position outside it', () => {
    let now = Date.parse('2026-11-01T08:00:00Z');
    const feed = new ChangeFeed({ maxEvents: 3, maxAgeMs: 60_000, now: () => now });
    for (let i = 0; i < 5; i++) feed.append(`01011${i}-0000`, 'ELEV');
    expect(feed.read(0, 10)).toMatchObject({ gone: true, oldest: 2, head: 5 });
    expect(feed.read(1, 10).gone).toBe(true);
    const page = feed.read(2, 10);
    expect(page.gone).toBe(false);
    if (!page.gone) expect(page.events.map((e) => e.sequence)).toEqual([3, 4, 5]);
    // Ahead of the feed: from an earlier stream (the system restarted).
    expect(feed.read(6, 10).gone).toBe(true);
    // Older than the age limit: dropped too.
    now += 61_000;
    feed.append('010116-0000', 'ELEV');
    expect(feed.read(5, 10)).toMatchObject({ gone: false, head: 6 });
    expect(feed.read(4, 10)).toMatchObject({ gone: true, oldest: 5 });
  });
});

describe('school change feed over HTTP', () => {
  let population: Population;
  let school: Served<SchoolCredential>;
  const headers = { 'x-api-key': devCredentials.school.apiKey };

  beforeAll(async () => {
    population = generatePopulation({ seed: 7, scale: 0.02 });
    school = await serve(createSchoolSystem(population, { feedMaxEvents: 8 }), headers);
  });
  afterAll(async () => school?.close());

  const pupils = () => population.people.filter((p) => (p.school?.absence.length ?? 0) > 0);

  it('shows a change in the look-up and appends an event', async () => {
    const pupil = pupils()[0]!;
    const before = (await school.call(`/api/v2/elever/${pupil.cpr}`)).body as { fravaer: { fravaersdage: number }[] };
    const sequence = school.system.change(pupil.cpr, (p) => addAbsence(p, 3), 'FRAVAER');
    const after = (await school.call(`/api/v2/elever/${pupil.cpr}`)).body as { fravaer: { fravaersdage: number }[] };
    const total = (body: typeof before) => body.fravaer.reduce((sum, y) => sum + y.fravaersdage, 0);
    expect(total(after)).toBeGreaterThan(total(before));
    const page = await school.call(`/api/v2/aendringer?efter=${sequence - 1}&antal=10`);
    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({
      aendringer: [
        { loebenr: sequence, cpr: pupil.cpr, art: 'FRAVAER', tidspunkt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/) as string },
      ],
      hoved: sequence,
      stroem: school.system.feed.stream,
    });
  });

  it('pages through the events after a position', async () => {
    const start = school.system.feed.headSequence;
    const cprs = pupils()
      .slice(1, 5)
      .map((p) => p.cpr);
    for (const cpr of cprs) school.system.change(cpr, (p) => addAbsence(p, 0.5));
    const first = (await school.call(`/api/v2/aendringer?efter=${start}&antal=3`)).body as {
      aendringer: { loebenr: number; cpr: string }[];
      hoved: number;
    };
    expect(first.aendringer.map((e) => e.loebenr)).toEqual([start + 1, start + 2, start + 3]);
    expect(first.hoved).toBe(start + 4);
    const rest = (await school.call(`/api/v2/aendringer?efter=${start + 3}&antal=3`)).body as { aendringer: { cpr: string }[] };
    expect(rest.aendringer.map((e) => e.cpr)).toEqual([cprs[3]]);
    // At the head: an empty page, the head and the stream.
    expect((await school.call(`/api/v2/aendringer?efter=${start + 4}`)).body).toMatchObject({ aendringer: [], hoved: start + 4 });
    // antal=0: the head only.
    expect((await school.call('/api/v2/aendringer?antal=0')).body).toMatchObject({ aendringer: [], hoved: start + 4 });
    expect((await school.call('/api/v2/aendringer?antal=1001')).status).toBe(400);
  });

  it('waits for a change and answers as soon as one comes (long-poll)', async () => {
    const head = school.system.feed.headSequence;
    const started = performance.now();
    const waiting = school.call(`/api/v2/aendringer?efter=${head}&vent=20`);
    setTimeout(() => school.system.change(pupils()[6]!.cpr, (p) => addAbsence(p, 1)), 300);
    const answer = await waiting;
    const ms = performance.now() - started;
    expect(answer.body).toMatchObject({ aendringer: [{ loebenr: head + 1 }], hoved: head + 1 });
    expect(ms).toBeGreaterThanOrEqual(250);
    expect(ms).toBeLessThan(10_000);
  });

  it('answers an empty page when nothing changed within the wait', async () => {
    const head = school.system.feed.headSequence;
    const started = performance.now();
    const answer = await school.call(`/api/v2/aendringer?efter=${head}&vent=1`);
    expect(answer.body).toMatchObject({ aendringer: [], hoved: head });
    expect(performance.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('answers 410 Gone for a position older than the window, naming the oldest readable one', async () => {
    for (let i = 0; i < 10; i++) school.system.change(pupils()[i]!.cpr, (p) => addAbsence(p, 0.5));
    const head = school.system.feed.headSequence;
    const gone = await school.call('/api/v2/aendringer?efter=0');
    expect(gone.status).toBe(410);
    expect(gone.body).toMatchObject({ kode: 410, aeldste: head - 8, hoved: head, stroem: school.system.feed.stream });
    expect((gone.body as { fejl: string }).fejl).toMatch(/udtræk/);
    expect((await school.call(`/api/v2/aendringer?efter=${head - 8}`)).status).toBe(200);
    // A position the feed never reached (another stream's): a gap as well.
    expect((await school.call(`/api/v2/aendringer?efter=${head + 100}`)).status).toBe(410);
  });

  it('refuses a caller without the credential', async () => {
    const refused = await school.call('/api/v2/aendringer?efter=0', { headers: { 'x-api-key': 'wrong' } });
    expect(refused.status).toBe(401);
    expect(JSON.stringify(refused.body)).not.toContain('aendringer');
  });

  it('refuses a change to a CPR number the population does not hold', () => {
    expect(() => school.system.change('010101-0000', () => undefined)).toThrow(/no record/);
  });
});

describe("the other systems' feeds, each in its own style", () => {
  let population: Population;
  const served: Served<unknown>[] = [];
  beforeAll(() => {
    population = generatePopulation({ seed: 8, scale: 0.02 });
  });
  afterAll(async () => Promise.all(served.map((s) => s.close())));
  const start = async <C>(system: Parameters<typeof serve<C>>[0], headers: Record<string, string>) => {
    const s = await serve(system, headers);
    served.push(s);
    return s;
  };

  it('UU: a new readiness assessment, with UU’s own key in the event', async () => {
    const guidance = await start(createGuidanceSystem(population), { 'x-uu-token': devCredentials.guidance.token });
    const pupil = population.people.find((p) => (p.school?.grade ?? 0) >= 8)!;
    guidance.system.change(pupil.cpr, (p) => assessReadiness(p, population.asOf, false), 'UPV');
    const page = await guidance.call('/uu/haendelser?efter=0&antal=10');
    expect(page.body).toMatchObject({ haendelser: [{ nr: 1, cpr: pupil.cpr, uuId: pupil.uuId, type: 'UPV' }], seneste: 1 });
    const record = (await guidance.call(`/uu/unge/id/${pupil.uuId}`)).body as { upv: { dato: string; eud: string }[] };
    expect(record.upv.at(-1)).toMatchObject({ dato: population.asOf, eud: 'IKKE_PARAT' });
    expect((await guidance.call('/uu/haendelser?efter=0', { headers: { 'x-uu-token': 'nope' } })).status).toBe(401);
  });

  it('jobcenter: CPR numbers without the dash, its own query names', async () => {
    const jobcenter = await start(createJobcenterSystem(population), { authorization: `Bearer ${devCredentials.jobcenter.apiKey}` });
    const citizen = population.people.find((p) => p.jobcenter !== null)!;
    jobcenter.system.change(citizen.cpr, (p) => void startJobcenterEffort(p, population.asOf), 'INDSATS');
    const page = await jobcenter.call('/jobcenter/api/haendelser?after=0&size=10&wait=0');
    expect(page.body).toMatchObject({
      content: [{ sekvens_nr: 1, borger_cpr: citizen.cpr.replace('-', ''), haendelse_type: 'INDSATS' }],
      head: 1,
    });
  });

  it('social: a first case puts the person in the extract', async () => {
    const social = await start(createSocialSystem(population), { authorization: basicAuth });
    const extractCount = async () => {
      let count = 0;
      for (let side: number | null = 1; side !== null;) {
        const body = (await social.call(`/sag/api/udtraek?side=${side}&antal=1000`)).body as {
          personer: unknown[];
          naesteSide: number | null;
        };
        count += body.personer.length;
        side = body.naesteSide;
      }
      return count;
    };
    const before = await extractCount();
    const person = population.people.find((p) => (p.social?.cases.length ?? 0) === 0)!;
    expect((await social.call(`/sag/api/personer/${person.cpr}/sager`)).status).toBe(404);
    social.system.change(
      person.cpr,
      (p) => void openSocialCase(p, population.asOf, 'FAMILY_GROUP_2', caseworkerIn(population, 'FAMILY_GROUP_2')),
    );
    expect((await social.call(`/sag/api/personer/${person.cpr}/sager`)).status).toBe(200);
    expect(await extractCount()).toBe(before + 1);
    expect((await social.call('/sag/api/aendringer?efter=0')).body).toMatchObject({
      aendringer: [{ nr: 1, personnummer: person.cpr, art: 'SAG' }],
      seneste: 1,
    });
  });

  it('benefits: a feed too', async () => {
    const benefits = await start(createBenefitsSystem(population), {
      'x-client-id': devCredentials.benefits.clientId,
      'x-client-secret': devCredentials.benefits.clientSecret,
    });
    const recipient = population.people.find((p) => p.benefits !== null)!;
    benefits.system.change(recipient.cpr, () => undefined);
    expect((await benefits.call('/ydelser/v1/haendelser?efter=0')).body).toMatchObject({
      haendelser: [{ sekvens: 1, cprnr: recipient.cpr, type: 'MODTAGER' }],
      hoved: 1,
    });
  });
});

describe('simulated changes (CHANGE_RATE)', () => {
  it('makes the asked number of changes over the four systems, each one an event', async () => {
    const population = generatePopulation({ seed: 9, scale: 0.02 });
    const systems = {
      school: createSchoolSystem(population),
      guidance: createGuidanceSystem(population),
      jobcenter: createJobcenterSystem(population),
      social: createSocialSystem(population),
    };
    const seen: string[] = [];
    const run = simulateChanges(systems, population, { ratePerSecond: 500, count: 60, onChange: (c) => seen.push(c.system) });
    expect(await run.done).toBe(60);
    const heads = Object.values(systems).reduce((sum, s) => sum + s.feed.headSequence, 0);
    expect(heads).toBe(seen.length);
    expect(seen.length).toBeGreaterThanOrEqual(55);
    expect(new Set(seen)).toEqual(new Set(['school', 'guidance', 'jobcenter', 'social']));
  });
});
