// Binance's asynchronous futures trade-history file, end to end through the real adapter and
// ccxt against the simulator: the coverage report's USDⓈ-M retention limit becomes offered
// windows; a request, a poll that is still processing, a poll that fetches and stores the file;
// the file in the backup archive (manifest, coverage.json) and back through a restore, byte for
// byte; the monthly quota's refusal in words, audited; requests the page would not offer; the
// USDⓈ-M income file, on a quota of its own.

import { unzipSync, strFromU8 } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyBackupArchive } from "@/lib/backups/archive/read-archive";
import type { CoverageReport } from "@/lib/backups/coverage/coverage-report";
import { importBackup } from "@/lib/backups/download/import-backup";
import { openBackupDownload } from "@/lib/backups/download/open-backup-download";
import { runExport } from "@/lib/backups/export/run-export";
import { advanceStatement, keyStatements, requestStatement } from "@/lib/backups/statements/statements";
import { createPrismaClient, type Db } from "@/lib/db";
import { startExchangeSim, type ExchangeSim, type SimKey } from "@/lib/exchange-sim";
import { useTestEnv } from "../../support/app-env";
import { FAR_BINANCE_LIMITS, farPacer } from "../../support/far-limits";
import { createTestDatabase, type TestDatabase } from "../../support/test-database";
import { bindSimKey, createExportJob, createUser, DAY, simEnv } from "./harness";

let database: TestDatabase;
let client: Db;
let sim: ExchangeSim;
let userId: string;
let key: SimKey;
let bindingId: string;
let report: CoverageReport;

const now = Date.now();

beforeAll(async () => {
  database = await createTestDatabase();
  useTestEnv(database.url);
  client = createPrismaClient(database.url);
  sim = await startExchangeSim({ port: 0, seed: 91, binance: FAR_BINANCE_LIMITS });
  // what requestStatement and advanceStatement reach, as the dashboard's server would
  Object.assign(process.env, simEnv(sim.origin));
  userId = await createUser(client);
  key = sim.createKey({
    exchange: "binance",
    permissions: { read: true, spotTrade: true, marginTrade: false, futuresTrade: true, withdraw: false, transfer: false },
    trades: {
      count: 60,
      markets: 2,
      startTime: new Date(now - 60 * DAY),
      endTime: new Date(now - DAY),
      // USDⓈ-M trades over 400 days: Binance's API serves the last 6 months of them
      products: { usdm: { count: 800, markets: 2, startTime: new Date(now - 400 * DAY) } },
    },
    // funding rows besides the trades' P&L and commissions: USDⓈ-M income, served for 3 months
    ledger: { income: 40 },
  });
  bindingId = await bindSimKey(client, userId, key);
  const jobId = await createExportJob(client, userId, bindingId, true);
  const result = await runExport(client, jobId, { env: simEnv(sim.origin), pacer: farPacer(), since: new Date(now - 60 * DAY) });
  expect(result.status).toBe("SUCCEEDED");
  report = (await client.exportJob.findUniqueOrThrow({ where: { id: jobId } })).coverage as CoverageReport;
});

afterAll(async () => {
  await sim?.close();
  await client?.$disconnect();
  await database?.drop();
});

const usdmTruth = (from: Date, to: Date) =>
  sim.trades("binance", key.apiKey, { product: "usdm" }).filter((t) => t.timestamp >= from.getTime() && t.timestamp <= to.getTime());

describe("Binance's futures trade-history file", () => {
  it("is offered for the USDⓈ-M trades the API cut off, newest window first, one year at most", async () => {
    const limit = report.limits.find((l) => l.part === "usdm");
    expect(limit, "the export names the USDⓈ-M retention limit").toBeDefined();
    const { offers, statements } = await keyStatements(client, userId, bindingId, "binance", report);
    expect(statements).toEqual([]);
    const usdm = offers.find((o) => o.kind.id === "usdm-trades")!;
    expect(usdm.cutoff.toISOString()).toBe(limit!.availableFrom);
    expect(usdm.windows[0]!.to.toISOString()).toBe(limit!.availableFrom);
    for (const w of usdm.windows) expect(w.to.getTime() - w.from.getTime()).toBeLessThanOrEqual(365 * DAY);
    // contiguous, back to USDⓈ-M's launch
    for (let i = 1; i < usdm.windows.length; i++) expect(usdm.windows[i]!.to).toEqual(usdm.windows[i - 1]!.from);
    expect(usdm.windows.at(-1)!.from).toEqual(usdm.kind.earliest);
    // the trades the API no longer gave are not in Postgres
    const older = usdmTruth(usdm.windows[0]!.from, usdm.windows[0]!.to);
    expect(older.length).toBeGreaterThan(100);
    expect(await client.tradeRecord.count({ where: { bindingId, product: "usdm", tradedAt: { lt: usdm.cutoff } } })).toBe(0);
  });

  it("is asked for, polled while Binance prepares it, then fetched and stored as delivered", async () => {
    const { offers } = await keyStatements(client, userId, bindingId, "binance", report);
    const window = offers.find((o) => o.kind.id === "usdm-trades")!.windows[0]!;
    const statementId = await requestStatement(client, userId, { bindingId, kind: "usdm-trades", ...window });
    const requested = await client.auditEvent.findFirstOrThrow({ where: { bindingId, type: "statement.requested" } });
    expect(requested.data).toMatchObject({ statementId, kind: "usdm-trades", from: window.from.toISOString(), to: window.to.toISOString() });

    expect(await advanceStatement(client, statementId)).toEqual({ state: "waiting", retryInMs: 2000 });
    expect(await advanceStatement(client, statementId)).toEqual({ state: "stored" });
    const row = await client.exchangeStatement.findUniqueOrThrow({ where: { id: statementId }, omit: { content: false } });
    expect(row).toMatchObject({ status: "STORED", polls: 2, error: null });
    // the simulator's file: one CSV of every USDⓈ-M trade of the window
    const csv = strFromU8(Object.values(unzipSync(new Uint8Array(row.content!)))[0]!);
    const lines = csv.trim().split("\n");
    const truth = usdmTruth(window.from, window.to);
    expect(lines.length - 1).toBe(truth.length);
    expect(lines.slice(1).map((l) => l.split(",")[1])).toEqual(truth.map((t) => t.id));
    expect(await client.auditEvent.count({ where: { bindingId, type: "statement.stored" } })).toBe(1);
    // polling a stored statement does nothing more
    expect(await advanceStatement(client, statementId)).toEqual({ state: "gone" });

    const after = await keyStatements(client, userId, bindingId, "binance", report);
    expect(after.statements.map((s) => s.status)).toEqual(["STORED"]);
    expect(after.offers.find((o) => o.kind.id === "usdm-trades")!.windows[0]!.to).toEqual(window.from);
  });

  it("the USDⓈ-M income older than 3 months is offered and fetched the same way", async () => {
    const limit = report.limits.find((l) => l.part === "income");
    expect(limit, "the export names the USDⓈ-M income retention limit").toBeDefined();
    const { offers } = await keyStatements(client, userId, bindingId, "binance", report);
    const income = offers.find((o) => o.kind.id === "usdm-income")!;
    expect(income.cutoff.toISOString()).toBe(limit!.availableFrom);
    const window = income.windows[0]!;
    // its own cycle: the trade file asked for before is not this one
    const statementId = await requestStatement(client, userId, { bindingId, kind: "usdm-income", ...window });
    expect(await advanceStatement(client, statementId)).toEqual({ state: "waiting", retryInMs: 2000 });
    expect(await advanceStatement(client, statementId)).toEqual({ state: "stored" });
    const row = await client.exchangeStatement.findUniqueOrThrow({ where: { id: statementId }, omit: { content: false } });
    const lines = strFromU8(Object.values(unzipSync(new Uint8Array(row.content!)))[0]!).trim().split("\n");
    expect(lines[0]).toBe("symbol,incomeType,income,asset,info,time,tranId,tradeId");
    const truth = sim.ledger("binance", key.apiKey).income.filter((e) => e.wallet === "usdm" && e.time >= window.from.getTime() && e.time <= window.to.getTime());
    expect(truth.length).toBeGreaterThan(20);
    expect(lines.slice(1).map((l) => l.split(",")[6])).toEqual(truth.map((e) => String(e.raw.tranId)));
    // none of these rows came through the API: only the file has them
    expect(await client.incomeEntry.count({ where: { bindingId, occurredAt: { lt: income.cutoff } } })).toBe(0);
  });

  it("goes into the backup archive, hashed in the manifest and named in coverage.json, and back through a restore byte for byte", async () => {
    const at = new Date("2026-11-30T00:00:00.000Z");
    const archiveNow = async () => new Uint8Array(await new Response((await openBackupDownload(client, userId, bindingId, "zip", { now: at })).body).arrayBuffer());
    const first = await archiveNow();
    const verified = await verifyBackupArchive(first);
    if (!verified.ok) throw new Error(verified.problem);
    const stored = await client.exchangeStatement.findMany({ where: { bindingId, status: "STORED" }, omit: { content: false }, orderBy: { kind: "desc" } });
    expect(stored.map((s) => s.kind)).toEqual(["usdm-trades", "usdm-income"]);
    expect(verified.statements).toHaveLength(2);
    const [trades, income] = stored.map((row) => ({ row, inArchive: verified.statements.find((s) => s.kind === row.kind)! }));
    expect(trades!.inArchive.path).toMatch(/^statements\/binance-usdm-trades-\d{8}T\d{6}Z-\d{8}T\d{6}Z\.zip$/);
    expect(income!.inArchive.path).toMatch(/^statements\/binance-usdm-income-\d{8}T\d{6}Z-\d{8}T\d{6}Z\.zip$/);
    for (const { row, inArchive } of [trades!, income!]) {
      expect(Buffer.from(await inArchive.read()).equals(Buffer.from(row.content!)), row.kind).toBe(true);
    }
    expect(verified.manifest.version === 2 && verified.manifest.statements).toEqual(
      expect.arrayContaining([trades!, income!].map(({ row, inArchive }) => expect.objectContaining({ path: inArchive.path, kind: row.kind, part: row.part, sha256: row.sha256, bytes: row.sizeBytes }))),
    );
    const coverage = verified.coverage as CoverageReport;
    expect(coverage.statements).toHaveLength(2);
    const named = (part: string) => coverage.statements!.find((s) => s.part === part)!;
    expect(named("usdm")).toMatchObject({ file: trades!.inArchive.path, sha256: trades!.row.sha256 });
    expect(named("usdm").message).toMatch(/^USDⓈ-M futures trades from \d{4}-\d{2}-\d{2} to \d{4}-\d{2}-\d{2}: Binance's own history file, in statements\//);
    expect(named("income")).toMatchObject({ file: income!.inArchive.path, sha256: income!.row.sha256 });
    expect(named("income").message).toMatch(/^Futures income \(funding, realized P&L, commissions\) from \d{4}-\d{2}-\d{2} to \d{4}-\d{2}-\d{2}: Binance's own history file/);

    await client.exchangeStatement.deleteMany({ where: { bindingId } });
    await client.tradeRecord.deleteMany({ where: { bindingId } });
    await importBackup(client, userId, bindingId, first);
    expect(await client.exchangeStatement.count({ where: { bindingId, status: "STORED" } })).toBe(2);
    expect(Buffer.from(await archiveNow()).equals(Buffer.from(first))).toBe(true);
  });

  it("past Binance's five a month, says so in words and records it, storing nothing", async () => {
    const { offers } = await keyStatements(client, userId, bindingId, "binance", report);
    const windows = offers.find((o) => o.kind.id === "usdm-trades")!.windows;
    // the simulator counted the first request of this month; four more are accepted
    for (const window of windows.slice(0, 4)) await requestStatement(client, userId, { bindingId, kind: "usdm-trades", ...window });
    const sixth = windows[4]!;
    await expect(requestStatement(client, userId, { bindingId, kind: "usdm-trades", ...sixth })).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringMatching(/^Binance did not take the request: .*\(code -4201\)\.$/),
    });
    expect(await client.exchangeStatement.count({ where: { bindingId, rangeFrom: sixth.from } })).toBe(0);
    const failed = await client.auditEvent.findFirstOrThrow({ where: { bindingId, type: "statement.failed" } });
    expect(failed.data).toMatchObject({ kind: "usdm-trades", from: sixth.from.toISOString() });
  });

  it("refuses windows the page would not offer, and other users' keys", async () => {
    const stored = await client.exchangeStatement.findFirstOrThrow({ where: { bindingId, kind: "usdm-trades", status: "STORED" } });
    await expect(requestStatement(client, userId, { bindingId, kind: "usdm-trades", from: stored.rangeFrom, to: stored.rangeTo })).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(
      requestStatement(client, userId, { bindingId, kind: "usdm-trades", from: new Date(now - 900 * DAY), to: new Date(now - 400 * DAY) }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST", message: "A history file covers at most one year, and must end after it starts." });
    await expect(requestStatement(client, userId, { bindingId, kind: "spot-trades", from: new Date(now - 300 * DAY), to: new Date(now - 200 * DAY) })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    const stranger = await createUser(client);
    await expect(requestStatement(client, stranger, { bindingId, kind: "usdm-trades", from: new Date(now - 300 * DAY), to: new Date(now - 200 * DAY) })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });
});
