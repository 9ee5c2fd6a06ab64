// A complete Bybit account (spot, linear, inverse and option executions over most of the 2 years
// Bybit serves, deposits and withdrawals) exported through the real adapter and ccxt into
// Postgres, compared value by value with the simulator's ground truth; the coverage report and
// the reconciliation of the unified wallet; a crash at random pages; a missing trade.

import { beforeAll, describe, expect, it } from "vitest";
import type { CoverageReport } from "@/lib/backups/coverage/coverage-report";
import { runExport, type RunExportOptions } from "@/lib/backups/export/run-export";
import type { Db } from "@/lib/db";
import type { ExchangeSim, SimKey } from "@/lib/exchange-sim";
import { farPacer } from "../../support/far-limits";
import { bindSimKey, createExportJob, DAY, simEnv, exportThroughCrashes } from "./harness";
import { expectMissingTradeShows, expectReconciled, expectTradesAndTransfersStored, completeAccountSuite } from "./complete-account";

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

const account = completeAccountSuite({ seed: 79 });
let client: Db, sim: ExchangeSim, userId: string;
beforeAll(() => void ({ client, sim, userId } = account));

async function expectEverythingStored(bindingId: string, key: SimKey) {
  await expectTradesAndTransfersStored(account, "bybit", bindingId, key.apiKey, {
    products: PRODUCTS,
    row: (row, trade) => {
      expect(row.cost).toBe(trade.raw.execValue);
      expect(row.feeCurrency).toBe(trade.feeCurrency);
    },
  });
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
    expectReconciled(report, sim.ledger("bybit", key.apiKey).balances);
  });

  it("names every category and Bybit's 2-year retention", () => {
    const parts = Object.fromEntries(report.parts.map((p) => [p.part, p.rows]));
    for (const part of [...PRODUCTS, "transfers"]) expect(parts[part], part).toBeGreaterThan(0);
    expect(report.limits.map((l) => l.part).sort()).toEqual([...PRODUCTS].sort());
    expect(report.limits[0]!.message).toMatch(/older than 2 years.*no longer returns/);
    expect(Date.parse(report.limits[0]!.availableFrom)).toBeLessThan(now - 729 * DAY);
  });

  it("a trade missing from the backup shows as a difference in its assets", async () => {
    await expectMissingTradeShows(account, "bybit", bindingId, "spot");
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
