/**
 * A subgraph tells the gateway which of the caller's claims its answer read (subgraphs/kit/server.ts,
 * platform/authorization/answerVaries.ts): recorded as the resolvers read them, so an answer that reads
 * the caller's id says so, and one that reads nothing of the caller says that. The gateway shares an
 * answer between callers only on the strength of this header.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSubgraph, type CallerIdentity, type SubgraphContext } from '../../subgraphs/kit/server.js';
import { listen } from '../../platform/graphqlHttp.js';
import { createLogger } from '../../platform/logger.js';
import { ANSWER_VARIES_HEADER, parseClaimSet, EVERYTHING } from '../../platform/authorization/answerVaries.js';

const typeDefs = `
  type Query {
    "Reads nothing of the caller."
    open: String
    "The caller's own id."
    mine: String
    "Depends on the caller's role, and for a young person on who they are."
    note: String
  }
`;

const identity: CallerIdentity = {
  subject: 'u-1',
  role: 'uu-counsellor',
  organisation: 'aalborg/uu',
  institution: null,
  scopes: new Set(),
};

let url: string;
let close: () => Promise<void>;

beforeAll(async () => {
  const subgraph = createSubgraph<SubgraphContext>({
    name: 'probe',
    typeDefs,
    resolvers: {
      Query: {
        open: () => 'for anyone',
        mine: (_: unknown, __: unknown, context: SubgraphContext) => context.identity.subject,
        note: (_: unknown, __: unknown, context: SubgraphContext) =>
          context.identity.role === 'youth' ? `yours, ${context.identity.subject}` : 'for staff',
      },
    },
    authenticate: async (authorization) => {
      if (authorization !== 'Bearer gateway') throw new Error('not the gateway');
      return { ...identity };
    },
    context: (base) => base,
    logger: createLogger('answer-varies-test'),
  });
  const listening = await listen(await subgraph.start(), { port: 0, host: '127.0.0.1' });
  url = `${listening.url}/graphql`;
  close = async () => {
    await subgraph.stop();
    await listening.close();
  };
});

afterAll(async () => close?.());

async function headerFor(query: string, authorization = 'Bearer gateway'): Promise<string | null> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization },
    body: JSON.stringify({ query }),
  });
  await response.text();
  return response.headers.get(ANSWER_VARIES_HEADER);
}

describe('the claims an answer read', () => {
  it('are named in the answer: none, the subject, the role', async () => {
    // No field here has a rule, so not even the scopes are read.
    expect(await headerFor('{ open }')).toBe('');
    expect(await headerFor('{ mine }')).toBe('subject');
    // A staff caller's note reads the role only (a young person's would read who they are too).
    expect(await headerFor('{ note }')).toBe('role');
    expect(await headerFor('{ open note mine }')).toBe('subject,role');
  });

  it('are not claimed for a refused call (the gateway then shares nothing)', async () => {
    expect(parseClaimSet(await headerFor('{ open }', 'Bearer someone-else'))).toBe(EVERYTHING);
  });
});
