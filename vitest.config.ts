import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'examples/**/*.test.ts'],
    globalSetup: ['test/setup/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Each test file gets its own database cloned from a migrated template, so files
    // can run in parallel without seeing each other's rows.
    pool: 'forks',
    fileParallelism: true,
  },
});
