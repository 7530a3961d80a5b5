/**
 * The plan executor alone: TestQuery run by @apollo/gateway's executor and by ours (gateway/planExecution/)
 * in this one process, the subgraphs' answers replayed from their JSON text (parsed anew for every call, as
 * the fetcher does), so that what is measured is the execution, the merges and the shaping, not HTTP, the
 * subgraphs or the other processes on the machine. Every answer is checked against the oracle.
 *
 *   npx tsx bench/federation/planExecutor.ts            # 3 rounds of 2,000 requests each, alternately
 *   npx tsx bench/federation/planExecutor.ts --quick    # 1 round of 300
 *
 * Prints CPU µs per request and, per request, the fetches (before gateway/fetchBatching.ts joins a level's
 * fetches to one subgraph into one call), the entity representations sent and the subgraph answers' size.
 */
import { readFileSync } from 'node:fs';
import { ApolloGateway, LocalGraphQLDataSource, type GraphQLDataSource } from '@apollo/gateway';
import { parse } from 'graphql';
import { commandLine } from '../../platform/cli.js';
import { sha256Hex } from '../../platform/hash.js';
import type { GatewayRequestContext } from '../../gateway/gatewayInterface.js';
import { createPlanExecution } from '../../gateway/planExecution/executor.js';
import { buildBenchSubgraph, type SubgraphName } from './subgraphs/schemas.js';
import { COMMITTED_SUPERGRAPH } from './supergraph.js';
import { expectedAnswer, TEST_QUERY } from './testQuery.js';

const { values: options } = commandLine(
  process.argv.slice(2),
  { quick: { type: 'boolean', default: false } },
  'usage: planExecutor.ts [--quick]',
);
const rounds = options.quick ? 1 : 3;
const requests = options.quick ? 300 : 2_000;

/** What one executor's requests sent and received. */
interface Counts {
  fetches: number;
  representations: number;
  answerBytes: number;
}

/** A subgraph whose answers are recorded once (from the real bench subgraph) and replayed from text. */
class ReplayedSource implements GraphQLDataSource {
  private readonly local: LocalGraphQLDataSource;
  private readonly answers = new Map<string, string>();
  counts: Counts = { fetches: 0, representations: 0, answerBytes: 0 };
  constructor(name: SubgraphName) {
    this.local = new LocalGraphQLDataSource(buildBenchSubgraph(name));
  }
  async process(options: Parameters<GraphQLDataSource['process']>[0]) {
    const key = `${options.request.query ?? ''}\n${JSON.stringify(options.request.variables ?? {})}`;
    let text = this.answers.get(key);
    if (text === undefined) {
      text = JSON.stringify(await this.local.process(options));
      this.answers.set(key, text);
    }
    this.counts.fetches += 1;
    this.counts.representations += (options.request.variables?.representations as unknown[] | undefined)?.length ?? 0;
    this.counts.answerBytes += text.length;
    return JSON.parse(text) as Awaited<ReturnType<GraphQLDataSource['process']>>;
  }
}

const sources = new Map<string, ReplayedSource>();
const execution = createPlanExecution();
const gateway = new ApolloGateway({
  supergraphSdl: readFileSync(COMMITTED_SUPERGRAPH, 'utf8'),
  experimental_didResolveQueryPlan: execution.didResolveQueryPlan,
  buildService: ({ name }) => {
    const source = new ReplayedSource(name as SubgraphName);
    sources.set(name, source);
    return source;
  },
});
const own = (await execution.wrap(gateway).load({ apollo: { key: '', keyHash: '', graphRef: '', graphId: '', graphVariant: '' } } as never))
  .executor!;
const apollo = gateway.executor;
const document = parse(TEST_QUERY);
const queryHash = sha256Hex(TEST_QUERY);
const expected = JSON.stringify((expectedAnswer() as { data: unknown }).data);

const requestContext = () =>
  ({
    request: { query: TEST_QUERY, variables: {} },
    document,
    queryHash,
    operationName: 'TestQuery',
    schema: gateway.schema,
    context: {},
    logger: console,
    metrics: {},
    cache: undefined,
    overallCachePolicy: undefined,
  }) as unknown as GatewayRequestContext;

function resetCounts(): Counts {
  const total: Counts = { fetches: 0, representations: 0, answerBytes: 0 };
  for (const source of sources.values()) {
    total.fetches += source.counts.fetches;
    total.representations += source.counts.representations;
    total.answerBytes += source.counts.answerBytes;
    source.counts = { fetches: 0, representations: 0, answerBytes: 0 };
  }
  return total;
}

async function measure(name: string, executor: typeof apollo, count: number) {
  resetCounts();
  const started = process.cpuUsage();
  for (let index = 0; index < count; index += 1) {
    const result = await executor(requestContext());
    if (result.errors?.length || JSON.stringify(result.data) !== expected) throw new Error(`${name}: a wrong answer`);
  }
  const cpu = process.cpuUsage(started);
  const counts = resetCounts();
  return {
    name,
    cpuMicrosPerRequest: (cpu.user + cpu.system) / count,
    fetchesPerRequest: counts.fetches / count,
    representationsPerRequest: counts.representations / count,
    answerKiBPerRequest: counts.answerBytes / count / 1024,
  };
}

// Warm-up: both learn the plan and the answers are recorded; the JIT settles.
await measure('apollo', apollo, 200);
await measure('ours', own, 200);
for (let round = 1; round <= rounds; round += 1) {
  for (const [name, executor] of [
    ['@apollo/gateway executor', apollo],
    ['ungegraf executor', own],
  ] as const) {
    const row = await measure(name, executor, requests);
    process.stdout.write(
      `round ${round}  ${row.name.padEnd(26)} ${row.cpuMicrosPerRequest.toFixed(0).padStart(6)} µs CPU/request  ` +
        `${row.fetchesPerRequest.toFixed(0)} fetches, ${row.representationsPerRequest.toFixed(0)} representations, ` +
        `${row.answerKiBPerRequest.toFixed(1)} KiB of subgraph answers per request\n`,
    );
  }
}
await gateway.stop();
