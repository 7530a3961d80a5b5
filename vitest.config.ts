import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

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
    include: ['tests/**/*.test.ts', 'subgraphs/**/*.test.ts', 'gateway/**/*.test.ts', 'systems/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: suites that start servers run in parallel forks, but not more than the machine has.
    pool: 'forks',
    maxWorkers: 2,
  },
});
