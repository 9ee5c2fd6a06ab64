// Playwright's web server: a database of its own on the test Postgres (see tests/support/
// pg-server.ts), fresh secrets, the demo's exchange simulator standing in for Binance, OKX and
// Bybit (tests drive its admin API at E2E_SIM_ORIGIN) with the demo account seeded as
// `npm run demo` seeds it, then the real production start path (scripts/serve.ts). On SIGTERM
// it stops everything and drops the database.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { SIM_EXCHANGES } from "../../../lib/exchange-sim/types";
import { startDemoExchange } from "../../../scripts/lib/demo-exchange";
import { runPrisma } from "../../../scripts/lib/run-prisma";
import { seedDemoAccount } from "../../../scripts/lib/seed-demo-account";
import { choosePgServer, createDatabase, dropDatabase, uniqueDatabaseName } from "../../support/pg-server";

const root = resolve(import.meta.dirname, "../../..");

const server = await choosePgServer();
const name = uniqueDatabaseName(`myits_e2e_${process.pid}`);
const url = await createDatabase(server.adminUrl, name);
const demoDir = mkdtempSync(join(tmpdir(), "myits-e2e-demo-"));
const { sim, keys } = await startDemoExchange(join(demoDir, "demo-exchange.json"), Number(process.env.E2E_SIM_PORT || 4124), process.env.E2E_SIM_ADMIN_TOKEN);
const secrets = { AUTH_SECRET: randomBytes(32).toString("base64url"), ENCRYPTION_KEY: randomBytes(32).toString("base64") };
// Seeding encrypts the demo keys' secrets, so it needs the server's key before lib/env reads it.
const origins = Object.fromEntries(SIM_EXCHANGES.map((id) => [`EXCHANGE_ORIGIN_${id.toUpperCase()}`, sim.origin]));
Object.assign(process.env, secrets, origins, { DATABASE_URL: url });
await runPrisma(["migrate", "deploy"], { DATABASE_URL: url }, { quiet: true });
await seedDemoAccount(url, keys);

const app = spawn(resolve(root, "node_modules/.bin/tsx"), ["--conditions=react-server", "scripts/serve.ts"], {
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
    ...origins,
  },
});

let cleaning = false;
async function cleanUp(code: number): Promise<never> {
  if (!cleaning) {
    cleaning = true;
    if (app.exitCode === null) {
      app.kill("SIGTERM");
      await new Promise((r) => app.once("exit", r));
    }
    await sim.close();
    rmSync(demoDir, { recursive: true, force: true });
    await dropDatabase(server.adminUrl, name).catch((error: unknown) => console.error("could not drop", name, error));
    await server.stop();
  }
  process.exit(code);
}

app.on("exit", (code) => void cleanUp(code ?? 1));
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => void cleanUp(0));
