import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair } from 'jose';
import { ConfigError } from '../../platform/env.js';
import {
  GATEWAY_ISSUER,
  createGatewayCredentials,
  loadGatewaySigningConfig,
  loadGatewayTrustConfig,
  signGatewayCredential,
  type GatewaySigner,
  type VerifiedCaller,
} from '../../platform/authentication/gatewayCredential.js';
import { DEFAULT_ISSUER } from '../../platform/authentication/config.js';
import { ROLES } from '../../platform/authorization/roles.js';
import type { Person } from '../../systems/population/model.js';
import { startTestStack, type TestStack } from '../e2e/testStack.js';
import { gatewayAuthorization, gatewaySignerFor } from '../e2e/gatewayCredential.js';

/**
 * Security finding 3 of issue 11: with an ordinary counsellor's token (no `youth:cpr`), a POST straight
 * to the guidance subgraph with `_entities(representations: [{ __typename: "Youth", cpr: ... }])`
 * answered the person, past the gateway's access log; `_service { sdl }` was open too.
 *
 * Now only the gateway may call a subgraph: every subgraph refuses (401 UNAUTHENTICATED, no data, before
 * any GraphQL runs) whatever is not the gateway's credential for that very subgraph, `_entities` and
 * `_service` included; the caller's claims travel inside the credential so the subgraph's own rules
 * still apply. docs/access.md, "Gateway to subgraphs".
 */
const SUBGRAPHS = ['school', 'guidance', 'jobcenter', 'social', 'benefits', 'coordination'] as const;
type Subgraph = (typeof SUBGRAPHS)[number];

const counsellor = (): Omit<VerifiedCaller, 'token' | 'expiresAt'> => ({
  subject: 'e2e-uu-counsellor',
  role: 'uu-counsellor',
  organisation: 'aalborg/uu',
  institution: null,
  scopes: new Set(ROLES['uu-counsellor'].scopes),
});

const now = () => Math.floor(Date.now() / 1000);

let stack: TestStack;
let person: Person;
let signer: GatewaySigner;

beforeAll(async () => {
  stack = await startTestStack({ scale: 0.02 });
  person = stack.systems.population.people[0]!;
  signer = await gatewaySignerFor(stack.env);
}, 120_000);

afterAll(async () => {
  await stack?.shutdown();
});

async function post(subgraph: Subgraph, query: string, authorization?: string) {
  const response = await fetch(stack.subgraphUrls[subgraph], {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization !== undefined ? { authorization } : {}) },
    body: JSON.stringify({ query }),
  });
  const text = await response.text();
  return {
    status: response.status,
    text,
    body: JSON.parse(text) as { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] },
  };
}

const serviceQuery = '{ _service { sdl } }';
const entitiesQuery = () => `{ _entities(representations: [{ __typename: "Youth", cpr: "${person.cpr}" }]) { __typename } }`;

function expectRefused(answer: Awaited<ReturnType<typeof post>>, what: string) {
  expect(answer.status, what).toBe(401);
  expect(answer.body.data ?? null, what).toBeNull();
  expect(answer.body.errors?.[0]?.extensions?.code, what).toBe('UNAUTHENTICATED');
  expect(answer.text, what).not.toContain('type Query');
  expect(answer.text, what).not.toContain(person.firstName);
}

describe('the attack: a user token straight to the guidance subgraph', () => {
  it('no longer answers the person by CPR through _entities, nor the SDL through _service', async () => {
    const token = `Bearer ${await stack.tokenFor('uu-counsellor')}`;
    const attack = await post(
      'guidance',
      `{ _entities(representations: [{ __typename: "Youth", cpr: "${person.cpr}" }]) { ... on Youth { id firstName lastName } } }`,
      token,
    );
    expectRefused(attack, 'counsellor token, _entities by CPR');
    expectRefused(await post('guidance', serviceQuery, token), 'counsellor token, _service');
    // The same person through the gateway is answered, and so recorded in its access log.
    const viaGateway = await stack.gql<{ youth: { firstName: string } | null }>(
      'query($id: ID!) { youth(id: $id) { firstName } }',
      { id: person.uuId },
      { role: 'uu-counsellor' },
    );
    expect(viaGateway.data?.youth?.firstName).toBe(person.firstName);
  });
});

describe('every subgraph refuses everything but the gateway’s credential for it', () => {
  /** Each way in that is not the gateway's valid credential for `subgraph`. */
  const attempts: [string, (subgraph: Subgraph) => Promise<string | undefined>][] = [
    ['no token', async () => undefined],
    ['a user token', async () => `Bearer ${await stack.tokenFor('uu-counsellor')}`],
    ['a user token with every scope of an auditor', async () => `Bearer ${await stack.tokenFor('auditor')}`],
    ['a Basic credential', async () => 'Basic dXNlcjpwYXNz'],
    [
      'a forged credential (claims changed, signature kept)',
      async (subgraph) => {
        const [header, , signature] = (await gatewayAuthorization(subgraph, 'uu-counsellor', { env: stack.env }))
          .slice('Bearer '.length)
          .split('.');
        const payload = {
          ...decodeJwt((await gatewayAuthorization(subgraph, 'uu-counsellor', { env: stack.env })).slice(7)),
          scope: 'youth:cpr youth:identity',
        };
        return `Bearer ${header}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${signature}`;
      },
    ],
    [
      'an expired credential',
      async (subgraph) =>
        `Bearer ${await signGatewayCredential(signer, counsellor(), subgraph, { issuedAt: now() - 200, expiresAt: now() - 60 })}`,
    ],
    [
      'a credential for another subgraph (replayed)',
      async (subgraph) => gatewayAuthorization(subgraph === 'guidance' ? 'school' : 'guidance', 'uu-counsellor', { env: stack.env }),
    ],
    [
      'a credential signed with another key under the gateway key’s kid',
      async (subgraph) => {
        const { privateKey } = await generateKeyPair('ES256');
        return `Bearer ${await signGatewayCredential({ ...signer, privateKey: privateKey }, counsellor(), subgraph, { issuedAt: now(), expiresAt: now() + 60 })}`;
      },
    ],
    [
      'a credential signed with another key of its own',
      async (subgraph) => {
        const { privateKey } = await generateKeyPair('EdDSA');
        return `Bearer ${await signGatewayCredential({ privateKey: privateKey, kid: 'attacker-1', algorithm: 'EdDSA' }, counsellor(), subgraph, { issuedAt: now(), expiresAt: now() + 60 })}`;
      },
    ],
    [
      'the gateway’s key with another issuer',
      async (subgraph) =>
        `Bearer ${await signGatewayCredential(signer, counsellor(), subgraph, { issuedAt: now(), expiresAt: now() + 60 }, { issuer: DEFAULT_ISSUER })}`,
    ],
    [
      'the gateway’s key in the shape of a user token (typ JWT)',
      async (subgraph) =>
        `Bearer ${await signGatewayCredential(signer, counsellor(), subgraph, { issuedAt: now(), expiresAt: now() + 60 }, { type: 'JWT' })}`,
    ],
    [
      'the gateway’s key with a lifetime of an hour',
      async (subgraph) =>
        `Bearer ${await signGatewayCredential(signer, counsellor(), subgraph, { issuedAt: now(), expiresAt: now() + 3600 })}`,
    ],
    [
      'an unsigned credential (alg none)',
      async (subgraph) => {
        const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'ungegraf-gateway+jwt', kid: signer.kid })).toString('base64url');
        const payload = Buffer.from(
          JSON.stringify({ iss: GATEWAY_ISSUER, aud: subgraph, sub: 'x', scope: 'youth:cpr', iat: now(), exp: now() + 60 }),
        ).toString('base64url');
        return `Bearer ${header}.${payload}.`;
      },
    ],
  ];

  for (const subgraph of SUBGRAPHS) {
    it(`${subgraph}: _service and _entities answer 401 and nothing else`, async () => {
      for (const [what, authorization] of attempts) {
        const header = await authorization(subgraph);
        expectRefused(await post(subgraph, serviceQuery, header), `${subgraph}, ${what}, _service`);
        expectRefused(await post(subgraph, entitiesQuery(), header), `${subgraph}, ${what}, _entities`);
      }
      // The gateway's credential for this subgraph is answered.
      const valid = await post(subgraph, serviceQuery, await gatewayAuthorization(subgraph, 'uu-counsellor', { env: stack.env }));
      expect(valid.status).toBe(200);
      expect((valid.body.data as { _service: { sdl: string } })._service.sdl).toContain('type Youth');
    });
  }

  it('still applies the subgraph’s rules to the caller the credential names', async () => {
    const query = `{ _entities(representations: [{ __typename: "Youth", cpr: "${person.cpr}" }]) { ... on Youth { firstName cprNumber } } }`;
    const asCounsellor = await post('guidance', query, await gatewayAuthorization('guidance', 'uu-counsellor', { env: stack.env }));
    expect(asCounsellor.status).toBe(200);
    expect(asCounsellor.body.data).toEqual({ _entities: [{ firstName: person.firstName, cprNumber: null }] });
    expect(asCounsellor.body.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHORIZED_FIELD_OR_TYPE']);
  });
});

describe('the gateway’s credentials', () => {
  const caller = (token: string, overrides: Partial<VerifiedCaller> = {}): VerifiedCaller => ({
    ...counsellor(),
    token,
    expiresAt: now() + 3600,
    ...overrides,
  });

  it('carry the caller’s claims to one subgraph, for a short time', async () => {
    const credentials = await createGatewayCredentials(loadGatewaySigningConfig(stack.env));
    const partner: VerifiedCaller = {
      ...caller('token-p'),
      subject: 'p-1',
      role: 'partner-institution',
      organisation: 'partner/I-101',
      institution: 'I-101',
      scopes: new Set(['partner:education']),
    };
    const credential = await credentials.credentialFor(partner, 'guidance');
    expect(decodeProtectedHeader(credential)).toMatchObject({ typ: 'ungegraf-gateway+jwt', kid: signer.kid });
    const claims = decodeJwt(credential);
    expect(claims).toMatchObject({
      iss: GATEWAY_ISSUER,
      aud: 'guidance',
      sub: 'p-1',
      role: 'partner-institution',
      org: 'partner/I-101',
      institution: 'I-101',
      scope: 'partner:education',
    });
    expect(claims.exp! - claims.iat!).toBe(loadGatewaySigningConfig(stack.env).ttlSeconds);
    expect(JSON.stringify(claims)).not.toContain('token-p');
    // Never outlives the caller's own token.
    const soon = decodeJwt(await credentials.credentialFor(caller('token-soon', { expiresAt: now() + 40 }), 'guidance'));
    expect(soon.exp).toBeLessThanOrEqual(now() + 40);
  });

  it('are reused per caller and subgraph (so deduplication shares within a caller), never across callers', async () => {
    const credentials = await createGatewayCredentials(loadGatewaySigningConfig(stack.env));
    const a = caller('token-a');
    const first = await credentials.credentialFor(a, 'school');
    expect(await credentials.credentialFor(a, 'school')).toBe(first);
    expect(await credentials.credentialFor({ ...a }, 'school')).toBe(first);
    expect(await credentials.credentialFor(a, 'guidance')).not.toBe(first);
    const b = caller('token-b', { subject: 'someone-else', scopes: new Set(['youth:cpr', 'youth:identity']) });
    const other = await credentials.credentialFor(b, 'school');
    expect(other).not.toBe(first);
    expect(decodeJwt(other).sub).toBe('someone-else');
  });

  it('reach the subgraphs in place of the user’s token: the whole graph answers through the gateway', async () => {
    const result = await stack.gql<{ youth: { id: string; school: unknown } | null }>(
      'query($id: ID!) { youth(id: $id) { id firstName } }',
      { id: person.uuId },
      // Need to know: as a caller with a relation to the young person (the UU counsellor the system names).
      { role: 'uu-counsellor', youth: person.uuId },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?.youth?.id).toBe(person.uuId);
  });
});

describe('configuration', () => {
  it('production needs the gateway’s key and the subgraphs its public keys, no development keys, at most two', async () => {
    expect(() => loadGatewaySigningConfig({ NODE_ENV: 'production' })).toThrow(/GATEWAY_SIGNING_KEY/);
    expect(() => loadGatewayTrustConfig({ NODE_ENV: 'production' })).toThrow(/GATEWAY_TRUSTED_KEYS/);
    const key = async (kid: string) => {
      const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
      return { priv: { ...(await exportJWK(privateKey)), kid }, pub: { ...(await exportJWK(publicKey)), kid } };
    };
    const [k1, k2, k3, dev] = await Promise.all([key('k1'), key('k2'), key('k3'), key('dev-x')]);
    const production = (vars: Record<string, string>) => ({ NODE_ENV: 'production', ...vars });
    expect(loadGatewaySigningConfig(production({ GATEWAY_SIGNING_KEY: JSON.stringify(k1.priv) })).key?.kid).toBe('k1');
    expect(
      loadGatewayTrustConfig(production({ GATEWAY_TRUSTED_KEYS: JSON.stringify({ keys: [k1.pub, k2.pub] }) })).keys?.keys,
    ).toHaveLength(2);
    for (const [vars, message] of [
      [{ GATEWAY_SIGNING_KEY: JSON.stringify(k1.pub) }, /private/],
      [{ GATEWAY_SIGNING_KEY: JSON.stringify(dev.priv) }, /development/],
      [{ GATEWAY_SIGNING_KEY: 'not json' }, /JSON/],
      [{ GATEWAY_TRUSTED_KEYS: JSON.stringify({ keys: [k1.pub, k2.pub, k3.pub] }) }, /1 or 2 keys/],
      [{ GATEWAY_TRUSTED_KEYS: JSON.stringify({ keys: [k1.priv] }) }, /public/],
      [{ GATEWAY_TRUSTED_KEYS: JSON.stringify({ keys: [dev.pub] }) }, /development/],
      [{ GATEWAY_TRUSTED_KEYS: JSON.stringify({ keys: [k1.pub, { ...k2.pub, kid: 'k1' }] }) }, /own "kid"/],
    ] as const) {
      const load = () =>
        Object.keys(vars)[0] === 'GATEWAY_SIGNING_KEY'
          ? loadGatewaySigningConfig(production(vars))
          : loadGatewayTrustConfig(production(vars));
      expect(load).toThrow(ConfigError);
      expect(load).toThrow(message);
    }
  });
});
