/**
 * The subgraph fetcher (gateway/fetcher.ts) against a real HTTP server on port 0: identical queries in
 * flight are sent once, anything that could change the answer (the token, the body) keeps calls apart,
 * mutations are always sent, and each caller gets its own copy within its own deadline.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSubgraphFetcher, sharable } from '../../gateway/fetcher.js';
import { ANSWER_VARIES_HEADER, type CallerClaims } from '../../platform/authorization/answerVaries.js';

interface Seen {
  authorization: string | undefined;
  requestId: string | undefined;
  body: string;
}

let server: Server;
let url: string;
let seen: Seen[] = [];
let delayMs = 50;
/** What the server says its answer read of the caller (undefined: it says nothing). */
let varies: string | undefined;

async function bodyOf(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

beforeAll(async () => {
  server = createServer((req, res) => {
    void bodyOf(req).then((body) => {
      seen.push({ authorization: req.headers.authorization, requestId: req.headers['x-request-id'] as string | undefined, body });
      setTimeout(() => {
        res.writeHead(200, { 'content-type': 'application/json', ...(varies === undefined ? {} : { [ANSWER_VARIES_HEADER]: varies }) });
        res.end(JSON.stringify({ data: { echo: body, calls: seen.length } }));
      }, delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/graphql`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

beforeEach(() => {
  seen = [];
  delayMs = 50;
  varies = undefined;
});

const init = (body: string, headers: Record<string, string> = {}) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body,
});

describe('subgraph fetcher', () => {
  it('sends identical queries in flight once; each caller parses its own copy', async () => {
    const fetcher = createSubgraphFetcher({ timeoutMs: 2000 });
    const calls = [1, 2, 3, 4, 5].map((i) =>
      sharable.run(true, () => fetcher(url, init('{"query":"{ a }"}', { authorization: 'Bearer t1', 'x-request-id': `r-${i}` }))),
    );
    const bodies = (await Promise.all((await Promise.all(calls)).map((response) => response.json()))) as { data: { echo: string } }[];
    expect(seen).toHaveLength(1);
    expect(fetcher.stats).toEqual({ sent: 1, shared: 4, refitted: 0 });
    expect(bodies.every((body) => body.data.echo === '{"query":"{ a }"}')).toBe(true);
    bodies[0]!.data.echo = 'changed by one caller';
    expect(bodies[1]!.data.echo).toBe('{"query":"{ a }"}');
  });

  it('keeps calls apart that differ in token or body, and sends again once the first has answered', async () => {
    const fetcher = createSubgraphFetcher({ timeoutMs: 2000 });
    await Promise.all([
      sharable.run(true, () => fetcher(url, init('{"query":"{ a }"}', { authorization: 'Bearer t1' }))),
      sharable.run(true, () => fetcher(url, init('{"query":"{ a }"}', { authorization: 'Bearer t2' }))),
      sharable.run(true, () => fetcher(url, init('{"query":"{ b }"}', { authorization: 'Bearer t1' }))),
    ]);
    expect(seen.map((s) => `${s.authorization} ${s.body}`).sort()).toEqual([
      'Bearer t1 {"query":"{ a }"}',
      'Bearer t1 {"query":"{ b }"}',
      'Bearer t2 {"query":"{ a }"}',
    ]);
    await sharable.run(true, () => fetcher(url, init('{"query":"{ a }"}', { authorization: 'Bearer t1' })));
    expect(seen).toHaveLength(4);
  });

  it('always sends a call not marked sharable (a mutation), and when deduplication is off', async () => {
    const fetcher = createSubgraphFetcher({ timeoutMs: 2000 });
    const mutation = init('{"query":"mutation { save }"}', { authorization: 'Bearer t1' });
    await Promise.all([fetcher(url, mutation), fetcher(url, mutation), sharable.run(false, () => fetcher(url, mutation))]);
    expect(seen).toHaveLength(3);
    const off = createSubgraphFetcher({ timeoutMs: 2000, dedupe: false });
    await Promise.all([1, 2].map(() => sharable.run(true, () => off(url, init('{"query":"{ a }"}')))));
    expect(seen).toHaveLength(5);
  });

  it('lets a caller with less time give up without cancelling the call for the others', async () => {
    delayMs = 300;
    let deadline = 2000;
    const fetcher = createSubgraphFetcher({ timeoutMs: 2000, deadlineMs: () => deadline });
    const patient = sharable.run(true, () => fetcher(url, init('{"query":"{ a }"}')));
    deadline = 50;
    const hurried = sharable.run(true, () => fetcher(url, init('{"query":"{ a }"}')));
    await expect(hurried).rejects.toMatchObject({ name: 'TimeoutError' });
    const answer = (await (await patient).json()) as { data: { echo: string } };
    expect(answer.data.echo).toBe('{"query":"{ a }"}');
    expect(seen).toHaveLength(1);
  });

  it('times a lone call out at its deadline', async () => {
    delayMs = 300;
    const fetcher = createSubgraphFetcher({ timeoutMs: 50 });
    await expect(fetcher(url, init('{"query":"{ a }"}'))).rejects.toMatchObject({ name: 'TimeoutError' });
  });

  describe('between callers (what the answer read of them)', () => {
    const caller = (subject: string, role = 'uu-counsellor'): CallerClaims => ({
      subject,
      role,
      organisation: 'aalborg/uu',
      institution: null,
      scopes: new Set(['youth:read']),
    });
    /** A call as a verified caller makes it: its own credential, its claims for the key. */
    const callAs = (fetcher: ReturnType<typeof createSubgraphFetcher>, who: CallerClaims, query = '{ a }') =>
      sharable.run({ caller: who }, () =>
        fetcher(url, init(JSON.stringify({ query }), { authorization: `Bearer credential-of-${who.subject}` })),
      );
    const round = (fetcher: ReturnType<typeof createSubgraphFetcher>, callers: CallerClaims[]) =>
      Promise.all(callers.map((who) => callAs(fetcher, who).then((response) => response.json())));

    it('shares a call between distinct users once the answer said it reads only claims they share', async () => {
      const fetcher = createSubgraphFetcher({ timeoutMs: 2_000 });
      varies = 'role,scopes';
      const users = ['ab', 'cd', 'ef', 'gh'].map((subject) => caller(subject));
      // Nothing known yet: each credential its own call.
      await round(fetcher, users.slice(0, 2));
      expect(seen).toHaveLength(2);
      seen = [];
      await round(fetcher, users);
      expect(seen).toHaveLength(1);
      expect(fetcher.stats).toMatchObject({ sent: 3, shared: 3, refitted: 0 });
    });

    it('keeps callers apart who differ in a claim the answer reads', async () => {
      const fetcher = createSubgraphFetcher({ timeoutMs: 2_000 });
      varies = 'role,scopes';
      await round(fetcher, [caller('ab')]);
      seen = [];
      await round(fetcher, [caller('ab'), caller('cd', 'jobcenter-advisor'), caller('ef'), caller('gh', 'jobcenter-advisor')]);
      expect(seen).toHaveLength(2);
      expect(new Set(seen.map((call) => call.authorization)).size).toBe(2);
    });

    it('sends its own call when the shared answer turns out to have read a claim the callers differ in', async () => {
      const fetcher = createSubgraphFetcher({ timeoutMs: 2_000 });
      varies = 'role';
      await round(fetcher, [caller('ab')]);
      // The answer now depends on who asks (as a young person's own data does): the joiners must not take it.
      varies = 'subject,role';
      seen = [];
      const answers = await round(fetcher, [caller('ab'), caller('cd'), caller('ef')]);
      expect(seen).toHaveLength(3);
      expect(fetcher.stats.refitted).toBe(2);
      expect(answers.every((answer) => typeof answer === 'object')).toBe(true);
      // And having learned it, it keys them apart from the start.
      seen = [];
      await round(fetcher, [caller('ab'), caller('cd')]);
      expect(seen).toHaveLength(2);
      expect(fetcher.stats.refitted).toBe(2);
    });

    it('never shares across callers when the subgraph does not say what its answer read', async () => {
      const fetcher = createSubgraphFetcher({ timeoutMs: 2_000 });
      const users = ['ab', 'cd', 'ef'].map((subject) => caller(subject));
      await round(fetcher, users);
      seen = [];
      await round(fetcher, users);
      expect(seen).toHaveLength(3);
    });
  });
});
