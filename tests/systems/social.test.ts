import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSocialSystem } from '../../systems/social/server.js';
import { devCredentials, type SocialCredential } from '../../systems/credentials.js';
import { DD_DOT_MM_YYYY, keysOf, serve, smallPopulation, type Served } from './helpers.js';

type Sag = Record<string, unknown> & {
  aabnet: string;
  lukket: string | null;
  foranstaltninger: { type: string; fra: string; til: string | null }[];
  maal: unknown;
};

const population = smallPopulation();
const withCases = population.people.filter((p) => (p.social?.cases.length ?? 0) > 0);
const basic = (user: string, password: string): string => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
let social: Served<SocialCredential>;

beforeAll(async () => {
  social = await serve(createSocialSystem(population), {
    authorization: basic(devCredentials.social.user, devCredentials.social.password),
  });
});
afterAll(() => social.close());

describe('social system (sagssystem)', () => {
  it('answers /health, 401 (asking for Basic) and 404', async () => {
    expect((await fetch(`${social.url}/health`)).status).toBe(200);
    const cpr = withCases[0]!.cpr;
    const anonymous = await fetch(`${social.url}/sag/api/personer/${cpr}/sager`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toContain('Basic');
    const wrong = await social.call(`/sag/api/personer/${cpr}/sager`, {
      headers: { authorization: basic(devCredentials.social.user, 'wrong') },
    });
    expect(wrong.status).toBe(401);
    expect((await social.call('/sag/api/personer')).status).toBe(404);
    const noCases = population.people.find((p) => !p.social)!;
    expect((await social.call(`/sag/api/personer/${noCases.cpr}/sager`)).status).toBe(404);
  });

  it("answers a person's cases with the contract's field names and DD.MM.YYYY dates", async () => {
    const person = withCases.find((p) => p.social!.cases.some((c) => c.goal && c.measures.length > 0))!;
    const { status, body } = await social.call(`/sag/api/personer/${person.cpr}/sager`);
    expect(status).toBe(200);
    const answer = body as { personnummer: string; sager: Sag[] };
    expect(keysOf(answer)).toEqual(['personnummer', 'sager']);
    expect(answer.personnummer).toBe(person.cpr);
    const sag = answer.sager.find((s) => s.maal)!;
    expect(keysOf(sag)).toEqual(['aabnet', 'enhed', 'foranstaltninger', 'lukket', 'maal', 'paragraf', 'sagsbehandler', 'sagsnr']);
    expect(sag.aabnet).toMatch(DD_DOT_MM_YYYY);
    expect(keysOf(sag.sagsbehandler)).toEqual(['id', 'navn']);
    expect(keysOf(sag.maal)).toEqual(['spor', 'tekst']);
    expect(keysOf(sag.foranstaltninger[0])).toEqual(['fra', 'til', 'type']);
    for (const m of sag.foranstaltninger) {
      expect(m.fra).toMatch(DD_DOT_MM_YYYY);
      if (m.til !== null) expect(m.til).toMatch(DD_DOT_MM_YYYY);
    }
    expect(String(sag.enhed)).toMatch(/^(FAMILIEGRUPPE_[1-4]|SPECIALGRUPPEN_BOERN|SPECIALGRUPPEN_VOKSNE)$/);
    const closed = withCases.find((p) => p.social!.cases.some((c) => c.closed))!;
    const closedAnswer = (await social.call(`/sag/api/personer/${closed.cpr}/sager`)).body as { sager: Sag[] };
    expect(closedAnswer.sager.some((s) => s.lukket !== null && DD_DOT_MM_YYYY.test(s.lukket))).toBe(true);
  });

  it('pages the extract over every person with a case exactly once', async () => {
    const seen: string[] = [];
    let side: number | null = 1;
    while (side !== null) {
      const { status, body } = await social.call(`/sag/api/udtraek?side=${side}&antal=9`);
      expect(status).toBe(200);
      const page = body as { personer: { personnummer: string }[]; naesteSide: number | null };
      seen.push(...page.personer.map((p) => p.personnummer));
      side = page.naesteSide;
    }
    expect(seen.length).toBe(withCases.length);
    expect(new Set(seen)).toEqual(new Set(withCases.map((p) => p.cpr)));
    expect((await social.call('/sag/api/udtraek?side=1&antal=5000')).status).toBe(400);
  });

  it('counts calls', async () => {
    social.system.stats.reset();
    await social.call(`/sag/api/personer/${withCases[0]!.cpr}/sager`);
    await social.call('/sag/api/udtraek?side=1&antal=1');
    expect(social.system.stats.byRoute).toEqual({ 'GET /sag/api/personer/:cpr/sager': 1, 'GET /sag/api/udtraek': 1 });
  });
});
