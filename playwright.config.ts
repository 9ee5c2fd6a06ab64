import { randomBytes } from "node:crypto";
import { defineConfig } from "@playwright/test";
import { chromiumLaunchOptions } from "./tests/e2e/support/chromium";

// Real Chromium from Debian (tests/e2e/support/chromium.ts). The web server is the real production start path (scripts/serve.ts)
// against a database of its own, created and dropped by tests/e2e/support/start-server.ts.
const port = Number(process.env.E2E_PORT || 3123);
const baseURL = `http://127.0.0.1:${port}`;
const simPort = Number(process.env.E2E_SIM_PORT || 4124);
// Tests create, restrict and delete exchange keys through the simulator's admin API, with the
// token the web server's simulator is started with (inherited by the web server and workers).
process.env.E2E_SIM_ORIGIN = `http://127.0.0.1:${simPort}`;
process.env.E2E_SIM_ADMIN_TOKEN ||= randomBytes(24).toString("base64url");

const DEMO_JOURNEYS = ["backup.spec.ts", "kraken-unbind.spec.ts", "kucoin-unbind.spec.ts", "review.spec.ts", "unbind.spec.ts"].map((file) => `**/${file}`);

export default defineConfig({
  testDir: "tests/e2e",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  // Two browsers at once: most journeys wait on the server (exports, pacing), not the CPU.
  workers: 2,
  forbidOnly: true,
  retries: 0,
  reporter: process.env.CI ? [["list"], ["json", { outputFile: "test-results/e2e.json" }]] : [["list"], ["json", { outputFile: "test-results/e2e.json" }]],
  use: {
    baseURL,
    trace: "retain-on-failure",
    launchOptions: chromiumLaunchOptions,
  },
  projects: [
    // The journeys of the demo account change what the others see (a backup, an unbind, the
    // review's ranking): one at a time, in file order, beside the tests with accounts of their own.
    { name: "demo", testMatch: DEMO_JOURNEYS, workers: 1, use: { browserName: "chromium" } },
    { name: "chromium", testIgnore: DEMO_JOURNEYS, use: { browserName: "chromium" } },
  ],
  webServer: {
    // tsx as a loader, not its CLI: the CLI SIGKILLs a child that does not acknowledge a relayed
    // signal within tens of milliseconds, which on a busy machine left the test database behind.
    command: `node --import tsx --conditions=react-server tests/e2e/support/start-server.ts`,
    url: `${baseURL}/login`,
    env: { PORT: String(port), E2E_SIM_PORT: String(simPort) },
    timeout: 600_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    gracefulShutdown: { signal: "SIGTERM", timeout: 20_000 },
  },
});
