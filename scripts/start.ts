import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createLogger } from '../platform/logger.js';
import { loadTracingConfig, startTracing } from '../platform/tracing.js';

/**
 * `npm start`: the simulated systems, the six subgraphs and the gateway on this machine, on embedded
 * defaults (PGlite in .data/, development credentials). Prints where to send queries and one to send.
 * Settings come from the environment and, when there is one, from `.env` in the repository (see
 * `.env.example`); a variable set in the environment wins over the file.
 */
const envFile = fileURLToPath(new URL('../.env', import.meta.url));
if (existsSync(envFile)) process.loadEnvFile(envFile);
const logger = createLogger('ungegraf');
// Tracing first (when an OTLP endpoint is set; platform/tracing.ts), so its instrumentations see the modules the stack loads next.
const tracing = await startTracing(loadTracingConfig('ungegraf'), logger);
const { startStack } = await import('../stack/startStack.js');
const { createProgress } = await import('../platform/progress.js');

/** Progress and time left while the population is generated; the summary line when the last one is made. */
function populationProgress(): { setTotal(total: number): void; tick(n?: number): void } {
  const progress = createProgress({ label: 'population' });
  let expected = 0;
  let made = 0;
  return {
    setTotal(total) {
      expected = total;
      progress.setTotal(total);
    },
    tick(n = 1) {
      made += n;
      progress.tick(n);
      if (made >= expected) progress.done();
    },
  };
}
const { devTokenFor } = await import('../platform/authentication/mint.js');
const { ROLE_UNITS } = await import('../platform/authorization/relation.js');
const { SCREEN_PATH } = await import('../web/routes.js');
const { IDE_PATH } = await import('../gateway/ide/routes.js');
const { loadGatewayConfig } = await import('../gateway/config.js');
const stack = await startStack({ logger, population: { progress: populationProgress() } });

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    void stack
      .close()
      .then(() => tracing.shutdown())
      .then(() => process.exit(0));
  });
}

logger.info({ gateway: stack.gatewayUrl }, 'gateway ready; building the screening register from the systems');
await stack.firstScreening;
// Need to know: the sample's token is a social caseworker's of the role's default unit (ROLE_UNITS), so the
// sample is a young person that unit relates to (an open case there), eligible for a contact person where
// one is; when the register could not be built (logged), anyone the systems know, so the sample still runs.
const asOf = stack.systems.population.asOf;
const sampleCaller = { role: 'social-caseworker', unit: ROLE_UNITS['social-caseworker']?.[0] ?? null, staffId: null, institution: null };
const related = { caller: sampleCaller, today: asOf };
const sample =
  (await stack.store.queryScreening({ contactPersonStatus: 'ELIGIBLE', asOf, first: 1, relation: related })).rows[0] ??
  (await stack.store.queryScreening({ asOf, first: 1, relation: related })).rows[0];
const youthId = sample?.youthId ?? stack.systems.population.people[0]?.uuId ?? 'ID';
// The reference screen takes its token from the fragment, which the browser never sends to a server: a UU
// counsellor's (the role that may also assign contact persons) for eight hours, a working day. Production
// refuses development tokens; there the screen asks for one.
const production = process.env.NODE_ENV === 'production';
const screenBase = stack.gatewayUrl.replace(/\/graphql$/, SCREEN_PATH);
const screenUrl = production ? screenBase : `${screenBase}#token=${await devTokenFor('uu-counsellor', { ttlSeconds: 8 * 3600 })}`;
// The GraphQL IDE takes its token the same way: a social caseworker's, who may run the dossier example in full.
const ideMode = loadGatewayConfig().ide.mode;
const ideBase = stack.gatewayUrl.replace(/\/graphql$/, IDE_PATH);
const ideUrl =
  production || ideMode === 'off' ? ideBase : `${ideBase}#token=${await devTokenFor('social-caseworker', { ttlSeconds: 8 * 3600 })}`;

process.stdout.write(`
ungegraf is up.

  Reference screen  ${screenUrl}
                    (a caseworker's screen${production ? '; it asks for a token' : ', signed in as a UU counsellor with a development token for 8 hours'}; docs/screen.md)
  GraphQL IDE       ${ideMode === 'off' ? 'off (IDE=off)' : ideUrl}
                    (GraphiQL with the example operations of operations/examples${production || ideMode === 'off' ? '' : ', as a social caseworker with a development token for 8 hours'}; docs/ide.md)
  GraphQL endpoint  ${stack.gatewayUrl}
  Health            ${stack.gatewayUrl.replace(/\/graphql$/, '/healthz')} (alive), ${stack.gatewayUrl.replace(/\/graphql$/, '/readyz')} (ready)
  Metrics           ${stack.gatewayUrl.replace(/\/graphql$/, '/metrics')} (Prometheus; every subgraph has /readyz and /metrics too)

Try a young person's dossier across all five systems:

Every request needs a token; this mints a development one for a social caseworker (see docs/access.md
for the roles):

TOKEN=$(npm run -s token -- social-caseworker)
curl -s ${stack.gatewayUrl} -H 'content-type: application/json' -H "authorization: Bearer $TOKEN" --data '${JSON.stringify({
  query: `{ youth(id: "${youthId}") { firstName age school { grade absence { schoolYear absenceRate } } guidance { readiness { vocational upperSecondary } educationPlan { goal track } } jobcenter { category } social { cases { unit open } } benefits { currentMonthlyAmountDkk } targetGroup { inTargetGroup indicators } contactPersonEligibility { status reasons } coordinatedPlan { conflicts { text } nextTransitions { kind date } } contactPerson { contactPerson { name } } } }`,
})}'

A report for managers (aggregates only): npm run report

Press Ctrl+C to stop.
`);
