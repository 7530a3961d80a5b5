import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig } from 'vitest/config';

const ALL = ['tests/**/*.test.ts', 'subgraphs/**/*.test.ts', 'gateway/**/*.test.ts', 'systems/**/*.test.ts'];

/**
 * End-to-end: whatever starts the whole stack, processes of its own, a browser or load, and the few
 * in-process suites that take more than a few seconds each (measured in a full run on two cores).
 * Everything else is a unit test: pure, or in-process with PGlite and servers on port 0.
 */
const E2E = [
  'tests/e2e/**/*.test.ts',
  'tests/browser/**/*.test.ts',
  'tests/load/**/*.test.ts',
  // Attacks reproduced against running parts; most start a stack.
  'tests/security/**/*.test.ts',
  // Processes of their own (npm start, the gateway's and subgraphs' entry points, signals, the token CLI).
  'tests/operations/shutdown.test.ts',
  'tests/operations/start.test.ts',
  'tests/gateway/main.test.ts',
  'tests/authentication/mint.test.ts',
  'tests/reporting/cli.test.ts',
  // Whole stacks or several replicas in-process.
  'tests/operations/examples.test.ts',
  'tests/operations/reload.test.ts',
  'tests/operations/tracing.test.ts',
  'tests/scale/replicas.test.ts',
  'tests/scale/coordinationReplicas.test.ts',
  'tests/resilience/faults.test.ts',
  'tests/accessLog/http.test.ts',
  'tests/accessLog/collectShortcut.test.ts',
  'tests/accessLog/subjectReport.test.ts',
  // Bundles the IDE with esbuild.
  'tests/frontend/ide.test.ts',
  // Migrations over many fresh PGlite instances (each compiles PostgreSQL's WebAssembly; a minute and more here).
  'tests/coordination-store/migrate.test.ts',
  'tests/coordination-store/database.test.ts',
  // The change-feed follower over running systems, with a system down for seconds (~15 s).
  'tests/coordination-store/changeFollower.test.ts',
];

export default defineConfig({
  resolve: {
    alias: [
      // graphql 16 ships CommonJS (`main`) and ESM (`module`) side by side, without an exports map. Node
      // (and with it Apollo Server, the gateway and the subgraph library) loads the CommonJS one; Vite
      // would hand our own files the ESM one. Two graphql instances make schemas fail their instanceof
      // checks ("Cannot use GraphQLSchema from another module or realm") and make Apollo Server rewrap our
      // GraphQLErrors, dropping path and code. One instance, as in production.
      { find: /^graphql$/, replacement: fileURLToPath(new URL('./node_modules/graphql/index.js', import.meta.url)) },
    ],
  },
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: suites that start servers run in parallel forks, but not more than the machine has.
    pool: 'forks',
    maxWorkers: 2,
    // `npm test` runs both projects; `npm run test:unit` is the loop while working (under a minute here),
    // `npm run test:e2e` the rest.
    projects: [
      // Unit files share their worker's module graph (no re-import per file: 67 s → 37 s here); they
      // keep no global state between files, which this setting would otherwise leak.
      { extends: true, test: { name: 'unit', include: ALL, exclude: [...configDefaults.exclude, ...E2E], isolate: false } },
      { extends: true, test: { name: 'e2e', include: E2E } },
    ],
  },
});
