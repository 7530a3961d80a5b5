import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { PersistedQueryManifest } from '../../gateway/persistedOperations.js';
import { sha256Hex } from '../../platform/hash.js';
import { ROLES, ROLE_NAMES, hasScopes, type RoleName } from '../../platform/authorization/roles.js';
import type { Person } from '../../systems/population/model.js';
import { startTestStack, type TestStack } from './testStack.js';
import { gatewayAuthorization } from './gatewayCredential.js';

/**
 * What an attacker, a curious partner and a careless reporting tool would try, against the whole
 * running graph. Token forgery itself is covered in tests/auth; field-rule mechanics in tests/access.
 */
let stack: TestStack;
let caseworkerYouthId: string;

/**
 * What a partner sends below. Partner tokens may run only safelisted operations (persistedOperations.ts);
 * these probe the field and row rules behind the safelist, so this stack's safelist holds them too.
 */
const PARTNER_PROBES = {
  ownYouth:
    'query ($id: ID!) { youth(id: $id) { id firstName guidance { educationPlan { track } institutions { institution { id } status } counsellor { name } } } }',
  anyYouth: 'query ($id: ID!) { youth(id: $id) { id firstName guidance { educationPlan { track } } } }',
  list: 'query ($after: String) { youths(first: 200, after: $after) { totalCount edges { node { id } } pageInfo { hasNextPage endCursor } } }',
  filtered: '{ youths(filter: { inTargetGroup: true }) { totalCount } }',
  nested: '{ contactPersons { assignments { youth { id firstName } } } }',
};
const manifestDir = mkdtempSync(join(tmpdir(), 'ungegraf-security-'));

function probeManifest(): string {
  const real = JSON.parse(
    readFileSync(new URL('../../operations/partner-manifest.json', import.meta.url), 'utf8'),
  ) as PersistedQueryManifest;
  const probes = Object.entries(PARTNER_PROBES).map(([name, body]) => ({
    id: sha256Hex(body),
    name: `SecurityProbe_${name}`,
    type: 'query' as const,
    body,
  }));
  const path = join(manifestDir, 'partner-manifest.json');
  writeFileSync(path, JSON.stringify({ ...real, operations: [...real.operations, ...probes] }));
  return path;
}

beforeAll(async () => {
  stack = await startTestStack({ env: { PERSISTED_MANIFEST_PATH: probeManifest() } });
  // Need to know: a young person every municipal role can relate to: named by a counsellor, an advisor and
  // a caseworker, in the coordinated effort, and (assigned below) with a contact person.
  const eligible = await stack.gql<{ youths: { edges: { node: { id: string } }[] } }>(
    '{ youths(filter: { contactPersonStatus: ELIGIBLE }, first: 200) { edges { node { id } } } }',
    {},
    { role: 'uu-counsellor' },
  );
  const ids = eligible.data!.youths.edges.map((edge) => edge.node.id);
  const entries = await stack.store.registerEntries(ids);
  caseworkerYouthId = ids.find((_, i) => {
    const facts = entries[i]?.facts;
    return facts !== undefined && facts.advisorId !== null && facts.caseworkerIds.length > 0 && facts.inEffort;
  })!;
  expect(caseworkerYouthId).toBeDefined();
  const assigned = await stack.gql(
    'mutation ($y: ID!) { assignContactPerson(input: { youthId: $y, contactPersonId: "gkp-sara-holm", acceptOverCapacity: true }) { id } }',
    { y: caseworkerYouthId },
    { role: 'uu-counsellor', youth: caseworkerYouthId },
  );
  expect(assigned.errors).toBeUndefined();
});
afterAll(async () => {
  await stack?.shutdown();
  rmSync(manifestDir, { recursive: true, force: true });
});

/** Each data category, the field that shows it, and the scopes that open it (docs/access.md). */
const CATEGORIES: { category: string; selection: string; field: string; needs: string[][] }[] = [
  { category: 'identity', selection: 'firstName', field: 'firstName', needs: [['youth:identity'], ['partner:education']] },
  { category: 'CPR', selection: 'cprNumber', field: 'cprNumber', needs: [['youth:cpr']] },
  { category: 'school', selection: 'school { grade }', field: 'school', needs: [['school:read']] },
  {
    category: 'guidance',
    selection: 'guidance { counsellor { name } }',
    field: 'guidance',
    needs: [['guidance:read'], ['partner:education']],
  },
  { category: 'jobcenter', selection: 'jobcenter { category }', field: 'jobcenter', needs: [['jobcenter:read']] },
  { category: 'social in detail', selection: 'social { cases { legalBasis } }', field: 'social', needs: [['social:read']] },
  { category: 'social in summary', selection: 'socialSummary { openCases { unit } }', field: 'socialSummary', needs: [['social:summary']] },
  { category: 'benefits', selection: 'benefits { currentMonthlyAmountDkk }', field: 'benefits', needs: [['benefits:read']] },
  {
    category: 'target group',
    selection: 'targetGroup { inTargetGroup }',
    field: 'targetGroup',
    needs: [['youth:identity', 'school:read', 'guidance:read', 'social:summary']],
  },
  {
    category: 'coordinated plan',
    selection: 'coordinatedPlan { goals { unit } }',
    field: 'coordinatedPlan',
    needs: [['plan:read', 'youth:identity', 'school:read', 'guidance:read', 'jobcenter:read', 'social:summary']],
  },
  { category: 'contact person', selection: 'contactPerson { id }', field: 'contactPerson', needs: [['contact-person:read']] },
];

const unauthorizedAt = (errors: { path?: (string | number)[]; extensions?: { code?: string } }[] | undefined, path: string[]) =>
  (errors ?? []).some((e) => e.extensions?.code === 'UNAUTHORIZED_FIELD_OR_TYPE' && JSON.stringify(e.path) === JSON.stringify(path));

describe('every role against every data category', () => {
  // The coordinator administers contact persons and reads no young person's data (no youth:identity).
  const municipalRoles = ROLE_NAMES.filter((role) => !['partner-institution', 'reporting-tool', 'auditor', 'coordinator'].includes(role));
  for (const role of municipalRoles) {
    for (const { category, selection, field, needs } of CATEGORIES) {
      const allowed = hasScopes(new Set(ROLES[role].scopes), needs);
      it(`${role} ${allowed ? 'sees' : 'does not see'} ${category}`, async () => {
        const result = await stack.gql<{ youth: Record<string, unknown> | null }>(
          `query ($id: ID!) { youth(id: $id) { id ${selection} } }`,
          { id: caseworkerYouthId },
          { role, youth: caseworkerYouthId },
        );
        expect(result.data?.youth?.id).toBe(caseworkerYouthId);
        expect(unauthorizedAt(result.errors, ['youth', field])).toBe(!allowed);
        if (!allowed) expect(result.data!.youth![field]).toBeNull();
      });
    }
  }

  for (const role of ['reporting-tool', 'auditor', 'coordinator'] as RoleName[]) {
    it(`${role} cannot reach a young person at all, by id or by list`, async () => {
      const byId = await stack.gql<{ youth: unknown }>(
        'query ($id: ID!) { youth(id: $id) { id firstName } }',
        { id: caseworkerYouthId },
        { role },
      );
      expect(byId.data?.youth ?? null).toBeNull();
      expect(unauthorizedAt(byId.errors, ['youth'])).toBe(true);
      const list = await stack.gql('{ youths { totalCount edges { node { id } } } }', {}, { role });
      expect(unauthorizedAt(list.errors, ['youths'])).toBe(true);
      expect(JSON.stringify(list.data ?? {})).not.toContain(caseworkerYouthId);
      // The refused attempt is in the access log as denied (refusals are written in batches, so it may
      // land just after the answer).
      await vi.waitFor(
        async () => {
          const denied = await stack.access.accessLog.db.query<{ outcome: string; reason: string }>(
            "SELECT outcome, reason FROM access_log WHERE subject = $1 AND outcome = 'DENIED'",
            [`e2e-${role}`],
          );
          expect(denied.rows.some((row) => row.reason.includes('youth'))).toBe(true);
        },
        { timeout: 5000, interval: 50 },
      );
    });
  }

  it('mutations need their own scope: a social caseworker cannot assign a contact person', async () => {
    const capacity = async () =>
      (await stack.gql<{ contactPersonCapacity: { active: number } }>('{ contactPersonCapacity { active } }', {}, { role: 'coordinator' }))
        .data!.contactPersonCapacity.active;
    const before = await capacity();
    const result = await stack.gql(
      'mutation ($y: ID!) { assignContactPerson(input: { youthId: $y, contactPersonId: "gkp-mette-kjaer" }) { id } }',
      { y: caseworkerYouthId },
      { role: 'social-caseworker', youth: caseworkerYouthId },
    );
    expect(unauthorizedAt(result.errors, ['assignContactPerson'])).toBe(true);
    expect(await capacity()).toBe(before);
  });
});

describe('tokens at the door', () => {
  it('answers 401 without a token, with a bad one, and releases nothing', async () => {
    for (const authorization of [null, 'Bearer not-a-jwt', 'Basic dXNlcjpwYXNz']) {
      const result = await stack.gql('{ youths(first: 1) { edges { node { id firstName } } } }', {}, { authorization });
      expect(result.status).toBe(401);
      expect(result.data ?? null).toBeNull();
      expect(result.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    }
  });

  it('a subgraph called directly refuses anyone but the gateway, and applies its rules to the caller the gateway vouches for', async () => {
    const query = '{ _entities(representations: [{ __typename: "Youth", cpr: "010101-0000" }]) { ... on Youth { school { grade } } } }';
    const anonymous = await fetch(stack.subgraphUrls.school, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query }),
    });
    expect(anonymous.status).toBe(401);
    // The class of direct calls is covered in tests/security/subgraphTrust.test.ts.
    const partner = await fetch(stack.subgraphUrls.school, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: await gatewayAuthorization('school', 'partner-institution', { institution: 'I-101' }),
      },
      body: JSON.stringify({ query }),
    });
    const body = (await partner.json()) as { errors?: { extensions?: { code?: string } }[] };
    expect(body.errors?.some((e) => e.extensions?.code === 'UNAUTHORIZED_FIELD_OR_TYPE')).toBe(true);
  });
});

describe('partner institutions see only their own young people', () => {
  let institution: string;
  let own: Person[];
  let other: Person;

  beforeAll(() => {
    const linked = (p: Person, id: string) =>
      p.guidance.institutions.some((l) => l.institutionId === id && (l.status === 'ENROLLED' || l.status === 'APPLYING'));
    const people = stack.systems.population.people;
    const counts = new Map<string, number>();
    for (const p of people)
      for (const l of p.guidance.institutions)
        if (l.status === 'ENROLLED' || l.status === 'APPLYING') counts.set(l.institutionId, (counts.get(l.institutionId) ?? 0) + 1);
    institution = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]![0];
    own = people.filter((p) => linked(p, institution));
    other = people.find((p) => !linked(p, institution) && p.guidance.institutions.length > 0)!;
  });

  const asPartner = () => ({ role: 'partner-institution' as const, institution });

  it('answers its own young person with the education-relevant fields only', async () => {
    const mine = own[0]!;
    const result = await stack.gql<{
      youth: {
        id: string;
        firstName: string;
        guidance: { educationPlan: unknown; institutions: { institution: { id: string } }[]; counsellor: unknown };
      };
    }>(PARTNER_PROBES.ownYouth, { id: mine.uuId }, asPartner());
    expect(result.data!.youth.id).toBe(mine.uuId);
    expect(result.data!.youth.firstName).toBe(mine.firstName);
    expect(result.data!.youth.guidance.institutions.every((l) => l.institution.id === institution)).toBe(true);
    expect(result.data!.youth.guidance.counsellor).toBeNull();
    expect(unauthorizedAt(result.errors, ['youth', 'guidance', 'counsellor'])).toBe(true);
  });

  it("answers another young person's id exactly like an id that does not exist", async () => {
    const query = PARTNER_PROBES.anyYouth;
    const foreign = await stack.gql(query, { id: other.uuId }, asPartner());
    const missing = await stack.gql(query, { id: 'zzzzzzzz' }, asPartner());
    expect(foreign).toEqual(missing);
    expect(foreign.data).toEqual({ youth: null });
  });

  it('lists, counts and filters only its own young people', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let total = 0;
    for (let page = 0; page < 50; page++) {
      const result: {
        data?: {
          youths: { totalCount: number; edges: { node: { id: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
        };
      } = await stack.gql(PARTNER_PROBES.list, { after }, asPartner());
      total = result.data!.youths.totalCount;
      seen.push(...result.data!.youths.edges.map((e) => e.node.id));
      if (!result.data!.youths.pageInfo.hasNextPage) break;
      after = result.data!.youths.pageInfo.endCursor;
    }
    expect(new Set(seen)).toEqual(new Set(own.map((p) => p.uuId)));
    expect(total).toBe(own.length);
    // Filtering on the target group needs its scopes (docs/access.md, "Filter rules"), which a partner lacks.
    const filtered = await stack.gql<{ youths: { totalCount: number } }>(PARTNER_PROBES.filtered, {}, asPartner());
    expect(unauthorizedAt(filtered.errors, ['youths'])).toBe(true);
    expect(filtered.data ?? null).toBeNull();
  });

  it('cannot reach others through nested paths or _entities', async () => {
    const nested = await stack.gql(PARTNER_PROBES.nested, {}, asPartner());
    expect(unauthorizedAt(nested.errors, ['contactPersons'])).toBe(true);
    const entities = await fetch(stack.subgraphUrls.guidance, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: await gatewayAuthorization('guidance', 'partner-institution', { institution }),
      },
      body: JSON.stringify({
        query: `{ _entities(representations: [{ __typename: "Youth", id: "${other.uuId}" }, { __typename: "Youth", cpr: "${other.cpr}" }]) { ... on Youth { id firstName } } }`,
      }),
    });
    expect(((await entities.json()) as { data: unknown }).data).toEqual({ _entities: [null, null] });
  });
});

describe('reporting tools get aggregates only', () => {
  it('reads the figure-1 breakdown with small cells suppressed and nothing personal', async () => {
    const result = await stack.gql<{
      report: {
        targetGroup: { inTargetGroup: { value: number | null }; byIndicator: { count: { value: number | null; suppressed: boolean } }[] };
      };
    }>(
      '{ report { targetGroup { inTargetGroup { value suppressed } byIndicator { indicator count { value suppressed } } combinations { indicators count { value suppressed } } } } }',
      {},
      { role: 'reporting-tool' },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.report.targetGroup.inTargetGroup.value).toBeGreaterThan(0);
    for (const { count } of result.data!.report.targetGroup.byIndicator) {
      if (count.value !== null) expect(count.value === 0 || count.value >= 5).toBe(true);
      else expect(count.suppressed).toBe(true);
    }
    const text = JSON.stringify(result.data);
    for (const person of stack.systems.population.people.slice(0, 200)) expect(text).not.toContain(person.uuId);
  });
});

describe('the access log', () => {
  async function logFor(youthId: string, role: RoleName = 'auditor') {
    const response = await fetch(`${stack.gatewayUrl.replace(/\/graphql$/, '')}/audit/access-log?youthId=${youthId}`, {
      headers: { authorization: `Bearer ${await stack.tokenFor(role)}` },
    });
    return {
      status: response.status,
      body: (await response.json()) as { entries: { purpose: string; outcome: string; categories: string[]; subject: string }[] },
    };
  }

  it('records one entry per young person returned, also when the client selected no id', async () => {
    const ids = await stack.gql<{ youths: { edges: { node: { id: string } }[] } }>('{ youths(first: 3) { edges { node { id } } } }');
    const purpose = `e2e-audit-${Date.now()}`;
    const result = await stack.gql(
      '{ youths(first: 3) { edges { node { firstName school { grade } } } } }',
      {},
      { headers: { 'x-purpose': purpose } },
    );
    expect(JSON.stringify(result.data)).not.toContain('__audit');
    for (const { node } of ids.data!.youths.edges) {
      const { status, body } = await logFor(node.id);
      expect(status).toBe(200);
      const entry = body.entries.find((e) => e.purpose === purpose);
      expect(entry).toMatchObject({ outcome: 'ALLOWED', subject: 'e2e-social-caseworker' });
      expect(entry!.categories).toEqual(expect.arrayContaining(['identity', 'school']));
    }
  });

  it('records filtered access, refuses non-auditors and logs the auditors own reads', async () => {
    await stack.gql(
      'query ($id: ID!) { youth(id: $id) { firstName social { cases { unit } } } }',
      { id: caseworkerYouthId },
      { role: 'uu-counsellor', headers: { 'x-purpose': 'filtered-check' } },
    );
    expect((await logFor(caseworkerYouthId, 'uu-counsellor')).status).toBe(403);
    const first = await logFor(caseworkerYouthId);
    expect(first.body.entries.find((e) => e.purpose === 'filtered-check')?.outcome).toBe('FILTERED');
    const second = await logFor(caseworkerYouthId);
    expect(second.body.entries.some((e) => e.categories.includes('audit'))).toBe(true);
  });

  it('releases no personal data when the log cannot be written (fail closed)', async () => {
    await stack.access.accessLog.close();
    const result = await stack.gql('{ youths(first: 2) { edges { node { firstName } } } }');
    expect(result.status).toBeGreaterThanOrEqual(500);
    expect(result.data).toBeUndefined();
    expect(result.errors?.[0]?.extensions?.code).toBe('ACCESS_LOG_UNAVAILABLE');
  });
});

describe('hardening through the gateway', () => {
  it('refuses an over-deep query without revealing the limit', async () => {
    const deep = `{ contactPersons { assignments { contactPerson { assignments { contactPerson { assignments { contactPerson { assignments { contactPerson { assignments { contactPerson { assignments { id } } } } } } } } } } } } }`;
    const result = await stack.gql(deep);
    expect(result.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COMPLEX');
    expect(result.errors?.[0]?.message).not.toMatch(/\d/);
  });
});
