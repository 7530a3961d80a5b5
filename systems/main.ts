import { createLogger } from '../platform/logger.js';
import { ConfigError } from '../platform/env.js';
import { createProgress } from '../platform/progress.js';
import { loadSystemsConfig } from './config.js';
import { usesDevCredentials } from './credentials.js';
import { createConfiguredSystem, listen, SYSTEM_NAMES, type Listening, type SystemName } from './index.js';
import { generatePopulation, summarizePopulation } from './population/generate.js';
import { simulateChanges, type Changeable } from './kit/changes.js';

/**
 * Runs one simulated system or all of them from the environment:
 *   npx tsx systems/main.ts [school|guidance|jobcenter|social|benefits|all]
 */
const logger = createLogger('systems');

async function main(): Promise<void> {
  const which = process.argv[2] ?? 'all';
  const names: SystemName[] = which === 'all' ? [...SYSTEM_NAMES] : SYSTEM_NAMES.filter((n) => n === which);
  if (names.length === 0) throw new ConfigError(`unknown system "${which}": expected one of ${SYSTEM_NAMES.join(', ')} or all`);
  const config = loadSystemsConfig(process.env);
  if (usesDevCredentials(config.credentials))
    logger.warn('using development-only credentials (set SCHOOL_API_KEY etc. outside development)');

  const started = performance.now();
  const progress = createProgress({ label: 'population' });
  const population = generatePopulation({ ...config.population, progress });
  progress.done();
  logger.info(
    { ...config.population, ms: Math.round(performance.now() - started), ...summarizePopulation(population) },
    'population generated',
  );

  const running: Listening[] = [];
  const changeable: Partial<Record<SystemName, Changeable>> = {};
  for (const name of names) {
    const system = createConfiguredSystem(name, population, config);
    const listening = await listen(system.server, config.ports[name], config.host);
    running.push(listening);
    changeable[name] = system;
    logger.info({ system: name, url: listening.url, ...config.simulation[name] }, 'system listening');
  }
  // CHANGE_RATE: records change while the systems run (all four the register reads must be here).
  const { school, guidance, jobcenter, social } = changeable;
  if (config.changeRate > 0 && school && guidance && jobcenter && social) {
    simulateChanges({ school, guidance, jobcenter, social }, population, { ratePerSecond: config.changeRate });
    logger.info({ perSecond: config.changeRate }, 'simulating changes to the records');
  }

  const stop = (signal: string): void => {
    logger.info({ signal }, 'stopping');
    Promise.all(running.map((r) => r.close())).then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'stop failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) logger.fatal(error.message);
  else logger.fatal({ err: error }, 'systems failed to start');
  process.exit(1);
});
