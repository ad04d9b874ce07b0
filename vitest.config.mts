import { defineConfig } from 'vitest/config';

/**
 * Vitest for the browser code (libs/web and the SPAs), one project each: `npx vitest run`, or one of them with
 * `npx vitest run --project web`. The backend tests with jest (jest.config.cjs).
 */
export default defineConfig({
  test: {
    projects: ['libs/web/vitest.config.ts', 'apps/*/vite.config.ts'],
    // No tuning advice in the summary: one happy-dom per test file (isolation) is deliberate.
    experimental: { diagnostics: { environment: false, import: false, transform: false, isolate: false } },
  },
});
