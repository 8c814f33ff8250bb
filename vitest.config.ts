import { defineConfig } from 'vitest/config';

/**
 * `npm test` runs the pure core tests once and the server's integration tests on PGlite, and again on PostgreSQL
 * when TEST_DATABASE_URL is set. Each test file gets its own fresh, migrated database.
 */
const serverProject = (engine: 'pglite' | 'postgres') => ({
  test: {
    name: `server:${engine}`,
    root: 'server',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    env: { HUIKUAN_TEST_ENGINE: engine, NODE_ENV: 'test' },
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});

export default defineConfig({
  test: {
    projects: [
      { test: { name: 'core', root: 'core', include: ['src/**/*.test.ts'] } },
      { test: { name: 'web', root: 'web', include: ['src/**/*.test.ts'] } },
      serverProject('pglite'),
      ...(process.env.TEST_DATABASE_URL ? [serverProject('postgres')] : []),
    ],
  },
});
