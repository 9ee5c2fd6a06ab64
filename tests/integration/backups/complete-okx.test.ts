// A complete OKX account (spot, margin, SWAP, FUTURES and OPTION fills, some older than the 3
// months of fills-history, deposits and withdrawals) exported through the real adapter and ccxt
// into Postgres, compared value by value with the simulator's ground truth; the fills archive
// path, the coverage report and the reconciliation of every balance; a crash at random pages; a
// missing trade.

import { beforeAll, describe, expect, it } from "vitest";
import type { CoverageReport } from "@/lib/backups/coverage/coverage-report";
import { runExport, type RunExportOptions } from "@/lib/backups/export/run-export";
import type { Db } from "@/lib/db";
import type { ExchangeSim, SimKey } from "@/lib/exchange-sim";
import { farPacer } from "../../support/far-limits";
import { bindSimKey, createExportJob, DAY, requestCount, simEnv, exportThroughCrashes } from "./harness";
import { expectMissingTradeShows, expectReconciled, expectTradesAndTransfersStored, completeAccountSuite } from "./complete-account";

const HOUR = 3_600_000;
const now = Date.now();
const FAST_BACKOFF = { attempts: 4, baseMs: 20, maxMs: 200 };
const PRODUCTS = ["spot", "margin", "usdm", "coinm", "option"] as const;

/** Margin and COIN-M fills reach back past fills-history's 3 months: only the archive has those. */
function completeKey(seed: number): SimKey {
  return sim.createKey({
    exchange: "okx",
    permissions: { read: true, spotTrade: true, marginTrade: true, futuresTrade: true, withdraw: false, transfer: false },
    trades: {
      count: 900,
      markets: 5,
      seed,
      startTime: new Date(now - 80 * DAY),
      endTime: new Date(now - HOUR),
      products: {
        margin: { count: 600, markets: 3, startTime: new Date(now - 250 * DAY) },
        usdm: { count: 700, markets: 3 },
        coinm: { count: 400, markets: 2, startTime: new Date(now - 500 * DAY) },
        option: { count: 200, markets: 3 },
      },
    },
    ledger: {},
  });
}

function exportOptions(extra: Partial<RunExportOptions> = {}): RunExportOptions {
  return { env: simEnv(sim.origin), pacer: farPacer(), backoff: FAST_BACKOFF, ...extra };
}

const account = completeAccountSuite({ seed: 78 });
let client: Db, sim: ExchangeSim, userId: string;
beforeAll(() => void ({ client, sim, userId } = account));

async function expectEverythingStored(bindingId: string, key: SimKey) {
  await expectTradesAndTransfersStored(account, "okx", bindingId, key.apiKey, {
    products: PRODUCTS,
    // fills-history item or archive row alike
    row: (row, trade) => {
      expect(row.tradedAt.getTime()).toBe(trade.timestamp);
      expect(row.feeCurrency).toBe(trade.feeCurrency);
    },
  });
}

describe("a complete OKX account", () => {
  let key: SimKey;
  let bindingId: string;
  let report: CoverageReport;

  it("exports every instType and the transfers exactly, and every balance adds up", async () => {
    key = completeKey(3);
    bindingId = await bindSimKey(client, userId, key);
    const jobId = await createExportJob(client, userId, bindingId);
    sim.resetStats();
    const result = await runExport(client, jobId, exportOptions());
    expect(result.status).toBe("SUCCEEDED");
    await expectEverythingStored(bindingId, key);
    // every fill stored once: the archive's quarters overlap fills-history, nothing was handed out twice
    const total = PRODUCTS.reduce((sum, product) => sum + sim.tradeCount("okx", key.apiKey, product), 0);
    expect(result.inserted).toBe(total);
    expect(result.fetched).toBe(total);

    const job = await client.exportJob.findUniqueOrThrow({ where: { id: jobId } });
    report = job.coverage as CoverageReport;
    expectReconciled(report, sim.ledger("okx", key.apiKey).balances);
    expect(report.summary).toMatch(/^Complete as far as OKX allows/);
  });

  it("fills older than 3 months come from the fills archive, and the coverage reaches back to them", async () => {
    const stats = sim.stats();
    // applied for, polled until finished (the first poll answers "ongoing"), downloaded
    const applied = requestCount(stats, "/api/v5/trade/fills-archive");
    const downloads = requestCount(stats, "/okx-archive/");
    expect(downloads).toBeGreaterThanOrEqual(6);
    expect(applied).toBeGreaterThanOrEqual(3 * downloads);
    for (const product of ["margin", "coinm"] as const) {
      const old = sim.trades("okx", key.apiKey, { product }).filter((t) => t.timestamp < now - 95 * DAY);
      expect(old.length, product).toBeGreaterThan(0);
      const stored = await client.tradeRecord.count({ where: { bindingId, product, tradedAt: { lt: new Date(now - 95 * DAY) } } });
      expect(stored, product).toBe(old.length);
      const part = report.parts.find((p) => p.part === product)!;
      expect(Date.parse(part.from!)).toBe(sim.trades("okx", key.apiKey, { product })[0]!.timestamp);
    }
    // what OKX keeps no more is named per product
    expect(report.limits.map((l) => l.part).sort()).toEqual([...PRODUCTS].sort());
    expect(report.limits[0]!.message).toMatch(/OKX keeps none.*fills archive/);
    const parts = Object.fromEntries(report.parts.map((p) => [p.part, p.rows]));
    for (const part of [...PRODUCTS, "transfers"]) expect(parts[part], part).toBeGreaterThan(0);
  });

  it("a trade missing from the backup shows as a difference in its assets", async () => {
    await expectMissingTradeShows(account, "okx", bindingId, "margin");
  });

  it("a later run of a binding reads only fills-history and the transfers, finds nothing new and stays complete", async () => {
    const fresh = completeKey(4);
    const binding = await bindSimKey(client, userId, fresh);
    expect((await runExport(client, await createExportJob(client, userId, binding), exportOptions())).status).toBe("SUCCEEDED");
    const before = await client.tradeRecord.count({ where: { bindingId: binding } });
    sim.resetStats();
    const second = await runExport(client, await createExportJob(client, userId, binding), exportOptions());
    expect(second).toMatchObject({ status: "SUCCEEDED", inserted: 0 });
    // the last sync is recent: fills-history reaches back past it, the archive is not asked
    expect(requestCount(sim.stats(), "/api/v5/trade/fills-archive")).toBe(0);
    expect(await client.tradeRecord.count({ where: { bindingId: binding } })).toBe(before);
    const latest = await client.exportJob.findFirstOrThrow({ where: { bindingId: binding, status: "SUCCEEDED" }, orderBy: { finishedAt: "desc" } });
    expect((latest.coverage as CoverageReport).complete).toBe(true);
  });

  it("an archive that is down for a while is retried: the run resumes and completes", async () => {
    const refused = completeKey(5);
    const binding = await bindSimKey(client, userId, refused);
    const jobId = await createExportJob(client, userId, binding);
    // every application fails: OKX's archive is not available for any quarter
    sim.setFault({ exchange: "okx", pathPrefix: "/api/v5/trade/fills-archive", kind: "error", status: 503 });
    try {
      const result = await runExport(client, jobId, exportOptions()).catch((error: unknown) => error);
      // a 503 is worth retrying: the run gives up as retryable, nothing is claimed complete
      expect(result).toMatchObject({ name: "ExportRetryableError" });
    } finally {
      sim.clearFaults();
    }
    const waiting = await client.exportJob.findUniqueOrThrow({ where: { id: jobId } });
    expect(waiting.status).toBe("RUNNING");
    expect(await runExport(client, jobId, exportOptions())).toMatchObject({ status: "SUCCEEDED" });
    await expectEverythingStored(binding, refused);
  });

  it("a quarter the archive refuses is a failed window in the coverage, not a silent hole", async () => {
    const refused = completeKey(6);
    const binding = await bindSimKey(client, userId, refused);
    const jobId = await createExportJob(client, userId, binding);
    // The export's clock runs a quarter ahead of OKX's: it applies for the quarter OKX is still
    // in, which OKX refuses (51000, the current quarter is never archived).
    const ahead = 92 * DAY;
    expect((await runExport(client, jobId, exportOptions({ now: () => Date.now() + ahead }))).status).toBe("SUCCEEDED");
    const coverage = (await client.exportJob.findUniqueOrThrow({ where: { id: jobId } })).coverage as CoverageReport;
    expect(coverage.complete).toBe(false);
    const current = new Date(now);
    const quarterStart = Date.UTC(current.getUTCFullYear(), Math.floor(current.getUTCMonth() / 3) * 3, 1);
    const refusals = coverage.gaps.filter((g) => g.kind === "failed" && Date.parse(g.from!) === quarterStart);
    expect(refusals.map((g) => g.part).sort()).toEqual([...PRODUCTS].sort());
    expect(refusals[0]!.message).toMatch(/fills archive was not available \(OKX answered 51000/);
    // fills-history still had this quarter's fills: nothing is lost, but nothing is claimed either
    await expectEverythingStored(binding, refused);
    expect(coverage.reconciliation.assets.filter((a) => a.difference !== "0")).toEqual([]);
  });

  it("killed at random pages across instTypes and the archive, resumed each time, stores every record once", async () => {
    const crashing = completeKey(9);
    const binding = await bindSimKey(client, userId, crashing);
    const jobId = await createExportJob(client, userId, binding);
    expect(await exportThroughCrashes(client, jobId, exportOptions, { seed: 7, spread: 10 })).toBe(6);
    const job = await client.exportJob.findUniqueOrThrow({ where: { id: jobId } });
    expect(job.status).toBe("SUCCEEDED");
    await expectEverythingStored(binding, crashing);
    expect((job.coverage as CoverageReport).reconciliation.assets.filter((a) => a.difference !== "0")).toEqual([]);
    expect((job.coverage as CoverageReport).complete).toBe(true);
  });
});
