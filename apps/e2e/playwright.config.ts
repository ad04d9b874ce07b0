import path from 'node:path';
import { defineConfig } from '@playwright/test';

const ROOT = path.resolve(__dirname, '..', '..');

/**
 * End-to-end tests through the gateway in the system Chromium (PLATFORM.md: never `playwright install`).
 * global-setup.ts starts sso, focus and the gateway as their own processes on fresh databases, with the
 * built SPAs; screenshots of every test are kept in .okc/e2e/artifacts.
 */
export default defineConfig({
  testDir: './tests',
  outputDir: path.join(ROOT, '.okc', 'e2e', 'artifacts'),
  globalSetup: './global-setup.ts',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  workers: 1,
  fullyParallel: false,
  forbidOnly: true,
  reporter: [['list'], ['json', { outputFile: path.join(ROOT, '.okc', 'test-results', 'e2e.json') }]],
  use: {
    screenshot: 'on',
    trace: 'retain-on-failure',
    locale: 'ru-RU',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-sync'],
    },
  },
});
