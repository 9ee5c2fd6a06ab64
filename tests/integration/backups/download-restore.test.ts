// Backups as the user downloads them: a trade export from the simulator, streamed out of
// Postgres as a ZIP (and as CSV), verified, recorded only when complete, owner-only, and
// restored byte for byte after the trades are wiped. Real Postgres, real ccxt, real archive.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unzipSync, strFromU8 } from "fflate";
import { createHash } from "node:crypto";
import { runExport } from "@/lib/backups/export/run-export";
import { openBackupDownload } from "@/lib/backups/download/open-backup-download";
import { importBackup } from "@/lib/backups/download/import-backup";
import { verifyBackupArchive } from "@/lib/backups/archive/read-archive";
import { TRADE_CSV_HEADER } from "@/lib/backups/archive/csv";
import { JsonText } from "@/lib/backups/archive/types";
import { writeBackupArchive } from "@/lib/backups/archive/write-archive";
import { backupsOverview } from "@/lib/backups/backups-overview";
import { createPrismaClient, type Db } from "@/lib/db";
import { startExchangeSim, type ExchangeSim } from "@/lib/exchange-sim";
import { useTestEnv } from "../../support/app-env";
import { createTestDatabase, type TestDatabase } from "../../support/test-database";
import { bindSimKey, createExportJob, createUser, DAY, READ_ONLY, simEnv } from "./harness";
import { KEY, NOW, readAll, trade } from "../../unit/backups/fixtures";
import { FAR_BINANCE_LIMITS } from "../../support/far-limits";

let database: TestDatabase;
let client: Db;
let sim: ExchangeSim;
let owner: string;
let stranger: string;
let bindingId: string;
let tradeCount: number;

async function bytesOf(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

async function download(format: "zip" | "csv", userId = owner, id = bindingId) {
  const opened = await openBackupDownload(client, userId, id, format, { now: new Date("2026-11-23T12:00:00Z") });
  return { ...opened, bytes: await bytesOf(opened.body) };
}

beforeAll(async () => {
  database = await createTestDatabase();
  useTestEnv(database.url);
  client = createPrismaClient(database.url);
  sim = await startExchangeSim({ port: 0, seed: 11, binance: FAR_BINANCE_LIMITS });
  owner = await createUser(client);
  stranger = await createUser(client);
  const key = sim.createKey({ exchange: "binance", label: "Main bot, “spot”", permissions: READ_ONLY, trades: { count: 3200, markets: 24, seed: 5 } });
  bindingId = await bindSimKey(client, owner, key);
  await client.bot.create({ data: { userId: owner, bindingId, name: "Grid BTC", strategy: "grid", settings: { levels: 12, upper: "70000.5" } } });
  const result = await runExport(client, await createExportJob(client, owner, bindingId), {
    env: simEnv(sim.origin),
    since: new Date(Date.now() - 400 * DAY),
  });
  expect(result.status).toBe("SUCCEEDED");
  tradeCount = await client.tradeRecord.count({ where: { bindingId } });
  expect(tradeCount).toBe(3200);
});

afterAll(async () => {
  await sim?.close();
  await client?.$disconnect();
  await database?.drop();
});

describe("backup download", () => {
  it("streams a ZIP whose manifest verifies and whose trades.csv has one row per stored trade", async () => {
    const zip = await download("zip");
    expect(zip.fileName).toBe("myits-binance-main-bot-spot-2026-11-23.zip");
    expect(zip.rows).toBe(tradeCount);

    const verified = await verifyBackupArchive(zip.bytes);
    if (!verified.ok) throw new Error(verified.problem);
    expect(verified.manifest.counts).toEqual({
      trades: tradeCount,
      transfers: await client.transfer.count({ where: { bindingId } }),
      conversions: await client.conversion.count({ where: { bindingId } }),
      income: await client.incomeEntry.count({ where: { bindingId } }),
      bots: 1,
    });
    expect(verified.manifest.exchange).toBe("binance");
    // the coverage report of the export behind the backup, as the export job keeps it
    const job = await client.exportJob.findFirstOrThrow({ where: { bindingId, status: "SUCCEEDED" }, orderBy: { finishedAt: "desc" } });
    expect(verified.coverage).toEqual(job.coverage);
    expect(verified.manifest).toMatchObject({ version: 2, complete: (job.coverage as { complete: boolean }).complete });

    const files = unzipSync(zip.bytes);
    expect(Object.keys(files).sort()).toEqual(["bots.json", "conversions.csv", "coverage.json", "income.csv", "key.json", "manifest.json", "trades.csv", "transfers.csv"]);
    for (const [name, entry] of Object.entries(verified.manifest.files)) {
      expect(createHash("sha256").update(files[name]!).digest("hex")).toBe(entry.sha256);
    }
    const csv = strFromU8(files["trades.csv"]!);
    expect(csv.startsWith(TRADE_CSV_HEADER)).toBe(true);
    expect(csv.split("\r\n").filter(Boolean)).toHaveLength(tradeCount + 1);
    const keyJson = strFromU8(files["key.json"]!);
    expect(JSON.parse(keyJson)).toMatchObject({ exchange: "binance", label: "Main bot, “spot”" });
    expect(keyJson).not.toMatch(/secret|apiKeyEnc/i);
    expect(JSON.parse(strFromU8(files["bots.json"]!))[0]).toMatchObject({ name: "Grid BTC", settings: { levels: 12, upper: "70000.5" } });
  });

  it("keeps the exchange's exact decimal strings in trades.csv", async () => {
    const zip = await download("zip");
    const verified = await verifyBackupArchive(zip.bytes);
    if (!verified.ok) throw new Error(verified.problem);
    const stored = new Map((await client.tradeRecord.findMany({ where: { bindingId } })).map((t) => [`${t.market}/${t.exchangeTradeId}`, t]));
    let seen = 0;
    for await (const batch of verified.trades) {
      for (const trade of batch) {
        const row = stored.get(`${trade.market}/${trade.tradeId}`);
        expect(row, `${trade.market}/${trade.tradeId}`).toBeDefined();
        expect([trade.price, trade.amount, trade.fee]).toEqual([row!.price, row!.amount, row!.fee]);
        seen += 1;
      }
    }
    expect(seen).toBe(tradeCount);
  });

  it("writes each raw record as Postgres holds it, numbers past 2^53 digit for digit", async () => {
    const key = sim.createKey({ exchange: "binance", label: "Big ids", permissions: READ_ONLY, trades: { count: 0, markets: 1, seed: 6 } });
    const id = await bindSimKey(client, owner, key);
    const raw = '{"id": 123456789012345678901234567890, "qty": "0.00000001", "nested": {"fee": 1e-30}}';
    await client.$executeRaw`
      INSERT INTO "TradeRecord" ("bindingId", "market", "exchangeTradeId", "side", "price", "amount", "tradedAt", "raw")
      VALUES (${id}, 'BTCUSDT', '1', 'buy', '1', '0.00000001', now(), ${raw}::jsonb)`;
    const csv = strFromU8((await download("csv", owner, id)).bytes);
    const stored = await client.$queryRaw<Array<{ text: string }>>`SELECT "raw"::text AS "text" FROM "TradeRecord" WHERE "bindingId" = ${id}`;
    expect(stored[0]?.text).toContain("123456789012345678901234567890");
    // RFC 4180: the JSON's quotes are doubled inside the quoted field
    expect(csv).toContain(`"${stored[0]!.text.replaceAll('"', '""')}"\r\n`);
  });

  it("records a download (Backup row and audit event) only once the last byte is read", async () => {
    const before = await client.backup.count({ where: { bindingId } });
    const opened = await openBackupDownload(client, owner, bindingId, "zip");
    const reader = opened.body.getReader();
    await reader.read();
    await reader.cancel();
    expect(await client.backup.count({ where: { bindingId } })).toBe(before);

    const csv = await download("csv");
    const backups = await client.backup.findMany({ where: { bindingId }, orderBy: { downloadedAt: "desc" } });
    expect(backups).toHaveLength(before + 1);
    expect(backups[0]).toMatchObject({ format: "CSV", rowCount: tradeCount, downloads: 1 });
    expect(backups[0]!.downloadedAt).toBeInstanceOf(Date);
    expect(backups[0]!.sha256).toBe(createHash("sha256").update(csv.bytes).digest("hex"));
    expect(Number(backups[0]!.sizeBytes)).toBe(csv.bytes.length);
    const events = await client.auditEvent.findMany({ where: { bindingId, type: "backup.downloaded" } });
    expect(events.length).toBe(before + 1);

    const overview = await backupsOverview(client, owner);
    expect(overview.find((k) => k.bindingId === bindingId)).toMatchObject({ trades: tradeCount });
  });

  it("the plain CSV is trades.csv of the archive, byte for byte", async () => {
    const [zip, csv] = [await download("zip"), await download("csv")];
    expect(Buffer.from(unzipSync(zip.bytes)["trades.csv"]!).equals(Buffer.from(csv.bytes))).toBe(true);
  });

  it("another user can neither download, list, nor restore into the key", async () => {
    await expect(openBackupDownload(client, stranger, bindingId, "zip")).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(openBackupDownload(client, stranger, bindingId, "csv")).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await backupsOverview(client, stranger)).toEqual([]);
    const zip = await download("zip");
    await expect(importBackup(client, stranger, bindingId, zip.bytes)).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("restore", () => {
  it("export, wipe, import, export again gives identical trades.csv bytes", async () => {
    const first = unzipSync((await download("zip")).bytes)["trades.csv"]!;
    const archive = (await download("zip")).bytes;
    await client.tradeRecord.deleteMany({ where: { bindingId } });
    expect(await client.tradeRecord.count({ where: { bindingId } })).toBe(0);

    const result = await importBackup(client, owner, bindingId, archive);
    expect(result).toEqual({ rows: tradeCount, inserted: tradeCount, alreadyPresent: 0 });
    const again = unzipSync((await download("zip")).bytes)["trades.csv"]!;
    expect(Buffer.from(again).equals(Buffer.from(first))).toBe(true);

    expect(await importBackup(client, owner, bindingId, archive)).toEqual({ rows: tradeCount, inserted: 0, alreadyPresent: tradeCount });
    expect(await client.tradeRecord.count({ where: { bindingId } })).toBe(tradeCount);
    expect(await client.auditEvent.count({ where: { bindingId, type: "backup.imported" } })).toBe(2);
  });

  it("restores raw records exactly as the archive has them: null, plain values, numbers past 2^53", async () => {
    const key = sim.createKey({ exchange: "binance", label: "Restored", permissions: READ_ONLY, trades: { count: 0, markets: 1, seed: 8 } });
    const id = await bindSimKey(client, owner, key);
    const raws = [null, -5, [1, "two", { three: 3 }], new JsonText('{"id": 123456789012345678901234567890, "fee": 0.000000000000000000000000000001}')];
    const trades = raws.map((raw, i) => trade({ tradeId: String(i + 1), tradedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)), raw }));
    const archive = await readAll(writeBackupArchive({ trades: [trades], key: KEY, bots: [], now: NOW }));

    expect(await importBackup(client, owner, id, archive)).toEqual({ rows: 4, inserted: 4, alreadyPresent: 0 });
    const stored = await client.$queryRaw<Array<{ text: string }>>`SELECT "raw"::text AS "text" FROM "TradeRecord" WHERE "bindingId" = ${id} ORDER BY "tradedAt"`;
    expect(stored.map((row) => row.text)).toEqual(["null", "-5", '[1, "two", {"three": 3}]', '{"id": 123456789012345678901234567890, "fee": 0.000000000000000000000000000001}']);

    // and once restored, the key's own backup round-trips byte for byte
    const first = (await download("zip", owner, id)).bytes;
    await client.tradeRecord.deleteMany({ where: { bindingId: id } });
    await importBackup(client, owner, id, first);
    const again = (await download("zip", owner, id)).bytes;
    expect(Buffer.from(unzipSync(again)["trades.csv"]!).equals(Buffer.from(unzipSync(first)["trades.csv"]!))).toBe(true);
  });

  it("refuses a tampered archive and a truncated one, writing nothing", async () => {
    const archive = (await download("zip")).bytes;
    await client.tradeRecord.deleteMany({ where: { bindingId } });

    const files = unzipSync(archive);
    const csv = strFromU8(files["trades.csv"]!);
    const [header, firstRow, ...rest] = csv.split("\r\n");
    const fields = firstRow!.split(",");
    const tamperedRow = fields.map((field, i) => (i === 6 ? `${field}1` : field)).join(",");
    const { zipSync, strToU8 } = await import("fflate");
    const tampered = zipSync({ ...files, "trades.csv": strToU8([header, tamperedRow, ...rest].join("\r\n")) });
    await expect(importBackup(client, owner, bindingId, tampered)).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringMatching(/trades\.csv/),
    });
    await expect(importBackup(client, owner, bindingId, archive.subarray(0, Math.floor(archive.length * 0.7)))).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringMatching(/cannot be restored/),
    });
    expect(await client.tradeRecord.count({ where: { bindingId } })).toBe(0);
    await importBackup(client, owner, bindingId, archive);
    expect(await client.tradeRecord.count({ where: { bindingId } })).toBe(tradeCount);
  });

  it("refuses an archive of another exchange", async () => {
    const okxKey = sim.createKey({ exchange: "okx", permissions: READ_ONLY, trades: { count: 0, markets: 1, seed: 1 } });
    const okxBinding = await bindSimKey(client, owner, okxKey);
    const archive = (await download("zip")).bytes;
    await expect(importBackup(client, owner, okxBinding, archive)).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/binance trades/) });
  });
});
