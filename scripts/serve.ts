// `npm start`, `npm run demo` and `npm run dev`: everything a fresh machine needs to serve the
// dashboard. Without DATABASE_URL it runs in local mode: an embedded Postgres in .data/ and
// secrets generated once into .data/secrets.json. Then it applies migrations, seeds the demo
// account (--demo), builds when the sources changed, and runs Next. Ctrl-C stops everything.
import { spawn, type ChildProcess } from "node:child_process";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { startLocalDatabase, type LocalDatabase } from "./lib/local-database";
import { buildIsStale } from "./lib/build-freshness";
import { nextCommand } from "./lib/next-command";
import { runPrisma } from "./lib/run-prisma";
import { EnvError, parseEnv } from "@/lib/env";
import { loadOrCreateLocalSecrets } from "@/lib/local-secrets";

const root = resolve(import.meta.dirname, "..");
const dataDir = resolve(root, ".data");

const { values: flags } = parseArgs({
  options: { demo: { type: "boolean", default: false }, dev: { type: "boolean", default: false } },
});

let database: LocalDatabase | undefined;
let simulator: { close(): Promise<void> } | undefined;
let next: ChildProcess | undefined;
let stopping = false;

async function main(): Promise<void> {
  const localMode = !process.env.DATABASE_URL;
  if (localMode) {
    const { secrets, created, added } = loadOrCreateLocalSecrets(resolve(dataDir, "secrets.json"));
    process.env.AUTH_SECRET ||= secrets.AUTH_SECRET;
    process.env.ENCRYPTION_KEY ||= secrets.ENCRYPTION_KEY;
    if (created) log("Generated AUTH_SECRET, ENCRYPTION_KEY and the database passwords into .data/secrets.json (mode 0600).");
    if (added.length > 0) log(`Added ${added.join(" and ")} to .data/secrets.json (mode 0600).`);
    database = await startLocalDatabase(dataDir, Number(process.env.EMBEDDED_PG_PORT || 54329), secrets);
    process.env.DATABASE_URL = database.url;
    log(`Embedded Postgres ready (${database.created ? "created" : "reused"} .data/postgres, port ${database.port}).`);
  }

  const config = parseEnv(process.env);
  log("Applying database migrations…");
  await runPrisma(["migrate", "deploy"], { DATABASE_URL: config.DATABASE_URL });

  const port = Number(process.env.PORT || 3000);
  const host = process.env.HOST || "127.0.0.1";
  const url = `http://${host === "0.0.0.0" ? "127.0.0.1" : host}:${port}`;

  let demoPassword: string | undefined;
  if (flags.demo) {
    const { startDemoExchange } = await import("./lib/demo-exchange");
    const { seedDemoAccount } = await import("./lib/seed-demo-account");
    const { SIM_EXCHANGES } = await import("../lib/exchange-sim/types");
    const demo = await startDemoExchange(resolve(dataDir, "demo-exchange.json"), Number(process.env.SIM_PORT || 4010));
    simulator = demo.sim;
    for (const exchange of SIM_EXCHANGES) process.env[`EXCHANGE_ORIGIN_${exchange.toUpperCase()}`] ||= demo.sim.origin;
    process.env.MYITS_DEMO = "1";
    // Everything in the demo is on this machine, a webhook receiver to try it with too.
    process.env.WEBHOOK_ALLOW_PRIVATE_NETWORKS ||= "1";
    // With its token: the dashboard's demo banner links to it for the person running the demo.
    process.env.SIM_ADMIN_URL = demo.sim.adminUrl;
    demoPassword = await seedDemoAccount(config.DATABASE_URL, demo.keys);
    log(`Simulated exchanges (Binance, OKX, Bybit): ${demo.sim.origin} (admin page: ${demo.sim.adminUrl})`);
  }

  if (!flags.dev && buildIsStale(root)) {
    log("Building the dashboard (first run, or the sources changed)…");
    await run("next", ["build"], { NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" });
  }

  const server = nextCommand(root, [flags.dev ? "dev" : "start", "-p", String(port), "-H", host]);
  next = spawn(server.command, server.args, {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, NODE_ENV: flags.dev ? "development" : "production", NEXT_TELEMETRY_DISABLED: "1" },
  });
  next.on("exit", (code) => void shutdown(code ?? 0));

  log(`Dashboard: ${url}`);
  if (demoPassword) log(`Demo login: demo@myits.local / ${demoPassword}`);
}

function run(bin: string, args: string[], extraEnv: Record<string, string>): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(resolve(root, "node_modules/.bin", bin), args, { cwd: root, stdio: "inherit", env: { ...process.env, ...extraEnv } });
    child.on("exit", (code) => (code === 0 ? resolvePromise() : reject(new Error(`${bin} ${args.join(" ")} exited with ${code}`))));
  });
}

async function shutdown(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  if (next && next.exitCode === null) {
    next.kill("SIGTERM");
    await new Promise((r) => next!.once("exit", r));
  }
  await simulator?.close();
  if (database) {
    await database.stop();
    log("Embedded Postgres stopped.");
  }
  process.exit(code);
}

function log(message: string): void {
  console.log(`[myits] ${message}`);
}

for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => void shutdown(0));

main().catch(async (error: unknown) => {
  console.error(`\n[myits] Could not start: ${error instanceof EnvError || error instanceof Error ? error.message : String(error)}\n`);
  await shutdown(1);
});

