import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts'],
    reporters: ['default', './test/unit/closingLineReporter.ts'],
    testTimeout: 20000,
    pool: 'forks',
  },
  define: { STRATA_VERSION: JSON.stringify('test') },
});
