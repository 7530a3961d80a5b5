/**
 * Child process of the national benchmark (national.ts): the subgraphs named in BENCH_PARTS (registry
 * names, comma-separated) over the systems at BENCH_SYSTEM_URLS, each on a free port, as their own
 * processes build them (subgraphs/registry.ts). The coordination gets a process of its own, so that its
 * memory is measured alone. Over the IPC channel:
 *   → { type: 'ready', subgraphUrls }                 (the coordination's first screening is still running)
 *   ← { type: 'firstScreening', id } → { type: 'screened', id, result | error }   (when the run at start is over)
 *   ← { type: 'screen', id } → { type: 'screened', id, result | error }   (one more run)
 *   ← { type: 'stop' }
 */
import type { BuiltPart, CoordinationPart, SubgraphName } from '../../subgraphs/registry.js';
import type { Listening } from '../../platform/graphqlHttp.js';
import type { SystemName } from '../../systems/index.js';
import type * as RegistryModule from '../../subgraphs/registry.js';
import type * as AuthModule from '../../subgraphs/kit/auth.js';
import type * as GraphqlHttpModule from '../../platform/graphqlHttp.js';
import type * as LoggerModule from '../../platform/logger.js';
import type * as GenerateModule from '../../systems/population/generate.js';
import type { ParentMessage, PartsMessage } from './protocol.js';

// The parts as the image runs them: the production build's JavaScript (dist/, made by the parent,
// processes.ts). This file itself runs without a loader (Node strips its types), so it imports no
// TypeScript source.
const fromBuild = <Module>(path: string) => import(new URL(`../../dist/${path}`, import.meta.url).href) as Promise<Module>;
const { SUBGRAPH_NAMES, SUBGRAPH_REGISTRY } = await fromBuild<typeof RegistryModule>('subgraphs/registry.js');
const { createAuthenticate } = await fromBuild<typeof AuthModule>('subgraphs/kit/auth.js');
const { listen } = await fromBuild<typeof GraphqlHttpModule>('platform/graphqlHttp.js');
const { createLogger } = await fromBuild<typeof LoggerModule>('platform/logger.js');
const { DEFAULT_AS_OF } = await fromBuild<typeof GenerateModule>('systems/population/generate.js');

const logger = createLogger('bench-parts');
const env = process.env;
const names = (env.BENCH_PARTS ?? '')
  .split(',')
  .filter((name): name is SubgraphName => (SUBGRAPH_NAMES as readonly string[]).includes(name));
const systemUrls = JSON.parse(env.BENCH_SYSTEM_URLS ?? '{}') as Record<SystemName, string>;
// The day the population describes: the rules and the population agree, as in the stack.
const populationDay = env.POPULATION_AS_OF || DEFAULT_AS_OF;
const send = (message: PartsMessage) => process.send?.(message);

const authenticate = await createAuthenticate(env, logger.child({ part: 'auth' }));
const parts: { part: BuiltPart; server: Listening }[] = [];
let coordination: CoordinationPart | undefined;
const subgraphUrls: Record<string, string> = {};
for (const name of names) {
  const build = { env, logger: logger.child({ subgraph: name }), authenticate, systemUrls, today: () => populationDay };
  const part: BuiltPart =
    name === 'coordination'
      ? (coordination = await SUBGRAPH_REGISTRY.coordination.build(build))
      : await SUBGRAPH_REGISTRY[name].build(build);
  const server = await listen(await part.subgraph.start(), { port: 0, host: '127.0.0.1' });
  parts.push({ part, server });
  subgraphUrls[name] = `${server.url}/graphql`;
}

const stop = () =>
  void (async () => {
    for (const { part, server } of parts.reverse()) {
      await server.close().catch(() => undefined);
      await part.subgraph.stop().catch(() => undefined);
      await part.close().catch(() => undefined);
    }
  })().finally(() => process.exit(0));

const answer = (id: number, run: Promise<{ youths: number; inTargetGroup: number; durationMs: number }>) =>
  void run.then(
    (result) => send({ type: 'screened', id, result }),
    (error: unknown) => send({ type: 'screened', id, error: error instanceof Error ? error.message : String(error) }),
  );

/** The first run, started by the coordination's own schedule, as the store recorded it. */
const firstRun = async () => {
  await coordination!.firstScreening;
  const { lastRun } = await coordination!.store.screeningStatus();
  if (lastRun?.status !== 'SUCCEEDED')
    throw new Error(`the first screening run ${lastRun?.status ?? 'did not run'}: ${lastRun?.error ?? ''}`);
  const startedAt = Date.parse(lastRun.startedAt);
  return { youths: lastRun.youths ?? 0, inTargetGroup: -1, durationMs: Date.parse(lastRun.finishedAt ?? lastRun.startedAt) - startedAt };
};

process.on('message', (message: ParentMessage) => {
  if (message.type === 'screen' && coordination) answer(message.id, coordination.screen());
  else if (message.type === 'firstScreening' && coordination) answer(message.id, firstRun());
  else if (message.type === 'stop') stop();
});
process.on('disconnect', stop);

send({ type: 'ready', subgraphUrls });
