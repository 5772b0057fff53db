import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './test/console/support/chromium.js';

/**
 * Browser tests of the web console (test/console/*.e2e.ts) on the machine's Chromium, never a
 * downloaded browser. The global setup starts a federation and three partner nodes once
 * (test/console/support/), from the compiled code: `npm run build` first.
 */
export default defineConfig({
  testDir: 'test/console',
  testMatch: '**/*.e2e.ts',
  globalSetup: './test/console/support/global-setup.ts',
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? 'line' : 'list',
  outputDir: '.data/e2e/results',
  use: {
    headless: true,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: CHROMIUM_PATH,
      args: CHROMIUM_ARGS,
    },
  },
});
