// Playwright's web server: a database of its own on the test Postgres (see tests/support/
// pg-server.ts), fresh secrets, the exchange simulator standing in for Binance, OKX and Bybit
// (tests drive its admin API at E2E_SIM_ORIGIN), then the real production start path
// (scripts/serve.ts). On SIGTERM it stops everything and drops the database.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { resolve } from "node:path";
import { startExchangeSim } from "@/lib/exchange-sim";
import { choosePgServer, createDatabase, dropDatabase, uniqueDatabaseName } from "../../support/pg-server";

const root = resolve(import.meta.dirname, "../../..");

const server = await choosePgServer();
const name = uniqueDatabaseName(`myits_e2e_${process.pid}`);
const url = await createDatabase(server.adminUrl, name);
const sim = await startExchangeSim({ port: Number(process.env.E2E_SIM_PORT || 4124) });

const app = spawn(resolve(root, "node_modules/.bin/tsx"), ["--conditions=react-server", "scripts/serve.ts"], {
  cwd: root,
  stdio: "inherit",
  env: {
    ...process.env,
    DATABASE_URL: url,
    AUTH_SECRET: randomBytes(32).toString("base64url"),
    ENCRYPTION_KEY: randomBytes(32).toString("base64"),
    EXCHANGE_ORIGIN_BINANCE: sim.origin,
    EXCHANGE_ORIGIN_OKX: sim.origin,
    EXCHANGE_ORIGIN_BYBIT: sim.origin,
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
    await dropDatabase(server.adminUrl, name).catch((error: unknown) => console.error("could not drop", name, error));
    await server.stop();
  }
  process.exit(code);
}

app.on("exit", (code) => void cleanUp(code ?? 1));
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => void cleanUp(0));
