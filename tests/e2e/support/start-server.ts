// Playwright's web server, and scripts/screenshots.ts's: a database of its own on the test
// Postgres (see tests/support/pg-server.ts), fresh secrets, the demo's exchange simulator standing
// in for Binance, OKX and Bybit (tests drive its admin API at E2E_SIM_ORIGIN) with the demo
// account seeded as `npm run demo` seeds it, then the real production start path
// (scripts/serve.ts). On SIGTERM, or when any step of the start fails, it stops what it started
// and drops the database.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { exchangeEnvName } from "../../../lib/env";
import { simExchanges } from "../../../lib/exchange-sim";
import { startDemoExchange } from "../../../scripts/lib/demo-exchange";
import { runPrisma } from "../../../scripts/lib/run-prisma";
import { seedDemoAccount } from "../../../scripts/lib/seed-demo-account";
import { choosePgServer, createDatabase, dropDatabase, uniqueDatabaseName } from "../../support/pg-server";

const root = resolve(import.meta.dirname, "../../..");

/** What the start made so far, undone last first. */
const undo: Array<() => Promise<void>> = [];
let app: ChildProcess | undefined;
let cleaning: Promise<never> | undefined;

// Once: a second signal (tsx relays the one it gets to this process too) waits for the first
// clean-up instead of exiting before the database is dropped.
function cleanUp(code: number): Promise<never> {
  cleaning ??= (async () => {
    if (app && app.exitCode === null && app.signalCode === null) {
      app.kill("SIGTERM");
      await new Promise((r) => app!.once("exit", r));
    }
    for (const step of undo.reverse()) await step().catch((error: unknown) => console.error("[e2e server] clean-up:", error));
    process.exit(code);
  })();
  return cleaning;
}

for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => void cleanUp(0));

try {
  const server = await choosePgServer();
  undo.push(() => server.stop());
  const name = uniqueDatabaseName(`myits_e2e_${process.pid}`);
  const url = await createDatabase(server.adminUrl, name);
  undo.push(() => dropDatabase(server.adminUrl, name));
  const demoDir = mkdtempSync(join(tmpdir(), "myits-e2e-demo-"));
  undo.push(async () => rmSync(demoDir, { recursive: true, force: true }));
  const { sim, keys } = await startDemoExchange(join(demoDir, "demo-exchange.json"), Number(process.env.E2E_SIM_PORT || 4124), process.env.E2E_SIM_ADMIN_TOKEN);
  undo.push(() => sim.close());
  const secrets = { AUTH_SECRET: randomBytes(32).toString("base64url"), ENCRYPTION_KEY: randomBytes(32).toString("base64") };
  // Seeding encrypts the demo keys' secrets, so it needs the server's key before lib/env reads it.
  // Every exchange the simulator speaks, and ccxt's myokx (MyOKX, EEA): an exchange MyITS has no full
  // adapter for that speaks OKX's API, for the journey of an exchange without one (unbind-generic.spec.ts).
  const origins = Object.fromEntries([...simExchanges(), "myokx"].map((id) => [exchangeEnvName("EXCHANGE_ORIGIN", id), sim.origin]));
  Object.assign(process.env, secrets, origins, { DATABASE_URL: url });
  await runPrisma(["migrate", "deploy"], { DATABASE_URL: url }, { quiet: true });
  await seedDemoAccount(url, keys);

  if (!cleaning) {
    // tsx as a loader (see playwright.config.ts), so serve.ts gets to stop Next itself
    app = spawn(process.execPath, ["--import", "tsx", "--conditions=react-server", "scripts/serve.ts"], {
      cwd: root,
      stdio: "inherit",
      env: {
        ...process.env,
        ...secrets,
        DATABASE_URL: url,
        MYITS_DEMO: "1",
        // Every test signs up and in from 127.0.0.1: well past one visitor's allowance.
        THROTTLE_SCALE: "20",
        SIM_ADMIN_URL: sim.adminUrl,
        // The demo's simulated Kraken keeps no call counter; MyITS's model of Kraken's strictest
        // tier (one history page in 6 s) would make the Kraken journey's backup a minute of
        // waiting. The integration tests hold the model to Kraken's numbers.
        EXCHANGE_WEIGHT_LIMIT_KRAKEN: "1000",
        EXCHANGE_WEIGHT_WINDOW_MS_KRAKEN: "1000",
        ...origins,
      },
    });
    app.on("exit", (code) => void cleanUp(code ?? 1));
  }
} catch (error) {
  console.error("[e2e server] could not start:", error);
  await cleanUp(1);
}
