// Binance's IP weight limit, for real over HTTP: a simulator with a small limit and a short
// window stands in for 6000 per minute. The export must never be banned (418), must wait out
// a 429 instead of pushing on, and with a pacer that knows the limit must keep under it
// without a single 429. (Throughput is benchmark (a)'s, docs/benchmarks.md.)

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runExport } from "@/lib/backups/export/run-export";
import { createPrismaClient, type Db } from "@/lib/db";
import { startExchangeSim, type ExchangeSim } from "@/lib/exchange-sim";
import { WeightPacer } from "@/lib/exchanges/pacing/weight-pacer";
import { useTestEnv } from "../../support/app-env";
import { recordingUsedWeight } from "../../support/weight-recorder";
import { PooledPacer } from "@/lib/exchanges/pacing/pooled-pacer";
import { createTestDatabase, type TestDatabase } from "../../support/test-database";
import { bindSimKey, createExportJob, createUser, DAY, expectStoredEqualsTruth, READ_ONLY, requestCount, simEnv } from "./harness";
import { FAR_BINANCE_LIMITS, farPacer } from "../../support/far-limits";

let database: TestDatabase;
let client: Db;
let userId: string;
const since = new Date(Date.now() - 60 * DAY);
const backoff = { attempts: 4, baseMs: 20, maxMs: 200 };

beforeAll(async () => {
  database = await createTestDatabase();
  useTestEnv(database.url);
  client = createPrismaClient(database.url);
  userId = await createUser(client);
});

afterAll(async () => {
  await client?.$disconnect();
  await database?.drop();
});

/** A Binance pacer whose spot pool is `spot` and whose other pools are far from their limits. */
function withFarPools(spot: WeightPacer): PooledPacer {
  const far = farPacer();
  return new PooledPacer(spot, { fapi: far.pacerOf("fapi"), dapi: far.pacerOf("dapi"), uid: far.pacerOf("uid") });
}

describe("Binance weight pacing against a limited simulator", () => {
  let sim: ExchangeSim;
  const limit = 400;
  const windowMs = 800;

  beforeAll(async () => {
    // the spot pool (/api, /sapi) limited; the others far away, paced by their own pacers
    sim = await startExchangeSim({ port: 0, seed: 3, binance: { ...FAR_BINANCE_LIMITS, weightLimitPerMinute: limit, windowMs } });
  });
  afterAll(async () => sim?.close());

  // How much of each window it uses is a speed target, measured by bench (b) (docs/benchmarks.md):
  // on a busy 2-core machine a test process cannot keep an 800 ms window full.
  it("a pacer that knows the limit keeps every window at or under it, with no 429 and no 418", async () => {
    const key = sim.createKey({ exchange: "binance", permissions: READ_ONLY, trades: { count: 3000, markets: 24, seed: 5 } });
    const bindingId = await bindSimKey(client, userId, key);
    sim.resetRateLimits();
    sim.resetStats();
    const inner = withFarPools(new WeightPacer({ limit, windowMs }));
    const { pacer, maxPerWindow } = recordingUsedWeight(inner, windowMs);
    const started = Date.now();
    const result = await runExport(client, await createExportJob(client, userId, bindingId), { env: simEnv(sim.origin), pacer, backoff, since });
    const elapsed = Date.now() - started;
    expect(result.status).toBe("SUCCEEDED");
    await expectStoredEqualsTruth(client, bindingId, sim.trades("binance", key.apiKey));
    expect(sim.stats().binance).toMatchObject({ rateLimited429: 0, banned418: 0 });

    const windows = [...maxPerWindow.entries()].sort(([a], [b]) => a - b);
    const full = windows.slice(1, -1).map(([, used]) => used); // the first and last are partial
    const total = windows.reduce((sum, [, used]) => sum + used, 0);
    console.log(
      `[pacing] ${requestCount(sim.stats())} requests, weight ${total} in ${elapsed} ms over ${windows.length} windows of ${windowMs} ms (limit ${limit}): ` +
        `full windows used ${full.map((u) => `${Math.round((u / limit) * 100)}%`).join(", ")}; overall ${Math.round(((total / limit) * windowMs * 100) / elapsed)}% of the bound`,
    );
    expect(full.length).toBeGreaterThan(0);
    for (const used of full) expect(used).toBeLessThanOrEqual(limit);
  });

  it("a pacer that does not know the limit meets a 429, waits Retry-After, and is never banned", async () => {
    const key = sim.createKey({ exchange: "binance", permissions: READ_ONLY, trades: { count: 600, markets: 4, seed: 6 } });
    const bindingId = await bindSimKey(client, userId, key);
    sim.resetRateLimits();
    sim.resetStats();
    // configured for the window but not for the limit: 6000 where the server allows 400
    const spot = new WeightPacer({ windowMs });
    const pacer = withFarPools(spot);
    const jobId = await createExportJob(client, userId, bindingId);
    const result = await runExport(client, jobId, { env: simEnv(sim.origin), pacer, backoff, since });
    expect(result.status).toBe("SUCCEEDED");
    await expectStoredEqualsTruth(client, bindingId, sim.trades("binance", key.apiKey));
    const stats = sim.stats().binance;
    expect(stats.rateLimited429).toBeGreaterThanOrEqual(1);
    expect(stats.banned418).toBe(0);
    // it learnt the server's limit from the first 429: at most one more (rounding of the window)
    expect(stats.rateLimited429).toBeLessThanOrEqual(2);
    expect(spot.effectiveLimit).toBeLessThanOrEqual(limit);
    expect(spot.stats.waits).toBeGreaterThan(0);
    const job = await client.exportJob.findUniqueOrThrow({ where: { id: jobId } });
    expect(job.attempts).toBe(0);
  });
});
