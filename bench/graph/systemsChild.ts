/**
 * Child process of the graph benchmark: the five simulated systems (the existing systems, which in
 * reality run on their own machines), configured from the environment the parent passes (latency,
 * population scale, ports 0). Over the IPC channel:
 *   → { type: 'ready', systemUrls, dossierIds, dossierCallers }
 *   ← { type: 'stats', id } → { type: 'stats', id, systems }   (call counters since the last reset)
 *   ← { type: 'resetStats', id } → { type: 'resetStats', id }
 *   ← { type: 'stop' }
 */
import { SYSTEM_NAMES, startSystems } from '../../systems/index.js';
import { STATUTORY_AGE_LIMIT } from '../../platform/authorization/legalBasis.js';
import { ageOn } from '../../platform/dates.js';
import { todayIso } from '../../subgraphs/kit/dates.js';
import type { DossierCaller, ParentMessage, SystemsCallCounts, SystemsMessage } from './protocol.js';

const send = (message: SystemsMessage) => process.send?.(message);
const systems = await startSystems({ env: process.env });

// Young people spread over the whole population (every k-th of UU's register), so that no cache or
// locality flatters the dossier figures. Need to know: each is read by a caller with a relation, so the
// spread is over those with an open social case, each read by the caseworker the social system names
// for it (many distinct users, each in their own caseload). Under 25 on the day the subgraphs answer
// for (today: the bench does not pin it): from 25 other units' data needs the young person's consent
// (issue 14), which the benchmark does not record, so their dossiers would answer in part.
const asOf = systems.population.asOf;
const today = todayIso();
const people = systems.population.people.flatMap((person) => {
  if (ageOn(person.birthDate, today) >= STATUTORY_AGE_LIMIT) return [];
  const open = (person.social?.cases ?? []).find((c) => c.opened <= asOf && (c.closed === null || c.closed > asOf));
  return open ? [{ id: person.uuId, unit: open.unit, staffId: open.caseworker.id }] : [];
});
const wanted = Math.min(people.length, Number(process.env.BENCH_DOSSIER_IDS ?? 2000));
const step = people.length / wanted;
const dossierCallers: DossierCaller[] = Array.from({ length: wanted }, (_, i) => people[Math.floor(i * step)]!);
const dossierIds = dossierCallers.map((caller) => caller.id);

function counts(): SystemsCallCounts {
  return Object.fromEntries(
    SYSTEM_NAMES.map((name) => {
      const stats = systems.systems[name].stats;
      return [name, { calls: stats.calls, byRoute: { ...stats.byRoute }, inFlight: stats.inFlight, maxInFlight: stats.maxInFlight }];
    }),
  );
}

const stop = () => void systems.close().finally(() => process.exit(0));
process.on('message', (message: ParentMessage) => {
  if (message.type === 'stats') send({ type: 'stats', id: message.id, systems: counts() });
  else if (message.type === 'resetStats') {
    for (const name of SYSTEM_NAMES) systems.systems[name].stats.reset();
    send({ type: 'resetStats', id: message.id });
  } else stop();
});
// The parent went away: do not linger holding ports.
process.on('disconnect', stop);

send({
  type: 'ready',
  systemUrls: Object.fromEntries(SYSTEM_NAMES.map((name) => [name, systems.systems[name].url])),
  dossierIds,
  dossierCallers,
});
