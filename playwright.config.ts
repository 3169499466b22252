import { defineConfig } from '@playwright/test'
import { scratchInMemory } from './tests/helpers/scratchFolder'
import { chromiumPath } from './tests/helpers/chromium'

scratchInMemory()

const isCI = Boolean(process.env['CI'])
// E2E_PORT lets two test runs share a machine.
const port = Number(process.env['E2E_PORT'] ?? 4417)
const baseURL = `http://127.0.0.1:${port}`

/**
 * The renderer runs in Debian's Chromium (Playwright's own browsers cannot be
 * downloaded here), served by `vite preview` from out/renderer, which
 * `npm run test:e2e` builds first. `window.api` is provided by
 * tests/e2e/fixtures.ts, backed by the real router on a fresh SQLite file.
 */
export default defineConfig({
  testDir: 'tests/e2e',
  globalSetup: './tests/helpers/global-setup.ts',
  fullyParallel: true,
  forbidOnly: isCI,
  workers: 2,
  retries: isCI ? 1 : 0,
  // A test that passes only on its retry is a race, not a pass: the run fails and names it.
  failOnFlakyTests: true,
  reporter: 'list',
  // Generous: a loaded 2-core CI machine runs Chromium and the backend side by side.
  timeout: 90_000,
  expect: { timeout: 15_000 },
  use: {
    baseURL,
    headless: true,
    // Recording a trace doubles a test's time: CI records one when it runs a failed test again.
    trace: isCI ? 'on-first-retry' : 'retain-on-failure',
    screenshot: 'only-on-failure',
    locale: 'en-GB',
    timezoneId: 'Europe/London',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        browserName: 'chromium',
        viewport: { width: 1280, height: 800 },
        launchOptions: {
          executablePath: chromiumPath(),
          // CI runs as root, where Chromium refuses its sandbox; the rest keeps runs quiet and offline.
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            '--no-first-run',
          ],
        },
      },
    },
  ],
  webServer: {
    command: `npx vite preview --config renderer/vite.config.ts --host 127.0.0.1 --port ${port} --strictPort`,
    url: baseURL,
    reuseExistingServer: !isCI,
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
})
