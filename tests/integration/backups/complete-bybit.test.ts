// A complete Bybit account (spot, linear, inverse and option executions over most of the 2 years
// Bybit serves, deposits and withdrawals) exported through the real adapter and ccxt into
// Postgres, compared value by value with the simulator's ground truth; the coverage report and
// the reconciliation of the unified wallet; a crash at random pages; a missing trade.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CoverageReport } from "@/lib/backups/coverage/coverage-report";
import { runExport, type RunExportOptions } from "@/lib/backups/export/run-export";
import { createPrismaClient, type Db } from "@/lib/db";
import { startExchangeSim, type ExchangeSim, type SimKey } from "@/lib/exchange-sim";
import { useTestEnv } from "../../support/app-env";
import { farPacer } from "../../support/far-limits";
import { createTestDatabase, type TestDatabase } from "../../support/test-database";
import { bindSimKey, createExportJob, createUser, DAY, simEnv, exportThroughCrashes, coverageNow } from "./harness";

let database: TestDatabase;
let client: Db;
let sim: ExchangeSim;
let userId: string;

const HOUR = 3_600_000;
const now = Date.now();
const FAST_BACKOFF = { attempts: 4, baseMs: 20, maxMs: 200 };
const PRODUCTS = ["spot", "usdm", "coinm", "option"] as const;
// the history spans 400 days; the export looks back 420 (fewer empty windows than 2 years)
const since = new Date(now - 420 * DAY);

function completeKey(seed: number): SimKey {
  return sim.createKey({
    exchange: "bybit",
    permissions: { read: true, spotTrade: true, marginTrade: false, futuresTrade: true, withdraw: false, transfer: false },
    trades: {
      count: 1000,
      markets: 5,
      seed,
      startTime: new Date(now - 400 * DAY),
      endTime: new Date(now - HOUR),
      products: {
        usdm: { count: 800, markets: 3 },
        coinm: { count: 300, markets: 2, startTime: new Date(now - 200 * DAY) },
        option: { count: 200, markets: 3, startTime: new Date(now - 60 * DAY) },
      },
    },
    ledger: {},
  });
}

function exportOptions(extra: Partial<RunExportOptions> = {}): RunExportOptions {
  return { env: simEnv(sim.origin), pacer: farPacer(), backoff: FAST_BACKOFF, since, ...extra };
}

beforeAll(async () => {
  database = await createTestDatabase();
  useTestEnv(database.url);
  client = createPrismaClient(database.url);
  sim = await startExchangeSim({ port: 0, seed: 79 });
  userId = await createUser(client);
});

afterAll(async () => {
  await sim?.close();
  await client?.$disconnect();
  await database?.drop();
});

async function expectEverythingStored(bindingId: string, key: SimKey) {
  const ledger = sim.ledger("bybit", key.apiKey);
  expect(sim.products("bybit", key.apiKey)).toEqual([...PRODUCTS]);
  for (const product of PRODUCTS) {
    const truth = sim.trades("bybit", key.apiKey, { product });
    expect(truth.length, product).toBeGreaterThan(0);
    const stored = await client.tradeRecord.findMany({ where: { bindingId, product } });
    expect(stored.length, product).toBe(truth.length);
    const byKey = new Map(stored.map((t) => [`${t.market}/${t.exchangeTradeId}`, t]));
    for (const trade of truth) {
      const row = byKey.get(`${trade.symbol}/${trade.id}`);
      expect(row, `${product} ${trade.symbol}/${trade.id}`).toBeDefined();
      expect(row!.raw).toEqual(trade.raw);
      expect(row!.cost).toBe(trade.raw.execValue);
      expect(row!.feeCurrency).toBe(trade.feeCurrency);
    }
  }
  const deposits = await client.transfer.count({ where: { bindingId, direction: "deposit" } });
  const withdrawals = await client.transfer.count({ where: { bindingId, direction: "withdrawal" } });
  expect(deposits).toBeGreaterThan(0);
  expect({ deposits, withdrawals }).toEqual({ deposits: ledger.deposits.length, withdrawals: ledger.withdrawals.length });
}

describe("a complete Bybit account", () => {
  let key: SimKey;
  let bindingId: string;
  let report: CoverageReport;

  it("exports every category and the transfers exactly, and the unified wallet adds up", async () => {
    key = completeKey(3);
    bindingId = await bindSimKey(client, userId, key);
    const jobId = await createExportJob(client, userId, bindingId);
    const result = await runExport(client, jobId, exportOptions());
    expect(result.status).toBe("SUCCEEDED");
    await expectEverythingStored(bindingId, key);
    const total = PRODUCTS.reduce((sum, product) => sum + sim.tradeCount("bybit", key.apiKey, product), 0);
    expect(result.inserted).toBe(total);

    const job = await client.exportJob.findUniqueOrThrow({ where: { id: jobId } });
    report = job.coverage as CoverageReport;
    expect(report.reconciliation.checked).toBe(true);
    expect(report.reconciliation.assets.filter((a) => a.difference !== "0")).toEqual([]);
    expect(Object.fromEntries(report.reconciliation.assets.filter((a) => a.balance !== "0").map((a) => [a.asset, a.balance]))).toEqual(
      sim.ledger("bybit", key.apiKey).balances,
    );
    expect(report.gaps).toEqual([]);
    expect(report.complete).toBe(true);
  });

  it("names every category and Bybit's 2-year retention", () => {
    const parts = Object.fromEntries(report.parts.map((p) => [p.part, p.rows]));
    for (const part of [...PRODUCTS, "transfers"]) expect(parts[part], part).toBeGreaterThan(0);
    expect(report.limits.map((l) => l.part).sort()).toEqual([...PRODUCTS].sort());
    expect(report.limits[0]!.message).toMatch(/older than 2 years.*no longer returns/);
    expect(Date.parse(report.limits[0]!.availableFrom)).toBeLessThan(now - 729 * DAY);
  });

  it("a trade missing from the backup shows as a difference in its assets", async () => {
    const victim = await client.tradeRecord.findFirstOrThrow({ where: { bindingId, product: "spot" }, orderBy: { tradedAt: "asc" } });
    await client.tradeRecord.delete({ where: { id: victim.id } });
    const again = await coverageNow(client, bindingId, "bybit");
    expect(again.complete).toBe(false);
    const off = Object.fromEntries(again.reconciliation.assets.filter((a) => a.difference !== "0").map((a) => [a.asset, a.difference]));
    expect(Object.keys(off).length).toBeGreaterThan(0);
    expect(off).toEqual(victim.effects);
  });

  it("a later run finds nothing new, hands out nothing twice, and stays complete", async () => {
    const fresh = completeKey(4);
    const binding = await bindSimKey(client, userId, fresh);
    expect((await runExport(client, await createExportJob(client, userId, binding), exportOptions())).status).toBe("SUCCEEDED");
    const second = await runExport(client, await createExportJob(client, userId, binding), exportOptions());
    // fetched 0: the overlap with the last run is re-read, but what it handed on is skipped
    expect(second).toMatchObject({ status: "SUCCEEDED", inserted: 0, fetched: 0 });
    const latest = await client.exportJob.findFirstOrThrow({ where: { bindingId: binding, status: "SUCCEEDED" }, orderBy: { finishedAt: "desc" } });
    expect((latest.coverage as CoverageReport).complete).toBe(true);
  });

  it("killed at random pages across categories, resumed each time, stores every record once", async () => {
    const crashing = completeKey(9);
    const binding = await bindSimKey(client, userId, crashing);
    const jobId = await createExportJob(client, userId, binding);
    expect(await exportThroughCrashes(client, jobId, exportOptions, { seed: 11, spread: 40 })).toBe(6);
    const job = await client.exportJob.findUniqueOrThrow({ where: { id: jobId } });
    expect(job.status).toBe("SUCCEEDED");
    await expectEverythingStored(binding, crashing);
    expect((job.coverage as CoverageReport).reconciliation.assets.filter((a) => a.difference !== "0")).toEqual([]);
  });
});
