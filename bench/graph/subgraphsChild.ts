/**
 * Child process of the graph benchmark: the six subgraphs over the systems at BENCH_SYSTEM_URLS (a
 * JSON object by system name), without a gateway. Ready (IPC) once the screening register is built:
 *   → { type: 'ready', subgraphUrls, targetGroupSize, registerSize }
 *   ← { type: 'stop' }
 */
import type { SystemName } from '../../systems/index.js';
import type * as StartStackModule from '../../stack/startStack.js';
import type * as LoggerModule from '../../platform/logger.js';
import type * as DatesModule from '../../subgraphs/kit/dates.js';
import type { ParentMessage, SubgraphsMessage } from './protocol.js';

// The subgraphs as the image runs them: the production build's JavaScript (dist/, made by the parent,
// processes.ts). This file itself runs without a loader (Node strips its types), so it imports no
// TypeScript source.
const fromBuild = <Module>(path: string) => import(new URL(`../../dist/${path}`, import.meta.url).href) as Promise<Module>;
const { startSubgraphs } = await fromBuild<typeof StartStackModule>('stack/startStack.js');
const { createLogger } = await fromBuild<typeof LoggerModule>('platform/logger.js');
const { todayIso } = await fromBuild<typeof DatesModule>('subgraphs/kit/dates.js');

const logger = createLogger('bench-subgraphs');
const systemUrls = JSON.parse(process.env.BENCH_SYSTEM_URLS ?? '{}') as Record<SystemName, string>;
const subgraphs = await startSubgraphs({ logger, awaitScreening: true, systemUrls });

// The day the coordination evaluates the rules for (its default: today in Copenhagen).
const today = todayIso();
const targetGroup = await subgraphs.store.queryScreening({ inTargetGroup: true, asOf: today, first: 1 });
const everyone = await subgraphs.store.queryScreening({ asOf: today, first: 1 });

const stop = () => void subgraphs.close().finally(() => process.exit(0));
process.on('message', (message: ParentMessage) => {
  if (message.type === 'stop') stop();
});
process.on('disconnect', stop);

const ready: SubgraphsMessage = {
  type: 'ready',
  subgraphUrls: subgraphs.subgraphUrls,
  targetGroupSize: targetGroup.totalCount ?? 0,
  registerSize: everyone.totalCount ?? 0,
};
process.send?.(ready);
