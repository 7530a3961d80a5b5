/**
 * Child process of the change-feed benchmark (changeFeed.ts): the five simulated systems, configured from
 * the environment the parent passes (population scale, latency, ports 0), which make changes at a steady
 * rate when asked (systems/kit/changes.ts). Over the IPC channel:
 *   → { type: 'ready', systemUrls }
 *   ← { type: 'changes', rate, count } → { type: 'changed', made }   (when the last change is made)
 *   ← { type: 'stats' } → { type: 'stats', calls }                    (calls per system and route so far)
 *   ← { type: 'stop' }
 */
import { SYSTEM_NAMES, startSystems } from '../../systems/index.js';
import { simulateChanges } from '../../systems/kit/changes.js';

export type ChangeSystemsMessage =
  | { type: 'ready'; systemUrls: Record<string, string> }
  | { type: 'changed'; made: number }
  | { type: 'stats'; calls: Record<string, { calls: number; byRoute: Record<string, number> }> };
export type ChangeParentMessage = { type: 'changes'; rate: number; count: number } | { type: 'stats' } | { type: 'stop' };

const send = (message: ChangeSystemsMessage) => process.send?.(message);
const running = await startSystems({ env: process.env });

const stop = () => void running.close().finally(() => process.exit(0));
process.on('message', (message: ChangeParentMessage) => {
  if (message.type === 'changes') {
    const run = simulateChanges(running.systems, running.population, { ratePerSecond: message.rate, count: message.count });
    void run.done.then((made) => send({ type: 'changed', made }));
  } else if (message.type === 'stats') {
    send({
      type: 'stats',
      calls: Object.fromEntries(
        SYSTEM_NAMES.map((name) => [
          name,
          { calls: running.systems[name].stats.calls, byRoute: { ...running.systems[name].stats.byRoute } },
        ]),
      ),
    });
  } else stop();
});
process.on('disconnect', stop);

send({ type: 'ready', systemUrls: Object.fromEntries(SYSTEM_NAMES.map((name) => [name, running.systems[name].url])) });
