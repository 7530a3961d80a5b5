/**
 * The plugin in front of @apollo/gateway: the gateway's executor plans and runs the document the plugin
 * left in `requestContext.document`, so a young person reached through another subgraph is identified
 * although the client never selected an id, and a cached query plan keeps doing so.
 */
import { composeServices } from '@apollo/composition';
import { ApolloGateway, LocalGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessLogPlugin, type AuditContext } from '../../gateway/accessLog/plugin.js';
import type { AccessLogEntry, AccessLogWriter } from '../../gateway/accessLog/store.js';
import { logger } from './backends.js';

const LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key"])';

const youths = [
  { id: 'Y-1', firstName: 'Asta', lastName: 'Holm' },
  { id: 'Y-2', firstName: 'Bo', lastName: 'Krogh' },
];

const people = {
  typeDefs: parse(`${LINK}
    type Query { youth(id: ID!): Youth }
    type Youth @key(fields: "id") { id: ID! firstName: String! lastName: String! }`),
  resolvers: {
    Query: { youth: (_: unknown, { id }: { id: string }) => youths.find((y) => y.id === id) ?? null },
    Youth: { __resolveReference: (ref: { id: string }) => youths.find((y) => y.id === ref.id) ?? null },
  },
};

const contacts = {
  typeDefs: parse(`${LINK}
    type Query { contactPersons: [ContactPerson!]! }
    type ContactPerson { name: String! assignments: [Assignment!]! }
    type Assignment { youth: Youth! }
    type Youth @key(fields: "id", resolvable: false) { id: ID! }`),
  resolvers: {
    Query: { contactPersons: () => [{ name: 'Mette Kjær', assignments: [{ youth: { id: 'Y-2' } }, { youth: { id: 'Y-1' } }] }] },
  },
};

/** Records in memory, and counts what each subgraph was asked. */
const recorded: AccessLogEntry[] = [];
const store: AccessLogWriter = {
  record: async (entries) => {
    recorded.push(...entries);
  },
};
const subgraphQueries: Record<string, string[]> = { people: [], contacts: [] };

class CountingDataSource extends LocalGraphQLDataSource {
  constructor(
    private readonly name: string,
    schema: ReturnType<typeof buildSubgraphSchema>,
  ) {
    super(schema);
  }
  override process(options: Parameters<LocalGraphQLDataSource['process']>[0]) {
    subgraphQueries[this.name]?.push(options.request.query ?? '');
    return super.process(options);
  }
}

let apollo: ApolloServer<AuditContext>;

beforeAll(async () => {
  process.env.APOLLO_TELEMETRY_DISABLED = '1';
  const composed = composeServices([
    { name: 'people', url: 'http://people.invalid/graphql', typeDefs: people.typeDefs },
    { name: 'contacts', url: 'http://contacts.invalid/graphql', typeDefs: contacts.typeDefs },
  ]);
  if (composed.errors) throw new Error(composed.errors.map((e) => e.message).join('\n'));
  const schemas = {
    people: buildSubgraphSchema({ typeDefs: people.typeDefs, resolvers: people.resolvers }),
    contacts: buildSubgraphSchema({ typeDefs: contacts.typeDefs, resolvers: contacts.resolvers }),
  };
  const gateway = new ApolloGateway({
    supergraphSdl: composed.supergraphSdl,
    logger,
    buildService: ({ name }) => new CountingDataSource(name, schemas[name as keyof typeof schemas]),
  });
  apollo = new ApolloServer<AuditContext>({
    gateway,
    logger,
    plugins: [accessLogPlugin<AuditContext>({ store, logger, categoryOf: (c) => (c.startsWith('Youth.') ? 'identity' : null) })],
  });
  await apollo.start();
});

afterAll(async () => {
  await apollo?.stop();
});

const contextValue: AuditContext = {
  requestId: 'req-gw',
  identity: { subject: 'mette.kjaer', organisation: 'aalborg/uu', role: 'uu-counsellor', scopes: ['youth:identity'] },
};

async function run(query: string) {
  const response = await apollo.executeOperation({ query }, { contextValue });
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  return { status: response.http.status, result: response.body.singleResult };
}

describe('accessLogPlugin in front of @apollo/gateway', () => {
  it('identifies young people reached through another subgraph, and the client never sees the alias', async () => {
    const query = 'query Caseload { contactPersons { name assignments { youth { firstName } } } }';
    for (let run_ = 0; run_ < 2; run_++) {
      recorded.length = 0;
      subgraphQueries['contacts'] = [];
      const { status, result } = await run(query);
      expect(status ?? 200).toBe(200);
      expect(result.errors).toBeUndefined();
      expect(result.data).toEqual({
        contactPersons: [{ name: 'Mette Kjær', assignments: [{ youth: { firstName: 'Bo' } }, { youth: { firstName: 'Asta' } }] }],
      });
      expect(JSON.stringify(result)).not.toContain('__audit');
      // The plan asks the contacts subgraph for the id under the reserved alias (the second run from the plan cache).
      expect(subgraphQueries['contacts']?.join('\n')).toContain('__audit_youth_id:id');
      expect(recorded.map((e) => [e.youthId, e.fields, e.categories, e.operationName])).toEqual([
        ['Y-2', ['Youth.firstName'], ['identity'], 'Caseload'],
        ['Y-1', ['Youth.firstName'], ['identity'], 'Caseload'],
      ]);
    }
  });

  it('keeps plans apart for query texts that differ (the plan cache is keyed by the text)', async () => {
    recorded.length = 0;
    const { result } = await run('{ youth(id: "Y-1") { lastName } }');
    expect(result.data).toEqual({ youth: { lastName: 'Holm' } });
    expect(recorded.map((e) => e.youthId)).toEqual(['Y-1']);
    recorded.length = 0;
    const again = await run('{ youth(id: "Y-1") { lastName id } }');
    expect(again.result.data).toEqual({ youth: { lastName: 'Holm', id: 'Y-1' } });
    expect(recorded.map((e) => e.fields)).toEqual([['Youth.id', 'Youth.lastName']]);
  });
});
