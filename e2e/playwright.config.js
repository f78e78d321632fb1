// @ts-check
// Browser tests run in Debian's Chromium (/usr/bin/chromium); Playwright never downloads a browser
// here (do not run `npx playwright install`). The server under test is started by ../test.sh and
// named by BASE_URL; each run of a suite gets a fresh server, which the journey needs.
const { defineConfig } = require('@playwright/test');

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

module.exports = defineConfig({
  testDir: './tests',
  // Files run in name order (10-…, 20-…, 30-…) in one worker: the first-run checks need a server
  // without accounts, the journey creates the administrator, later files sign in as that account.
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  // Debug builds hash passwords slowly; leave room for it.
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  outputDir: process.env.PLAYWRIGHT_OUTPUT_DIR || 'test-results',
  use: {
    baseURL: process.env.BASE_URL || 'http://127.0.0.1:8080',
    browserName: 'chromium',
    headless: true,
    navigationTimeout: 30_000,
    actionTimeout: 15_000,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      args: CHROMIUM_ARGS,
    },
  },
});
