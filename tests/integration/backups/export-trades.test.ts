// runExport against the exchange simulator over real HTTP, through the real adapters and ccxt,
// into a real Postgres: completeness and exactness, incremental re-runs, crashes at any point,
// transient faults.

import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ExportInterruptedError } from "@/lib/backups/export/errors";
import { runExport, type ExportPhase, type RunExportOptions } from "@/lib/backups/export/run-export";
import { createPrismaClient, type Db } from "@/lib/db";
import { startExchangeSim, type ExchangeSim } from "@/lib/exchange-sim";
import type { SimExchange } from "@/lib/exchange-sim/types";
import { useTestEnv } from "../../support/app-env";
import { createTestDatabase, type TestDatabase } from "../../support/test-database";
import { bindSimKey, createExportJob, createUser, DAY, expectStoredEqualsTruth, READ_ONLY, requestCount, seededRandom, simEnv } from "./harness";
import { FAR_BINANCE_LIMITS, farPacer } from "../../support/far-limits";

let database: TestDatabase;
let client: Db;
let sim: ExchangeSim;
let userId: string;
let options: RunExportOptions;

const FAST_BACKOFF = { attempts: 4, baseMs: 20, maxMs: 200 };
// The export only looks back a year for Binance deposits/withdrawals (fewer requests).
const since = new Date(Date.now() - 365 * DAY);

beforeAll(async () => {
  database = await createTestDatabase();
  useTestEnv(database.url);
  client = createPrismaClient(database.url);
  // completeness, not pacing, here: the simulator's weight limit is far away and the pacer knows it
  sim = await startExchangeSim({ port: 0, seed: 42, binance: FAR_BINANCE_LIMITS });
  options = { env: simEnv(sim.origin), pacer: farPacer(), backoff: FAST_BACKOFF, since };
  userId = await createUser(client);
});

afterAll(async () => {
  await sim?.close();
  await client?.$disconnect();
  await database?.drop();
});

afterEach(() => sim.clearFaults());

function newKey(exchange: SimExchange, count: number, markets: number, seed: number) {
  return sim.createKey({ exchange, permissions: READ_ONLY, trades: { count, markets, seed } });
}

describe("a first export", () => {
  it("Binance: 3000 trades over 24 markets, exact strings, progress and audit", async () => {
    const key = newKey("binance", 3000, 24, 101);
    const bindingId = await bindSimKey(client, userId, key);
    const jobId = await createExportJob(client, userId, bindingId);
    sim.resetStats();
    const started = performance.now();
    const result = await runExport(client, jobId, options);
    const seconds = (performance.now() - started) / 1000;
    const requests = requestCount(sim.stats());
    console.log(`[export] binance 3000 trades / 24 markets: ${seconds.toFixed(2)} s, ${Math.round(3000 / seconds)} trades/s, ${requests} requests (${requestCount(sim.stats(), "/api/v3/myTrades")} myTrades)`);

    expect(result).toMatchObject({ status: "SUCCEEDED", inserted: 3000, skipped: false });
    await expectStoredEqualsTruth(client, bindingId, sim.trades("binance", key.apiKey));

    const job = await client.exportJob.findUniqueOrThrow({ where: { id: jobId } });
    expect(job).toMatchObject({ status: "SUCCEEDED", tradesFetched: 3000, marketsTotal: 24, marketsDone: 24, progress: 1, etaSeconds: 0, error: null });
    // the counter counts pages written; empty pages in between may be skipped, never one with trades
    expect(job.pagesFetched).toBe(result.stored);
    expect(result.stored).toBeLessThanOrEqual(result.pages);
    expect(job.finishedAt).not.toBeNull();
    // the cursor row is written by raw SQL: on the same UTC clock as Prisma's timestamps
    const cursor = await client.syncCursor.findFirstOrThrow({ where: { bindingId } });
    expect(Math.abs(cursor.updatedAt.getTime() - Date.now())).toBeLessThan(60_000);
    expect(cursor.done).toBe(true);
    const binding = await client.exchangeBinding.findUniqueOrThrow({ where: { id: bindingId } });
    expect(binding.lastSyncedAt?.getTime()).toBe(job.finishedAt?.getTime());
    const events = await client.auditEvent.findMany({ where: { bindingId }, select: { type: true, data: true } });
    expect(events).toEqual([{ type: "export.completed", data: expect.objectContaining({ exportJobId: jobId, tradesStored: 3000, markets: 24 }) }]);
  });

  it("OKX: 3000 fills, exact strings", async () => {
    const key = newKey("okx", 3000, 12, 102);
    const bindingId = await bindSimKey(client, userId, key);
    const result = await runExport(client, await createExportJob(client, userId, bindingId), options);
    expect(result).toMatchObject({ status: "SUCCEEDED", inserted: 3000 });
    await expectStoredEqualsTruth(client, bindingId, sim.trades("okx", key.apiKey));
  });

  it("Bybit: 3000 executions, exact strings", async () => {
    const key = newKey("bybit", 3000, 12, 103);
    const bindingId = await bindSimKey(client, userId, key);
    const result = await runExport(client, await createExportJob(client, userId, bindingId), options);
    expect(result).toMatchObject({ status: "SUCCEEDED", inserted: 3000 });
    await expectStoredEqualsTruth(client, bindingId, sim.trades("bybit", key.apiKey));
  });
});

describe("a second export", () => {
  it.each(["binance", "okx", "bybit"] as const)("%s: fetches only what is new, with few requests", async (exchange) => {
    const key = newKey(exchange, 800, 4, 110);
    const bindingId = await bindSimKey(client, userId, key);
    sim.resetStats();
    await runExport(client, await createExportJob(client, userId, bindingId), options);
    const firstRequests = requestCount(sim.stats());

    sim.resetStats();
    const again = await runExport(client, await createExportJob(client, userId, bindingId), options);
    const secondRequests = requestCount(sim.stats());
    console.log(`[export] ${exchange} re-run: ${secondRequests} requests (first run ${firstRequests})`);
    expect(again).toMatchObject({ status: "SUCCEEDED", inserted: 0 });
    expect(secondRequests).toBeLessThanOrEqual(firstRequests);
    // Binance: deposits and withdrawals only since the last sync (one 90-day window)
    if (exchange === "binance") expect(requestCount(sim.stats(), "/sapi/v1/capital")).toBe(2);
    await expectStoredEqualsTruth(client, bindingId, sim.trades(exchange, key.apiKey));
    const cursor = await client.syncCursor.findMany({ where: { bindingId } });
    expect(cursor).toHaveLength(1);
    expect(cursor[0]?.done).toBe(true);
  });

  it("a finished job is not run again", async () => {
    const key = newKey("okx", 50, 2, 111);
    const bindingId = await bindSimKey(client, userId, key);
    const jobId = await createExportJob(client, userId, bindingId);
    await runExport(client, jobId, options);
    sim.resetStats();
    expect(await runExport(client, jobId, options)).toMatchObject({ status: "SUCCEEDED", skipped: true });
    expect(requestCount(sim.stats())).toBe(0);
  });
});

describe("trades stored before the run", () => {
  it.each(["binance", "okx", "bybit"] as const)("%s: an export from scratch over partly stored trades (an imported archive) adds only the missing ones", async (exchange) => {
    const key = newKey(exchange, 1500, 5, 120);
    const bindingId = await bindSimKey(client, userId, key);
    await runExport(client, await createExportJob(client, userId, bindingId), options);
    // As after importing an archive into a fresh binding: trades present, no cursor. Every
    // other trade goes, so the first page already mixes stored and missing ones.
    await client.syncCursor.deleteMany({ where: { bindingId } });
    const stored = await client.tradeRecord.findMany({ where: { bindingId }, select: { id: true }, orderBy: { id: "asc" } });
    const removed = stored.filter((_, i) => i % 2 === 0).map((row) => row.id);
    await client.tradeRecord.deleteMany({ where: { id: { in: removed } } });

    const again = await runExport(client, await createExportJob(client, userId, bindingId), options);
    expect(again).toMatchObject({ status: "SUCCEEDED", inserted: removed.length });
    await expectStoredEqualsTruth(client, bindingId, sim.trades(exchange, key.apiKey));
  });
});

describe("crashes at any point", () => {
  const phases: ExportPhase[] = ["fetched", "in-transaction", "committed"];

  it.each([
    ["binance", 2600, 5, 121],
    ["okx", 1500, 6, 122],
    ["bybit", 1500, 6, 123],
  ] as const)("%s: killed five times at random pages and phases, ends with exactly the exchange's trades", async (exchange, count, markets, seed) => {
    const key = newKey(exchange, count, markets, seed);
    const bindingId = await bindSimKey(client, userId, key);
    const jobId = await createExportJob(client, userId, bindingId);
    const random = seededRandom(seed);
    const crashes: string[] = [];
    for (let crash = 0; crash < 5; crash++) {
      const atPage = 1 + Math.floor(random() * 4);
      const phase = phases[Math.floor(random() * phases.length)]!;
      const useSignal = random() < 0.5;
      const controller = new AbortController();
      const outcome = await runExport(client, jobId, {
        ...options,
        signal: controller.signal,
        onPage: (event) => {
          // the first page at or after atPage that reaches the phase (an empty page may not be stored at all)
          if (event.index < atPage || event.phase !== phase) return;
          // two ways to die: an abort (a stopping worker) or an exception (a crash)
          if (useSignal) controller.abort();
          else throw new Error("simulated crash");
        },
      }).then(
        (result) => result.status,
        (error: unknown) => (error instanceof ExportInterruptedError ? "interrupted" : (error as Error).message),
      );
      crashes.push(`${outcome}@${atPage}/${phase}`);
      if (outcome === "SUCCEEDED") break;
      expect(["interrupted", "simulated crash"]).toContain(outcome);
    }
    const final = await runExport(client, jobId, options);
    expect(["SUCCEEDED"]).toContain(final.status);
    await expectStoredEqualsTruth(client, bindingId, sim.trades(exchange, key.apiKey));
    const job = await client.exportJob.findUniqueOrThrow({ where: { id: jobId } });
    // the counter counts stored rows, so re-fetched pages do not inflate it
    expect(job.tradesFetched, crashes.join(" ")).toBe(count);
  });
});

describe("transient faults", () => {
  it.each([
    ["a 503", { kind: "error", status: 503, count: 2 }],
    ["a 500", { kind: "error", status: 500, count: 1 }],
    ["a truncated body", { kind: "malformed", count: 2 }],
    ["a timeout", { kind: "timeout", ms: 2000, count: 1 }],
  ] as const)("%s on the trade endpoints is retried and the export completes", async (_name, fault) => {
    for (const [exchange, path] of [
      ["binance", "/api/v3/myTrades"],
      ["okx", "/api/v5/trade/fills-history"],
      ["bybit", "/v5/execution/list"],
    ] as const) {
      const key = newKey(exchange, 1200, 3, 130);
      const bindingId = await bindSimKey(client, userId, key);
      const jobId = await createExportJob(client, userId, bindingId);
      sim.clearFaults();
      sim.setFault({ exchange, pathPrefix: path, ...fault });
      const result = await runExport(client, jobId, { ...options, timeoutMs: 300 });
      expect(result.status, `${exchange}`).toBe("SUCCEEDED");
      expect(sim.faults(), "the fault was hit").toEqual([]);
      await expectStoredEqualsTruth(client, bindingId, sim.trades(exchange, key.apiKey));
    }
  });

  it("a fault that outlasts the retries leaves a resumable job and a retryable error", async () => {
    const key = newKey("okx", 600, 3, 131);
    const bindingId = await bindSimKey(client, userId, key);
    const jobId = await createExportJob(client, userId, bindingId);
    sim.setFault({ exchange: "okx", pathPrefix: "/api/v5/trade/fills-history", kind: "error", status: 503, count: 10 });
    await expect(runExport(client, jobId, options)).rejects.toMatchObject({ name: "ExportRetryableError", failure: { retryable: true } });
    const job = await client.exportJob.findUniqueOrThrow({ where: { id: jobId } });
    expect(job.status).toBe("RUNNING");
    expect(job.error).toMatch(/exchange is down/);
    sim.clearFaults();
    // The fills archive (read before fills-history) may have stored the older fills already:
    // the two runs together store each fill once.
    expect(await runExport(client, jobId, options)).toMatchObject({ status: "SUCCEEDED" });
    expect((await client.exportJob.findUniqueOrThrow({ where: { id: jobId } })).tradesFetched).toBe(600);
    await expectStoredEqualsTruth(client, bindingId, sim.trades("okx", key.apiKey));
  });

  it("a deleted key fails the job for good with a clear reason", async () => {
    const key = newKey("binance", 100, 2, 132);
    const bindingId = await bindSimKey(client, userId, key);
    const jobId = await createExportJob(client, userId, bindingId);
    sim.deleteKey("binance", key.apiKey);
    sim.resetStats();
    const result = await runExport(client, jobId, options);
    expect(result.status).toBe("FAILED");
    // no retries: a deleted key stays deleted. The export's streams (one per Binance weight
    // pool) each send their first signed request at once: at most one each.
    const stats = sim.stats();
    const signed = ["/api/v3/account", "/sapi", "/fapi/v1/userTrades", "/fapi/v2", "/dapi/v1/userTrades", "/dapi/v1/balance"].reduce((sum, path) => sum + requestCount(stats, path), 0);
    expect(signed).toBeGreaterThanOrEqual(1);
    expect(signed).toBeLessThanOrEqual(4);
    const job = await client.exportJob.findUniqueOrThrow({ where: { id: jobId } });
    expect(job.status).toBe("FAILED");
    expect(job.error).toMatch(/does not exist.*-2008/);
    const events = await client.auditEvent.findMany({ where: { bindingId }, select: { type: true } });
    expect(events.map((e) => e.type)).toEqual(["export.failed"]);
  });
});
