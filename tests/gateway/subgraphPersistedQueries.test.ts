/**
 * The gateway sends a subgraph operation's text once, then its hash alone (automatic persisted queries,
 * gateway/subgraphPersistedQueries.ts), against real Apollo subgraphs on loopback: one that serves APQ,
 * one that forgets (restarted), one that does not serve it. The answers are the same as with the text.
 */
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { buildSchema, graphql } from 'graphql';
import { afterEach, describe, expect, it } from 'vitest';
import { SubgraphDataSource } from '../../gateway/subgraphDataSource.js';
import { createLogger } from '../../platform/logger.js';
import { PEOPLE, startPeople, type FixtureSubgraph } from './fixtures/subgraphs.js';

const logger = createLogger('subgraph-apq-test');
const QUERY = 'query People__people__0 { people { id name } }';
const HASH = createHash('sha256').update(QUERY).digest('hex');

interface SentBody {
  query?: string;
  extensions?: { persistedQuery?: { version: number; sha256Hash: string } };
}

/**
 * A GraphQL server that is not Apollo and ignores `extensions`, as many are: no query text is a bad
 * request, answered with HTTP 400 or, with `status: 200`, as a request error.
 */
async function plainServer(status: 200 | 400): Promise<{ subgraph: FixtureSubgraph; executed: () => number }> {
  const schema = buildSchema('type Person { id: ID! name: String! } type Query { people: [Person!]! }');
  let executed = 0;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const { query, variables } = JSON.parse(body) as { query?: string; variables?: Record<string, unknown> };
      res.setHeader('content-type', 'application/json');
      if (typeof query !== 'string') {
        res.statusCode = status;
        res.end(JSON.stringify({ errors: [{ message: 'Must provide query string.' }] }));
        return;
      }
      executed += 1;
      void graphql({ schema, source: query, variableValues: variables, rootValue: { people: PEOPLE } }).then((result) =>
        res.end(JSON.stringify(result)),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const subgraph = {
    url: `http://127.0.0.1:${port}/graphql`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  } as unknown as FixtureSubgraph;
  started.push(subgraph);
  return { subgraph, executed: () => executed };
}

/** A data source whose calls go to whichever subgraph `target` points at now, recording each body sent. */
function recordingSource(name: string, target: { subgraph: FixtureSubgraph }) {
  const sent: SentBody[] = [];
  const forward: typeof fetch = async (_url, init) => {
    sent.push(JSON.parse(typeof init?.body === 'string' ? init.body : '{}') as SentBody);
    return fetch(target.subgraph.url, init);
  };
  const source = new SubgraphDataSource({ name, url: 'http://127.0.0.1:9/graphql', timeoutMs: 2_000, logger, fetch: forward });
  const ask = () =>
    source.process({
      kind: 'incoming operation',
      request: {
        query: QUERY,
        variables: {},
        operationName: 'People__people__0',
        http: { method: 'POST', url: '', headers: new Headers() },
      },
      context: { requestId: 'apq-1' },
      incomingRequestContext: { operation: { operation: 'query' }, request: { http: { headers: new Map() } } },
    } as unknown as Parameters<SubgraphDataSource['process']>[0]);
  /** What each body carried: the text, the hash, or both. */
  const shapes = () =>
    sent.map((body) => `${body.query === undefined ? '' : 'text'}${body.extensions?.persistedQuery ? '+hash' : ''}`.replace(/^\+/, ''));
  return { ask, sent, shapes };
}

const expected = { data: { people: PEOPLE.map(({ id, name }) => ({ id, name })) } };
const started: FixtureSubgraph[] = [];
const start = async (options?: { apq?: boolean }) => {
  const subgraph = await startPeople(options);
  started.push(subgraph);
  return subgraph;
};

afterEach(async () => {
  await Promise.all(started.splice(0).map((subgraph) => subgraph.close()));
});

describe('automatic persisted queries from the gateway to its subgraphs', () => {
  it('sends the text with its hash once, then the hash alone, with the same answer', async () => {
    const target = { subgraph: await start() };
    const { ask, sent, shapes } = recordingSource('people-apq', target);
    expect(await ask()).toEqual(expected);
    expect(await ask()).toEqual(expected);
    expect(await ask()).toEqual(expected);
    expect(shapes()).toEqual(['text+hash', 'hash', 'hash']);
    expect(sent.every((body) => body.extensions?.persistedQuery?.sha256Hash === HASH)).toBe(true);
  });

  it('sends the text again, unseen by the client, when the subgraph has forgotten it (restarted)', async () => {
    const target = { subgraph: await start() };
    const { ask, shapes } = recordingSource('people-restarted', target);
    expect(await ask()).toEqual(expected);
    target.subgraph = await start();
    expect(await ask()).toEqual(expected);
    expect(await ask()).toEqual(expected);
    expect(shapes()).toEqual(['text+hash', 'hash', 'text+hash', 'hash']);
  });

  it('falls back to plain calls for a subgraph that does not serve persisted queries, and stays there', async () => {
    const target = { subgraph: await start({ apq: false }) };
    const { ask, shapes } = recordingSource('people-no-apq', target);
    expect(await ask()).toEqual(expected);
    expect(await ask()).toEqual(expected);
    expect(shapes()).toEqual(['text+hash', 'text', 'text']);
  });

  it.each([400, 200] as const)(
    'falls back to plain calls for a server that wants the text (the hash alone answered %i, nothing ran), running each call once',
    async (status) => {
      const plain = await plainServer(status);
      const { ask, shapes } = recordingSource(`plain-${status}`, { subgraph: plain.subgraph });
      for (let i = 0; i < 3; i++) expect(await ask()).toEqual(expected);
      expect(shapes()).toEqual(['text+hash', 'hash', 'text', 'text']);
      expect(plain.executed()).toBe(3);
    },
  );
});
