import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig, devices } from "@playwright/test";

const WEB_DIR = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(WEB_DIR, "..");
const PORT = Number(process.env.E2E_PORT ?? 4568);

// Shared with scripts/e2e-server.mjs (it writes the first-run admin's credentials there) and with the workers.
process.env.E2E_STATE_FILE ??= path.join(ROOT, ".data", `e2e-current-${PORT}.json`);
process.env.E2E_PORT ??= String(PORT);

export default defineConfig({
  testDir: "e2e",
  // `E2E_SCREENSHOTS=1 pnpm exec playwright test screenshots` refreshes docs/screens/*.png; normal runs skip it.
  testIgnore: process.env.E2E_SCREENSHOTS ? [] : ["**/screenshots.spec.ts"],
  globalSetup: "./e2e/global-setup.ts",
  forbidOnly: !!process.env.CI,
  // Every test seeds what it changes (its own users, tokens, practices), so tests can run in any order, in parallel.
  fullyParallel: true,
  // Two workers on a two-core machine: more would only queue behind the server and its database.
  workers: 2,
  timeout: 30_000,
  expect: { timeout: 7_000 },
  reporter: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ? [["list"], ["json"]] : "list",
  outputDir: "test-results",
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  projects: [
    {
      name: "chromium",
      use: {
        ...devices["Desktop Chrome"],
        launchOptions: {
          executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
          // This machine's network is closed: keep Chromium from trying to phone home at start.
          args: ["--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
        },
      },
    },
  ],
  webServer: {
    // The real product (API + worker + this web app) on a fresh data directory; build the web app first.
    command: "node ../scripts/e2e-server.mjs",
    url: `http://127.0.0.1:${PORT}/healthz`,
    reuseExistingServer: false,
    timeout: 90_000,
    stdout: "pipe",
    stderr: "pipe",
    env: { E2E_PORT: String(PORT), E2E_STATE_FILE: process.env.E2E_STATE_FILE },
    gracefulShutdown: { signal: "SIGTERM", timeout: 25_000 },
  },
});
