/**
 * An `operationName` the document does not resolve (issue 11): unknown, not the name of the document's
 * only operation, or missing where the document has several. Before the fix the gateway answered 500
 * (INTERNAL_SERVER_ERROR); it is the client's mistake, so it is 400 OPERATION_RESOLUTION_FAILURE, by
 * POST, by GET, by automatic persisted query and by a partner's safelisted id, and no subgraph is asked.
 * The gateway is real: fixture subgraphs, the token verifier over a JWKS file, the access log (embedded).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openGatewaySecurity, type GatewaySecurity } from '../../gateway/authentication.js';
import { loadGatewayConfig } from '../../gateway/config.js';
import { buildManifest, safelistFrom } from '../../gateway/persistedOperations.js';
import { sha256Hex } from '../../platform/hash.js';
import { createGateway, type Gateway } from '../../gateway/server.js';
import { listen, type Listening } from '../../platform/graphqlHttp.js';
import { ISSUER, AUDIENCE, claims, makeKey, sign, writeJwks } from '../authentication/helpers.js';
import { startGrades, startPeople, type FixtureSubgraph } from '../gateway/fixtures/subgraphs.js';
import { captureLogger, fixtureSupergraph } from '../operations/helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'ungegraf-opname-'));
const MANIFEST = buildManifest([{ source: 'listed.graphql', text: 'query ListedPeople { people { id name } }' }]);
const LISTED = MANIFEST.operations[0]!;
let people: FixtureSubgraph;
let grades: FixtureSubgraph;
let access: GatewaySecurity;
let gateway: Gateway;
let server: Listening;
let userToken: string;
let partnerToken: string;
const { logger, lines } = captureLogger('info');

beforeAll(async () => {
  people = await startPeople();
  grades = await startGrades({ delayMs: 0, fail: 'none' });
  const key = await makeKey('k1');
  const jwksFile = join(tmp, 'jwks.json');
  await writeJwks(jwksFile, key);
  userToken = await sign(key, claims());
  partnerToken = await sign(
    key,
    claims({ scope: 'partner:education', role: 'partner-institution', org: 'partner/I-1', institution: 'I-1' }),
  );
  const supergraphPath = join(tmp, 'supergraph.graphql');
  writeFileSync(supergraphPath, fixtureSupergraph(tmp, 'v1'));
  const env = {
    AUTH_JWKS_FILE: jwksFile,
    AUTH_ISSUER: ISSUER,
    AUTH_AUDIENCE: AUDIENCE,
    AUDIT_DATA_DIR: join(tmp, 'audit'),
    DATABASE_URL: '',
    SUPERGRAPH_PATH: supergraphPath,
    SUPERGRAPH_POLL_MS: '0',
    SUBGRAPH_PEOPLE_URL: people.url,
    SUBGRAPH_GRADES_URL: grades.url,
  };
  access = await openGatewaySecurity(env, logger);
  gateway = await createGateway({ config: loadGatewayConfig(env), logger, access, safelist: safelistFrom(MANIFEST) });
  await gateway.start();
  server = await listen(gateway.handler, { port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  await server?.close();
  await gateway?.stop();
  await access?.close();
  await grades?.close();
  await people?.close();
  rmSync(tmp, { recursive: true, force: true });
});

interface Answer {
  status: number;
  body: { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] };
}

async function post(body: Record<string, unknown>, token = userToken): Promise<Answer> {
  const response = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Answer['body'] };
}

async function get(params: Record<string, string>, token = userToken): Promise<Answer> {
  const response = await fetch(`${server.url}/graphql?${new URLSearchParams(params)}`, {
    // Apollo Server's CSRF prevention wants a header a browser cannot send cross-site on a simple GET.
    headers: { authorization: `Bearer ${token}`, 'apollo-require-preflight': 'true' },
  });
  return { status: response.status, body: (await response.json()) as Answer['body'] };
}

/** 400, one error with the coded reason, no data, nothing internal. */
function expectUnresolved(answer: Answer): void {
  expect({ status: answer.status, codes: answer.body.errors?.map((e) => e.extensions?.code), data: answer.body.data }).toEqual({
    status: 400,
    codes: ['OPERATION_RESOLUTION_FAILURE'],
    data: undefined,
  });
  const text = JSON.stringify(answer.body);
  for (const leak of ['stack', 'at ', 'http://', 'Internal server error']) expect(text).not.toContain(leak);
}

const TWO = 'query First { people { id } } query Second { people { name } }';

describe('an operationName the document does not resolve', () => {
  it('an unknown name for a document with several operations', async () => {
    expectUnresolved(await post({ query: TWO, operationName: 'Third' }));
  });

  it('a name that is not the name of the only operation', async () => {
    expectUnresolved(await post({ query: 'query Mine { people { id } }', operationName: 'Other' }));
    expectUnresolved(await post({ query: '{ people { id } }', operationName: 'Named' }));
  });

  it('several operations and no name', async () => {
    expectUnresolved(await post({ query: TWO }));
    expectUnresolved(await post({ query: TWO, operationName: null }));
    expectUnresolved(await post({ query: TWO, operationName: '' }));
  });

  it('a long or odd name is not echoed back', async () => {
    const odd = `X${'y'.repeat(5000)}<script>`;
    const answer = await post({ query: TWO, operationName: odd });
    expectUnresolved(answer);
    expect(JSON.stringify(answer.body)).not.toContain('yyyyyyyy');
  });

  it('through GET', async () => {
    expectUnresolved(await get({ query: TWO, operationName: 'Third' }));
    expectUnresolved(await get({ query: TWO }));
    expectUnresolved(await get({ query: 'query Mine { people { id } }', operationName: 'Other' }));
  });

  it('through an automatic persisted query', async () => {
    const extensions = { persistedQuery: { version: 1, sha256Hash: sha256Hex(TWO) } };
    // Registered with a good name first, then asked for by hash with a bad one, or none.
    expect((await post({ query: TWO, operationName: 'First', extensions })).status).toBe(200);
    expectUnresolved(await post({ operationName: 'Third', extensions }));
    expectUnresolved(await post({ extensions }));
    expectUnresolved(await get({ operationName: 'Third', extensions: JSON.stringify(extensions) }));
  });

  it('through a partner’s safelisted operation', async () => {
    const extensions = { persistedQuery: { version: 1, sha256Hash: LISTED.id } };
    expect(await post({ operationName: 'ListedPeople', extensions }, partnerToken)).toMatchObject({
      status: 200,
      body: { data: { people: expect.any(Array) as unknown } },
    });
    expectUnresolved(await post({ operationName: 'Other', extensions }, partnerToken));
    expectUnresolved(await post({ query: LISTED.body, operationName: 'Other' }, partnerToken));
  });

  it('asks no subgraph, and logs no internal error', async () => {
    let asked = 0;
    const count = () => (asked += 1);
    people.listening.server.on('request', count);
    try {
      expectUnresolved(await post({ query: TWO, operationName: 'Third' }));
      expectUnresolved(await post({ query: TWO }));
    } finally {
      people.listening.server.off('request', count);
    }
    expect(asked).toBe(0);
    expect(lines.filter((line) => line.level >= 50).map((line) => line.msg)).toEqual([]);
  });

  it('still runs the named operation when the name is right', async () => {
    expect(await post({ query: TWO, operationName: 'Second' })).toMatchObject({
      status: 200,
      body: { data: { people: [{ name: expect.any(String) as unknown }, {}, {}] } },
    });
  });
});
