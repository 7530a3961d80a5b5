/**
 * Child process of the graph benchmark: the six subgraphs over the systems at BENCH_SYSTEM_URLS (a
 * JSON object by system name), without a gateway. Ready (IPC) once the screening register is built:
 *   → { type: 'ready', subgraphUrls, targetGroupSize, registerSize }
 *   ← { type: 'stop' }
 */
import { startSubgraphs } from '../../stack/startStack.js';
import { createLogger } from '../../platform/logger.js';
import { todayIso } from '../../subgraphs/kit/dates.js';
import type { SystemName } from '../../systems/index.js';
import type { ParentMessage, SubgraphsMessage } from './protocol.js';

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
