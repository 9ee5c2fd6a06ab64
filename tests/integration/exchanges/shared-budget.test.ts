// One budget per egress IP across processes (lib/exchanges/pacing/ledger.ts): two separate
// processes, each with its own process-wide pacer on the same Postgres ledger, check Binance
// keys against the simulator with more work than the budget allows, and in no window of the
// simulator's own count do they together exceed the small test limit. Meanwhile a check a user
// waits for, from this process, takes the reserve that background work leaves and goes without
// waiting for a window. The simulator's limit is set far above the test limit, so that only the
// ledger (and not a 429) can be what keeps the two processes under it.

import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient, type Db } from "@/lib/db";
import { startExchangeSim, type ExchangeSim } from "@/lib/exchange-sim";
import { sharedPacer, withDeadline } from "@/lib/exchanges/pacing/shared";
import { getAdapter } from "@/lib/exchanges/registry";
import type { PacerStats } from "@/lib/exchanges/pacing/types";
import { useTestEnv } from "../../support/app-env";
import { projectRoot } from "../../support/prisma-cli";
import { createTestDatabase, type TestDatabase } from "../../support/test-database";
import { READ_ONLY, simEnv } from "../backups/harness";

const LIMIT = 10;
const WINDOW_MS = 2_000;
// a request taken near a window's end may arrive in the next one; on a loaded machine that
// can be more than the default guard of a 2 s window (40 ms)
const GUARD_MS = 300;
const PER_PROCESS = 30;
const SIM_LIMIT = 100_000;

let database: TestDatabase;
let client: Db;
let sim: ExchangeSim;
let env: Record<string, string>;

beforeAll(async () => {
  database = await createTestDatabase();
  useTestEnv(database.url);
  client = createPrismaClient(database.url);
  sim = await startExchangeSim({ port: 0, seed: 41, binance: { weightLimitPerMinute: SIM_LIMIT, windowMs: WINDOW_MS } });
  env = simEnv(sim.origin, {
    DATABASE_URL: database.url,
    EXCHANGE_WEIGHT_LIMIT_BINANCE: String(LIMIT),
    EXCHANGE_WEIGHT_WINDOW_MS_BINANCE: String(WINDOW_MS),
    EXCHANGE_WEIGHT_GUARD_MS_BINANCE: String(GUARD_MS),
    // every check must get the exchange's answer, on a loaded machine too
    EXCHANGE_TIMEOUT_MS: "30000",
  });
});

afterAll(async () => {
  await sim?.close();
  await client?.$disconnect();
  await database?.drop();
});

interface ChildReport {
  statuses: Record<string, number>;
  stats: PacerStats;
}

/** A child process, loaded and waiting for `go()`; `report` is what it printed at the end. */
function startChild(keys: Array<{ apiKey: string; secret: string }>): { ready: Promise<void>; go: () => void; report: Promise<ChildReport> } {
  const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "tests/support/paced-checks-child.ts"], {
    cwd: projectRoot,
    env: { ...process.env, ...env, PACED_CHECKS_KEYS: JSON.stringify(keys), PACED_CHECKS_COUNT: String(PER_PROCESS), PACED_CHECKS_LANES: "4" },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  let onReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
    if (stdout.startsWith("ready\n")) onReady();
  });
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const report = new Promise<ChildReport>((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => {
      if (code !== 0) return reject(new Error(`child exited with ${code}: ${stderr}`));
      const line = stdout.trim().split("\n").at(-1) ?? "";
      resolve(JSON.parse(line) as ChildReport);
    });
  });
  return { ready: Promise.race([ready, report.then(() => undefined)]), go: () => child.stdin.end("go\n"), report };
}

/** Weight taken in the spot pool's ledger window the database's clock is in now. */
async function takenNow(): Promise<number> {
  const rows = await client.$queryRaw<Array<{ used: number }>>`
    SELECT "used" FROM "PacingLedger"
    WHERE "key" = ${`binance|${sim.origin}|spot`}
      AND "windowStart" = (floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint / ${WINDOW_MS}) * ${WINDOW_MS}`;
  return rows[0]?.used ?? 0;
}

describe("two processes on one ledger", () => {
  it("never exceed the test limit in any window of the simulator's count, and a user's check overtakes their queued work", async () => {
    const keys = Array.from({ length: 4 }, () => sim.createKey({ exchange: "binance", permissions: READ_ONLY, ipWhitelist: ["127.0.0.1"] }));
    const credentials = keys.map((k) => ({ apiKey: k.apiKey, secret: k.secret }));
    sim.resetStats();
    let finished = false;
    // both loaded before either starts, so that they run side by side
    const started = [startChild(credentials.slice(0, 2)), startChild(credentials.slice(2))];
    await Promise.all(started.map((c) => c.ready));
    for (const c of started) c.go();
    const children = Promise.all(started.map((c) => c.report)).finally(() => (finished = true));

    // A user's check from a third process (this one), once background work has spent its share of a window.
    const pacer = sharedPacer("binance", "weight", env);
    const backgroundCeiling = LIMIT - Math.ceil(LIMIT * 0.02) - Math.ceil(LIMIT * 0.02);
    const deadline = Date.now() + 90_000;
    while (!finished && (await takenNow()) < backgroundCeiling) {
      if (Date.now() > deadline) throw new Error("background work never filled a window");
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(finished, "the children were still at work").toBe(false);
    const interactive = getAdapter("binance", {
      env,
      enableRateLimit: false,
      pacer: withDeadline(pacer, 20_000, () => new Error("held back"), "interactive"),
    });
    const answer = await interactive.describeKey(credentials[0]!);
    expect(answer.status).toBe("valid");
    expect(pacer.stats, "the user's check took the reserve: it waited for no window").toMatchObject({ requests: 1, waits: 0 });

    const reports = await children;
    for (const report of reports) expect(report.statuses).toEqual({ valid: PER_PROCESS });
    // together they had more work than the budget allows: they waited for windows
    expect(reports[0]!.stats.waits + reports[1]!.stats.waits).toBeGreaterThan(0);
    const binance = sim.stats().binance;
    expect(binance.rateLimited429 + binance.banned418).toBe(0);
    const peaks = Object.values(binance.windowPeaks);
    // one IP, so each window's peak is all it served in that window: every check is counted
    expect(peaks.reduce((a, b) => a + b, 0)).toBe(2 * PER_PROCESS + 1);
    console.log("[shared-budget] window peaks", peaks.join(", "), "children", JSON.stringify(reports.map((r) => r.stats)));
    // the simulator's own count, per window: never above the limit the two processes share
    expect(Math.max(...peaks)).toBeLessThanOrEqual(LIMIT);
    // and the budget was really used (without the ledger each process alone would have gone to its own budget)
    expect(peaks.filter((p) => p >= backgroundCeiling).length).toBeGreaterThanOrEqual(2);
  }, 120_000);
});
