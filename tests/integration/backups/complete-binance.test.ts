// A complete Binance account (spot, cross and isolated margin, USDⓈ-M, COIN-M, convert, dust,
// income, deposits and withdrawals, a delisted market) exported through the real adapter and
// ccxt into Postgres, compared value by value with the simulator's ground truth; its coverage
// report and the reconciliation of every balance; a crash at random pages; a missing trade.

import { beforeAll, describe, expect, it } from "vitest";
import { verifyBackupArchive } from "@/lib/backups/archive/read-archive";
import { importBackup } from "@/lib/backups/download/import-backup";
import { openBackupDownload } from "@/lib/backups/download/open-backup-download";
import { unzipSync } from "fflate";
import type { CoverageReport } from "@/lib/backups/coverage/coverage-report";
import { runExport, type RunExportOptions } from "@/lib/backups/export/run-export";
import type { Db } from "@/lib/db";
import type { ExchangeSim, SimKey } from "@/lib/exchange-sim";
import { FAR_BINANCE_LIMITS, farPacer } from "../../support/far-limits";
import { bindSimKey, createExportJob, DAY, simEnv, exportThroughCrashes } from "./harness";
import { expectMissingTradeShows, expectReconciled, expectTradesAndTransfersStored, completeAccountSuite } from "./complete-account";

const HOUR = 3_600_000;
const now = Date.now();
const FAST_BACKOFF = { attempts: 4, baseMs: 20, maxMs: 200 };
// history of the last 120 days; the export looks back 200 (fewer transfer and convert windows)
const since = new Date(now - 200 * DAY);

function completeKey(seed: number, delisted = 0): SimKey {
  return sim.createKey({
    exchange: "binance",
    permissions: { read: true, spotTrade: true, marginTrade: true, futuresTrade: true, withdraw: false, transfer: false },
    trades: {
      count: 1500,
      markets: 6,
      seed,
      startTime: new Date(now - 120 * DAY),
      endTime: new Date(now - HOUR),
      products: {
        margin: { count: 900, markets: 3 },
        isolated_margin: { count: 300, markets: 2 },
        // within the 3 months of USDⓈ-M income Binance serves: the balances can add up in full
        usdm: { count: 1500, markets: 3, startTime: new Date(now - 80 * DAY) },
        coinm: { count: 400, markets: 2 },
      },
    },
    ledger: { converts: 40, dust: 6, income: 60, delisted },
  });
}

function exportOptions(extra: Partial<RunExportOptions> = {}): RunExportOptions {
  return { env: simEnv(sim.origin), pacer: farPacer(), backoff: FAST_BACKOFF, since, ...extra };
}

const account = completeAccountSuite({ seed: 77, binance: FAR_BINANCE_LIMITS });
let client: Db, sim: ExchangeSim, userId: string;
beforeAll(() => void ({ client, sim, userId } = account));

async function expectEverythingStored(bindingId: string, key: SimKey) {
  await expectTradesAndTransfersStored(account, "binance", bindingId, key.apiKey, { served: (trade) => !trade.delisted });
  const ledger = sim.ledger("binance", key.apiKey);
  const conversions = await client.conversion.findMany({ where: { bindingId } });
  // one conversion per convert order, and per small balance of a dust operation
  const expected = ledger.conversions.reduce((sum, c) => sum + (c.kind === "dust" ? (c.raw as { userAssetDribbletDetails: unknown[] }).userAssetDribbletDetails.length : 1), 0);
  expect(conversions.length, "conversions").toBe(expected);
  expect(new Set(conversions.map((c) => c.kind))).toEqual(new Set(["convert", "dust"]));
  const income = await client.incomeEntry.findMany({ where: { bindingId } });
  expect(income.length, "income").toBe(ledger.income.length);
  expect(new Set(income.map((i) => i.kind))).toEqual(new Set(["funding", "realized_pnl", "commission"]));
}

describe("a complete Binance account", () => {
  let key: SimKey;
  let bindingId: string;
  let report: CoverageReport;

  it("exports every product and record kind exactly, and every balance adds up", async () => {
    key = completeKey(3);
    bindingId = await bindSimKey(client, userId, key);
    const jobId = await createExportJob(client, userId, bindingId, true);
    const result = await runExport(client, jobId, exportOptions());
    expect(result.status).toBe("SUCCEEDED");
    await expectEverythingStored(bindingId, key);

    const job = await client.exportJob.findUniqueOrThrow({ where: { id: jobId } });
    report = job.coverage as CoverageReport;
    expectReconciled(report, sim.ledger("binance", key.apiKey).balances);
    expect(report.summary).toMatch(/^Complete as far as Binance allows/);
  });

  it("names every product and Binance's retention limits", () => {
    const parts = Object.fromEntries(report.parts.map((p) => [p.part, p.rows]));
    for (const product of ["spot", "margin", "isolated_margin", "usdm", "coinm", "transfers", "conversions", "income"]) {
      expect(parts[product], product).toBeGreaterThan(0);
    }
    expect(report.limits.map((l) => l.part)).toEqual(expect.arrayContaining(["usdm", "coinm", "income"]));
    expect(report.limits.find((l) => l.part === "usdm")?.message).toMatch(/older than 6 months.*no longer returns/);
  });

  it("downloads every movement for Koinly and CoinTracker, and the archive holds every record kind", async () => {
    const spotLike = await client.tradeRecord.count({ where: { bindingId, product: { in: ["spot", "margin", "isolated_margin"] } } });
    const movements = spotLike + (await client.transfer.count({ where: { bindingId } })) + (await client.conversion.count({ where: { bindingId } })) + (await client.incomeEntry.count({ where: { bindingId, NOT: { amount: { in: ["0", "0.0", "0.00000000"] } } } }));
    for (const tool of ["koinly", "cointracker"] as const) {
      const download = await openBackupDownload(client, userId, bindingId, tool);
      expect(download.fileName).toMatch(new RegExp(`-${tool}\\.csv$`));
      const text = await new Response(download.body).text();
      const lines = text.split("\r\n").filter(Boolean);
      expect(lines[0]).toBe(tool === "koinly" ? "Date,Sent Amount,Sent Currency,Received Amount,Received Currency,Fee Amount,Fee Currency,Net Worth Amount,Net Worth Currency,Label,Description,TxHash" : "Date,Received Quantity,Received Currency,Sent Quantity,Sent Currency,Fee Amount,Fee Currency,Tag");
      expect(lines.length - 1, tool).toBe(movements);
      const exported = await client.auditEvent.findFirstOrThrow({ where: { bindingId, type: "backup.tax_exported" }, orderBy: { id: "desc" } });
      expect(exported.data).toMatchObject({ format: tool, rows: movements });
    }
    const zip = await openBackupDownload(client, userId, bindingId, "zip");
    const verified = await verifyBackupArchive(new Uint8Array(await new Response(zip.body).arrayBuffer()));
    if (!verified.ok) throw new Error(verified.problem);
    expect(verified.manifest).toMatchObject({ version: 2, complete: true });
    expect(verified.coverage).toMatchObject({ complete: true });
  });

  it("export, wipe, restore, export gives the same archive, byte for byte, every record kind", async () => {
    const now = new Date("2026-11-30T00:00:00.000Z");
    const archiveNow = async () => new Uint8Array(await new Response((await openBackupDownload(client, userId, bindingId, "zip", { now })).body).arrayBuffer());
    const first = await archiveNow();
    const counts = async () => [
      await client.tradeRecord.count({ where: { bindingId } }),
      await client.transfer.count({ where: { bindingId } }),
      await client.conversion.count({ where: { bindingId } }),
      await client.incomeEntry.count({ where: { bindingId } }),
    ];
    const before = await counts();
    expect(before.every((n) => n > 0)).toBe(true);
    await client.tradeRecord.deleteMany({ where: { bindingId } });
    await client.transfer.deleteMany({ where: { bindingId } });
    await client.conversion.deleteMany({ where: { bindingId } });
    await client.incomeEntry.deleteMany({ where: { bindingId } });
    expect(await counts()).toEqual([0, 0, 0, 0]);

    await importBackup(client, userId, bindingId, first);
    expect(await counts()).toEqual(before);
    const again = await archiveNow();
    const files = (bytes: Uint8Array) => unzipSync(bytes);
    for (const name of ["trades.csv", "transfers.csv", "conversions.csv", "income.csv", "coverage.json", "manifest.json"]) {
      expect(Buffer.from(files(again)[name]!).equals(Buffer.from(files(first)[name]!)), name).toBe(true);
    }
    expect(Buffer.from(again).equals(Buffer.from(first))).toBe(true);
  });

  it("a trade missing from the backup shows as a difference in its assets", async () => {
    await expectMissingTradeShows(account, "binance", bindingId, "spot");
  });

  it("a later run of a binding finds nothing new and stays complete", async () => {
    const fresh = completeKey(4);
    const freshBinding = await bindSimKey(client, userId, fresh);
    expect((await runExport(client, await createExportJob(client, userId, freshBinding, true), exportOptions())).status).toBe("SUCCEEDED");
    const before = await client.tradeRecord.count({ where: { bindingId: freshBinding } });
    const second = await runExport(client, await createExportJob(client, userId, freshBinding, true), exportOptions());
    expect(second).toMatchObject({ status: "SUCCEEDED", inserted: 0 });
    expect(await client.tradeRecord.count({ where: { bindingId: freshBinding } })).toBe(before);
    const latest = await client.exportJob.findFirstOrThrow({ where: { bindingId: freshBinding, status: "SUCCEEDED" }, orderBy: { finishedAt: "desc" } });
    expect((latest.coverage as CoverageReport).complete).toBe(true);
  });

  it("a market delisted before the first export cannot be read: the balances say something is missing", async () => {
    const delistedKey = completeKey(6, 1);
    const binding = await bindSimKey(client, userId, delistedKey);
    const jobId = await createExportJob(client, userId, binding, true);
    expect((await runExport(client, jobId, exportOptions())).status).toBe("SUCCEEDED");
    const [market] = sim.markets("binance", delistedKey.apiKey).delisted;
    const lost = sim.trades("binance", delistedKey.apiKey).filter((t) => t.symbol === market);
    expect(lost.length).toBeGreaterThan(0);
    const coverage = (await client.exportJob.findUniqueOrThrow({ where: { id: jobId } })).coverage as CoverageReport;
    expect(coverage.complete).toBe(false);
    // exactly the delisted market's assets (and the fee's) do not add up
    const off = coverage.reconciliation.assets.filter((a) => a.difference !== "0").map((a) => a.asset);
    const touched = new Set(lost.flatMap((t) => [t.base, t.quote, t.feeCurrency]));
    expect(off.length).toBeGreaterThan(0);
    expect(off.every((asset) => touched.has(asset))).toBe(true);
    expect(coverage.summary).toMatch(/^Not complete/);
  });

  it("killed at random pages across products, resumed each time, stores every record once", async () => {
    const crashing = completeKey(9);
    const binding = await bindSimKey(client, userId, crashing);
    const jobId = await createExportJob(client, userId, binding, true);
    expect(await exportThroughCrashes(client, jobId, exportOptions, { seed: 5, spread: 25 })).toBe(6);
    expect((await client.exportJob.findUniqueOrThrow({ where: { id: jobId } })).status).toBe("SUCCEEDED");
    await expectEverythingStored(binding, crashing);
    const job = await client.exportJob.findUniqueOrThrow({ where: { id: jobId } });
    expect((job.coverage as CoverageReport).reconciliation.assets.filter((a) => a.difference !== "0")).toEqual([]);
  });
});
