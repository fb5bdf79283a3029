import { defineConfig } from 'vitest/config';

// The fault tests (test/reliability/*.fault.ts): real `khaosflow` processes killed,
// signalled and cut off from their database on purpose. They take minutes and load
// the machine, so they run apart from `npm test`, one file at a time
// (`npm run test:reliability`, in .ci/run after `npm test`).
export default defineConfig({
  test: {
    include: ['test/reliability/**/*.fault.ts'],
    globalSetup: ['test/setup/global-setup.ts'],
    testTimeout: 240_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
