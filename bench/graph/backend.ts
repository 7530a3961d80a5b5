/**
 * Child process of the graph benchmark: the five simulated systems and the six subgraphs (no gateway:
 * the gateway runs in a process of its own so its CPU and memory can be measured alone). Configured
 * from the environment the parent passes (latency, population scale, data directories, ...).
 *
 * Talks to the parent over the IPC channel:
 *   → { type: 'ready', subgraphUrls, dossierIds, targetGroupSize, registerSize }
 *   ← { type: 'stats', id }   → { type: 'stats', id, systems: { school: SystemCallCounts, ... } }
 *   ← { type: 'resetStats', id } → { type: 'resetStats', id }
 *   ← { type: 'stop' }        (closes everything and exits)
 */
import { startBackend } from '../../stack/startStack.js';
import { createLogger } from '../../platform/logger.js';
import { SYSTEM_NAMES } from '../../systems/index.js';
import { todayIso } from '../../subgraphs/kit/dates.js';
import type { BackendMessage, ParentMessage, SystemCallCounts } from './protocol.js';

const logger = createLogger('bench-backend');
const send = (message: BackendMessage) => process.send?.(message);

const backend = await startBackend({ logger, awaitScreening: true });
// The day the coordination evaluates the rules for (its default: today in Copenhagen).
const today = todayIso();

// Young people spread over the whole population (every k-th of UU's register), so that no cache or
// locality flatters the dossier figures.
const people = backend.systems.population.people;
const wanted = Math.min(people.length, Number(process.env.BENCH_DOSSIER_IDS ?? 2000));
const step = people.length / wanted;
const dossierIds = Array.from({ length: wanted }, (_, i) => people[Math.floor(i * step)]!.uuId);
const targetGroup = await backend.store.queryScreening({ inTargetGroup: true, asOf: today, first: 1 });
const everyone = await backend.store.queryScreening({ asOf: today, first: 1 });

function counts(): Record<string, SystemCallCounts> {
  return Object.fromEntries(
    SYSTEM_NAMES.map((name) => {
      const stats = backend.systems.systems[name].stats;
      return [name, { calls: stats.calls, byRoute: { ...stats.byRoute }, inFlight: stats.inFlight, maxInFlight: stats.maxInFlight }];
    }),
  );
}

process.on('message', (message: ParentMessage) => {
  switch (message.type) {
    case 'stats':
      send({ type: 'stats', id: message.id, systems: counts() });
      return;
    case 'resetStats':
      for (const name of SYSTEM_NAMES) backend.systems.systems[name].stats.reset();
      send({ type: 'resetStats', id: message.id });
      return;
    case 'stop':
      void backend.close().finally(() => process.exit(0));
      return;
  }
});
// The parent went away: do not linger holding ports and the database.
process.on('disconnect', () => void backend.close().finally(() => process.exit(0)));

send({
  type: 'ready',
  subgraphUrls: backend.subgraphUrls,
  dossierIds,
  targetGroupSize: targetGroup.totalCount,
  registerSize: everyone.totalCount,
});
