/**
 * The gateway sends a subgraph operation's text once, then its hash alone (automatic persisted queries,
 * gateway/subgraphPersistedQueries.ts), against real Apollo subgraphs on loopback: one that serves APQ,
 * one that forgets (restarted), one that does not serve it. The answers are the same as with the text.
 */
import { createHash } from 'node:crypto';
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
});
