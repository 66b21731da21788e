import { configDefaults, defineConfig } from 'vitest/config';
import path from 'node:path';

export default defineConfig({
  resolve: { alias: { '@': path.resolve(import.meta.dirname) } },
  test: {
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'], environment: 'node' },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          // `*.pg.test.ts` are about PostgreSQL itself (its migration lock, several instances on one
          // database): they belong to the PostgreSQL run only, not skipped in the SQLite one.
          exclude: [...configDefaults.exclude, ...(process.env.PORTICO_TEST_DB === 'postgres' ? [] : ['test/integration/**/*.pg.test.ts'])],
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 60_000,
          // 2 cores: a couple of files at a time keeps runs steady.
          maxWorkers: 2,
        },
      },
    ],
  },
});
