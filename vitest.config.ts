import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts', 'subgraphs/**/*.test.ts', 'gateway/**/*.test.ts', 'systems/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: suites that start servers run in parallel forks, but not more than the machine has.
    pool: 'forks',
    maxWorkers: 2,
  },
});
