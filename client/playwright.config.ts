import { defineConfig } from '@playwright/test';

// The suite starts the real API process (built from ../api) on a free port with a throw-away SQLite file and the demo
// organisation, serving the built client (dist/): see e2e/global-setup.ts. Other people's servers on this machine are
// left alone; nothing listens on a fixed port.
export default defineConfig({
  testDir: 'e2e',
  globalSetup: './e2e/global-setup.ts',
  fullyParallel: true,
  workers: Number(process.env.E2E_WORKERS ?? 2),
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 7_500 },
  outputDir: 'test-results',
  reporter: [['list'], ['json', { outputFile: process.env.E2E_JSON_REPORT ?? 'test-results/playwright.json' }]],
  use: {
    // Set by the global setup before the workers start (they read this file again).
    baseURL: process.env.E2E_BASE_URL,
    browserName: 'chromium',
    launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' },
    viewport: { width: 1280, height: 900 },
    locale: 'en-GB',
    timezoneId: 'UTC',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    { name: 'setup', testMatch: /auth\.setup\.ts/ },
    // Checks of the demo data as seeded run first, then the tests that change it.
    { name: 'read', testMatch: /.*\.read\.spec\.ts/, dependencies: ['setup'] },
    { name: 'write', testMatch: /.*\.write\.spec\.ts/, dependencies: ['read'] },
  ],
});
