import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { unzipSync, zipSync } from "fflate";
import { afterAll, describe, expect, it } from "vitest";
import { backupFileName } from "@/lib/backups/archive/file-name";
import { verifyBackupArchive, type VerifiedBackup } from "@/lib/backups/archive/read-archive";
import type { BackupKeyInfo, BackupManifest, BackupTrade } from "@/lib/backups/archive/types";
import { writeBackupArchive } from "@/lib/backups/archive/write-archive";
import { writeTradesCsv } from "@/lib/backups/archive/write-csv";
import { TRADE_CSV_HEADER } from "@/lib/backups/archive/csv";
import { openZipFile, readZipDirectory } from "@/lib/backups/archive/zip-reader";
import { zipBomb } from "../../support/zip-bomb";
import { BOTS, CONVERSIONS, generatedBatches, INCOME, KEY, NOW, readAll, TRANSFERS, TRICKY_TRADES } from "./fixtures";

const dir = mkdtempSync(join(tmpdir(), "backup-archive-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
const text = (bytes: Uint8Array) => Buffer.from(bytes).toString("utf8");

async function archiveOf(trades: BackupTrade[][] = [TRICKY_TRADES.slice(0, 5), TRICKY_TRADES.slice(5)]) {
  return readAll(writeBackupArchive({ trades, key: KEY, bots: BOTS, now: NOW }));
}

async function verified(bytes: Uint8Array): Promise<VerifiedBackup> {
  const result = await verifyBackupArchive(bytes);
  if (!result.ok) throw new Error(`expected a valid archive: ${result.problem}`);
  return result;
}

async function problemOf(bytes: Uint8Array): Promise<string> {
  const result = await verifyBackupArchive(bytes);
  expect(result.ok).toBe(false);
  return result.ok ? "" : result.problem;
}

async function allTrades(backup: VerifiedBackup): Promise<BackupTrade[]> {
  const trades: BackupTrade[] = [];
  for await (const batch of backup.trades) trades.push(...batch);
  return trades;
}

/** Rebuilds the archive with fflate's zipSync after `edit` changed its files (a re-zip, valid ZIP). */
function rezip(bytes: Uint8Array, edit: (files: Record<string, Uint8Array>) => void): Uint8Array {
  const files = unzipSync(bytes);
  edit(files);
  return zipSync(files);
}

/** Python's zipfile and csv modules: an independent reader of both formats. */
function pythonReadsCsv(path: string): string[][] {
  const script = [
    "import csv, io, json, sys, zipfile",
    "data = zipfile.ZipFile(sys.argv[1]).read('trades.csv').decode('utf-8')",
    "print(json.dumps(list(csv.reader(io.StringIO(data, newline='')))))",
  ].join("\n");
  return JSON.parse(execFileSync("python3", ["-c", script, path], { encoding: "utf8" })) as string[][];
}

describe("backup archive", () => {
  it("opens with unzip, holds the eight files, and the manifest's checksums match the extracted files", async () => {
    const bytes = await archiveOf();
    const path = join(dir, "tricky.zip");
    writeFileSync(path, bytes);
    expect(execFileSync("unzip", ["-t", path], { encoding: "utf8" })).toMatch(/No errors detected/);
    const listing = execFileSync("unzip", ["-Z1", path], { encoding: "utf8" }).trim().split("\n");
    expect(listing).toEqual(["key.json", "bots.json", "coverage.json", "trades.csv", "transfers.csv", "conversions.csv", "income.csv", "manifest.json"]);

    const extract = (name: string) => execFileSync("unzip", ["-p", path, name]);
    const manifest = JSON.parse(extract("manifest.json").toString("utf8")) as BackupManifest;
    for (const name of ["trades.csv", "transfers.csv", "conversions.csv", "income.csv", "key.json", "bots.json", "coverage.json"] as const) {
      const file = extract(name);
      expect((manifest.files as Record<string, unknown>)[name]).toMatchObject({ sha256: sha256(file), bytes: file.length });
    }
    expect(manifest).toMatchObject({
      format: "myits-trade-backup",
      version: 2,
      createdAt: "2026-11-23T10:15:30.000Z",
      exchange: "binance",
      label: "Main bot",
      range: { from: "1970-01-01T00:00:00.000Z", to: "9999-12-31T23:59:59.999Z" },
      counts: { trades: TRICKY_TRADES.length, bots: 2 },
      files: { "trades.csv": { rows: TRICKY_TRADES.length } },
    });

    const key = JSON.parse(extract("key.json").toString("utf8"));
    expect(key).toMatchObject({ exchange: "binance", apiKeyMasked: "vmPU…ZQ4A", keyCreatedAt: "2026-01-02T03:04:05.678Z" });
    expect(JSON.parse(extract("bots.json").toString("utf8"))).toEqual(BOTS);

    // an independent CSV parser sees one header row and one row per trade, values as written
    const rows = pythonReadsCsv(path);
    expect(rows).toHaveLength(1 + TRICKY_TRADES.length);
    expect(rows[0]).toEqual(["exchange", "product", "market", "trade_id", "order_id", "side", "price", "amount", "cost", "fee", "fee_currency", "is_maker", "traded_at", "effects", "raw"]);
    expect(rows.slice(1).every((row) => row.length === 15)).toBe(true);
    expect(rows[1]!.slice(6, 10)).toEqual(["-0.5", "123456789012345678.123456789", "1e-8", "+1"]);
    expect(rows[2]![2]).toBe("'=HYPERLINK(\"http://evil\",\"x\")");
    expect(rows[7]![3]).toBe("line\nbreak");
    expect(JSON.parse(rows[8]![13]!)).toEqual(TRICKY_TRADES[7]!.effects);
    expect(JSON.parse(rows[8]![14]!)).toEqual(TRICKY_TRADES[7]!.raw);
  });

  it("round trip: write, verify and read, write again gives the same bytes", async () => {
    const first = await archiveOf();
    const backup = await verified(first);
    const trades = await allTrades(backup);
    expect(trades).toEqual(TRICKY_TRADES);
    expect(await allTrades(backup)).toEqual(TRICKY_TRADES); // iterable more than once

    const again = await readAll(
      writeBackupArchive({ trades: [trades], key: backup.key as BackupKeyInfo, bots: backup.bots, now: new Date(backup.manifest.createdAt) }),
    );
    expect(text(unzipSync(again)["trades.csv"]!)).toBe(text(unzipSync(first)["trades.csv"]!));
    expect(sha256(again)).toBe(sha256(first)); // the whole archive, in fact
  });

  it("round trip of every record kind and the coverage report, byte for byte", async () => {
    const coverage = { report: { version: 1, complete: false, gaps: ["x"] }, complete: false };
    const input = { trades: [TRICKY_TRADES], transfers: [TRANSFERS], conversions: [CONVERSIONS], income: [INCOME], coverage, key: KEY, bots: BOTS, now: NOW };
    const first = await readAll(writeBackupArchive(input));
    const backup = await verified(first);
    expect(backup.manifest).toMatchObject({ version: 2, complete: false, counts: { trades: TRICKY_TRADES.length, transfers: 2, conversions: 2, income: 2, bots: 2 } });
    expect(backup.coverage).toEqual(coverage.report);
    const all = async <T>(batches: AsyncIterable<T[]>) => {
      const out: T[] = [];
      for await (const batch of batches) out.push(...batch);
      return out;
    };
    expect(await all(backup.transfers)).toEqual(TRANSFERS);
    // a number past 2^53 comes back rounded when parsed, so compare the rest
    expect((await all(backup.conversions)).map((c) => ({ ...c, raw: null }))).toEqual(CONVERSIONS.map((c) => ({ ...c, raw: null })));
    expect(await all(backup.income)).toEqual(INCOME);

    const asText = await verifyBackupArchive(first, { rawAsText: true });
    if (!asText.ok) throw new Error(asText.problem);
    const again = await readAll(
      writeBackupArchive({
        trades: [await allTrades(asText)],
        transfers: [await all(asText.transfers)],
        conversions: [await all(asText.conversions)],
        income: [await all(asText.income)],
        coverage: { report: asText.coverage, complete: asText.manifest.version === 2 && asText.manifest.complete === true },
        key: asText.key as BackupKeyInfo,
        bots: asText.bots,
        now: new Date(asText.manifest.createdAt),
      }),
    );
    expect(sha256(again)).toBe(sha256(first));
    // the big number survives as text
    expect(text(unzipSync(again)["conversions.csv"]!)).toContain("12345678901234567000");
  });

  it("reads a version 1 archive: trades without product or effects are spot with unknown effects", async () => {
    const v1Csv =
      "exchange,market,trade_id,order_id,side,price,amount,cost,fee,fee_currency,is_maker,traded_at,raw\r\n" +
      'binance,BTCUSDT,7,70,sell,100,0.5,50,0.05,USDT,false,2024-05-01T00:00:00.000Z,"{""id"":7}"\r\n';
    const archive = v1Archive(v1Csv);
    const backup = await verified(archive);
    expect(backup.coverage).toBeNull();
    expect(await allTrades(backup)).toEqual([
      expect.objectContaining({ product: "spot", effects: {}, market: "BTCUSDT", tradeId: "7", side: "sell", raw: { id: 7 } }),
    ]);
    let others = 0;
    for await (const batch of backup.transfers) others += batch.length;
    expect(others).toBe(0);
    // a version 2 trades.csv inside a version 1 archive is refused, even with matching checksums
    const v2Row = 'binance,spot,BTCUSDT,7,70,sell,100,0.5,50,0.05,USDT,false,2024-05-01T00:00:00.000Z,{},"{""id"":7}"\r\n';
    expect(await problemOf(v1Archive(TRADE_CSV_HEADER + v2Row))).toMatch(/^trades\.csv, row 1: the header must be exchange,market,trade_id/);
  });

  function v1Archive(csvText: string): Uint8Array {
    const csv = new TextEncoder().encode(csvText);
    const keyJson = new TextEncoder().encode(JSON.stringify(KEY));
    const botsJson = new TextEncoder().encode("[]");
    const entry = (bytes: Uint8Array) => ({ sha256: sha256(bytes), bytes: bytes.length });
    const manifest = {
      format: "myits-trade-backup",
      version: 1,
      createdAt: "2024-05-02T00:00:00.000Z",
      exchange: "binance",
      label: "Main bot",
      range: { from: "2024-05-01T00:00:00.000Z", to: "2024-05-01T00:00:00.000Z" },
      counts: { trades: 1, bots: 0 },
      files: { "trades.csv": { ...entry(csv), rows: 1 }, "key.json": entry(keyJson), "bots.json": entry(botsJson) },
    };
    return zipSync({ "key.json": keyJson, "bots.json": botsJson, "trades.csv": csv, "manifest.json": new TextEncoder().encode(JSON.stringify(manifest)) });
  }

  it("the plain CSV download is the archive's trades.csv, byte for byte", async () => {
    const archive = unzipSync(await archiveOf());
    const csv = await readAll(writeTradesCsv([TRICKY_TRADES]));
    expect(sha256(csv)).toBe(sha256(archive["trades.csv"]!));
  });

  it("an archive with no trades has an empty range and a header-only trades.csv", async () => {
    const backup = await verified(await archiveOf([]));
    expect(backup.manifest.range).toEqual({ from: null, to: null });
    expect(backup.manifest.counts.trades).toBe(0);
    expect(await allTrades(backup)).toEqual([]);
  });

  it("accepts a stream as input, and the same files re-zipped by another tool", async () => {
    const bytes = await archiveOf();
    expect((await verifyBackupArchive(new Blob([Buffer.from(bytes)]).stream())).ok).toBe(true);
    expect((await verifyBackupArchive(rezip(bytes, () => undefined))).ok).toBe(true);
  });
});

describe("backup archive verification refuses", () => {
  let good: Uint8Array;
  const fresh = async () => (good ??= await archiveOf());

  it("a byte changed inside any file's compressed data", async () => {
    const bytes = await fresh();
    for (const entry of await readZipDirectory(bytes)) {
      const tampered = bytes.slice();
      tampered[Math.floor((entry.dataStart + entry.dataEnd) / 2)]! ^= 0xff;
      expect(await problemOf(tampered)).toMatch(new RegExp(`^${entry.name.replace(".", "\\.")} is corrupt`));
    }
  });

  it("any single byte changed, except in ZIP fields that carry no content", async () => {
    const bytes = await fresh();
    // Central directory fields left unchecked (so other tools' re-zips still verify): "version
    // made by" (offsets 4-5) and the file attributes (36-41, directory/link types refused).
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const unchecked = new Set<number>();
    for (let at = view.getUint32(bytes.length - 6, true); view.getUint32(at, true) === 0x02014b50; ) {
      for (const offset of [4, 5, 36, 37, 38, 39, 40, 41]) unchecked.add(at + offset);
      at += 46 + view.getUint16(at + 28, true) + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
    }
    expect(unchecked.size).toBe(64); // 8 fields x 8 files
    const accepted: number[] = [];
    for (let position = 0; position < bytes.length; position += 1) {
      const tampered = bytes.slice();
      tampered[position]! ^= 0xff;
      if ((await verifyBackupArchive(tampered)).ok) accepted.push(position);
    }
    expect(accepted.filter((position) => !unchecked.has(position))).toEqual([]);
  });

  it("a file changed and re-zipped, or a manifest checksum edited", async () => {
    const bytes = await fresh();
    const changedCsv = rezip(bytes, (files) => {
      files["trades.csv"] = new TextEncoder().encode(text(files["trades.csv"]!).replace("-0.5", "-0.6"));
    });
    expect(await problemOf(changedCsv)).toBe(
      "trades.csv does not match its SHA-256 in the manifest (the file or the manifest was changed)",
    );
    const editedManifest = rezip(bytes, (files) => {
      const manifest = JSON.parse(text(files["manifest.json"]!)) as BackupManifest;
      manifest.files["key.json"].sha256 = "0".repeat(64);
      files["manifest.json"] = new TextEncoder().encode(JSON.stringify(manifest));
    });
    expect(await problemOf(editedManifest)).toBe("key.json does not match its SHA-256 in the manifest (the file or the manifest was changed)");
    const editedCount = rezip(bytes, (files) => {
      const manifest = JSON.parse(text(files["manifest.json"]!)) as BackupManifest;
      manifest.files["bots.json"].bytes += 1;
      files["manifest.json"] = new TextEncoder().encode(JSON.stringify(manifest));
    });
    expect(await problemOf(editedCount)).toMatch(/^bots\.json is \d+ bytes, the manifest says \d+$/);
  });

  it("a missing file, an extra file, a missing or invalid manifest", async () => {
    const bytes = await fresh();
    for (const name of ["trades.csv", "transfers.csv", "conversions.csv", "income.csv", "key.json", "bots.json", "coverage.json"]) {
      const missing = rezip(bytes, (files) => void delete files[name]);
      expect(await problemOf(missing)).toBe(`${name} is listed in the manifest but missing from the archive`);
    }
    const extra = rezip(bytes, (files) => void (files["run-me.sh"] = new Uint8Array([1, 2, 3])));
    expect(await problemOf(extra)).toBe('unexpected file "run-me.sh" in the archive (not listed in the manifest)');
    const noManifest = rezip(bytes, (files) => void delete files["manifest.json"]);
    expect(await problemOf(noManifest)).toMatch(/^manifest\.json is missing/);
    const notJson = rezip(bytes, (files) => void (files["manifest.json"] = new TextEncoder().encode("{")));
    expect(await problemOf(notJson)).toBe("manifest.json is not valid UTF-8 JSON");
    const future = rezip(bytes, (files) => {
      files["manifest.json"] = new TextEncoder().encode(JSON.stringify({ ...JSON.parse(text(files["manifest.json"]!)), version: 3 }));
    });
    expect(await problemOf(future)).toMatch(/^manifest\.json is not a valid version 1 or 2 backup manifest \(version: /);
  });

  it("rows or counts that disagree with the manifest, with the manifest recomputed", async () => {
    const bytes = await fresh();
    const withCsv = (edit: (csv: string) => string, manifestEdit: (m: BackupManifest) => void = () => undefined) =>
      rezip(bytes, (files) => {
        const csv = new TextEncoder().encode(edit(text(files["trades.csv"]!)));
        const manifest = JSON.parse(text(files["manifest.json"]!)) as BackupManifest;
        manifest.files["trades.csv"] = { ...manifest.files["trades.csv"], sha256: sha256(csv), bytes: csv.length };
        manifestEdit(manifest);
        files["trades.csv"] = csv;
        files["manifest.json"] = new TextEncoder().encode(JSON.stringify(manifest));
      });
    expect(await problemOf(withCsv((csv) => csv.replace(",sell,", ",hold,")))).toBe(
      'trades.csv, row 6: side must be buy or sell, not "hold"',
    );
    const lastRowDropped = (csv: string) => csv.slice(0, csv.lastIndexOf("binance,"));
    expect(await problemOf(withCsv(lastRowDropped))).toBe(`trades.csv has ${TRICKY_TRADES.length - 1} rows, the manifest says ${TRICKY_TRADES.length}`);
    expect(await problemOf(withCsv((csv) => csv, (m) => void (m.range.to = "2030-01-01T00:00:00.000Z")))).toMatch(
      /^manifest\.json gives the time range .* the trades span/,
    );
  });

  it("an archive cut anywhere", async () => {
    const bytes = await fresh();
    const cuts = [0, 1, 30, Math.floor(bytes.length / 3), Math.floor(bytes.length / 2), bytes.length - 200, bytes.length - 23, bytes.length - 22, bytes.length - 1];
    for (const cut of cuts) {
      expect(await problemOf(bytes.subarray(0, cut))).toMatch(/^Not a complete ZIP archive: its end .* is missing, so the file is truncated or is not a ZIP$/);
    }
    // a file cut just before its end record, with a fake end record appended, is still caught
    const directoryOnly = Buffer.concat([bytes.subarray(0, 40), bytes.subarray(bytes.length - 22)]);
    expect(await problemOf(directoryOnly)).toMatch(/^The ZIP structure is damaged/);
  });

  it("bytes that are not a ZIP, and archives over the size limit", async () => {
    expect(await problemOf(new TextEncoder().encode("hello"))).toMatch(/^Not a complete ZIP archive/);
    expect(await problemOf(new Uint8Array(0))).toMatch(/^Not a complete ZIP archive/);
    const bytes = await fresh();
    const result = await verifyBackupArchive(bytes, { maxBytes: 100 });
    expect(result).toEqual({ ok: false, problem: "the archive is larger than 100 bytes" });
  });
});

describe("backup archive writer", () => {
  it("refuses a key with a secret-like property at any depth, before writing anything", () => {
    const write = (key: Record<string, unknown>) => () => writeBackupArchive({ trades: [], key: { ...KEY, ...key }, bots: [], now: NOW });
    expect(write({ apiKeyEnc: "v1.x" })).toThrow('key.json must never contain a secret: refusing property "apiKeyEnc"');
    expect(write({ permissions: { raw: { secretKey: "x" } } })).toThrow(/"secretKey"/);
    expect(write({ history: [{ passphrase: null }] })).toThrow(/"passphrase"/);
    expect(write({ nested: { PASSWORD: "x" } })).toThrow(/"PASSWORD"/);
    expect(write({ secretEnc: undefined })).toThrow(/"secretEnc"/); // the name alone is refused
    expect(write({})).not.toThrow();
    expect(() => writeBackupArchive({ trades: [], key: KEY, bots: [], now: new Date(Number.NaN) })).toThrow(/now must be/);
  });

  it("stops the trades iterator (the database cursor) when the client aborts mid-stream", async () => {
    const { batches, state } = generatedBatches(1_000_000, 500);
    const reader = writeBackupArchive({ trades: batches, key: KEY, bots: BOTS, now: NOW }).getReader();
    while (state.produced < 5000) await reader.read();
    await reader.cancel("client went away");
    expect(state.closed).toBe(true);
    expect(state.produced).toBeLessThan(20_000);
  });

  it("closes the source even when the client aborts before the first trade was read", async () => {
    const calls: string[] = [];
    const cursor: AsyncIterable<BackupTrade[]> = {
      [Symbol.asyncIterator]: () => ({
        next: async () => (calls.push("next"), { done: false as const, value: TRICKY_TRADES }),
        return: async () => (calls.push("return"), { done: true as const, value: undefined }),
      }),
    };
    const reader = writeBackupArchive({ trades: cursor, key: KEY, bots: BOTS, now: NOW }).getReader();
    await reader.read(); // the start of key.json
    await reader.cancel();
    expect(calls).toEqual(["return"]);
  });

  it("surfaces a failing source as a stream error", async () => {
    async function* failing(): AsyncGenerator<BackupTrade[]> {
      yield TRICKY_TRADES;
      throw new Error("connection lost");
    }
    await expect(readAll(writeBackupArchive({ trades: failing(), key: KEY, bots: BOTS, now: NOW }))).rejects.toThrow("connection lost");
  });
});

describe("backup file names", () => {
  it("are slugs safe for Content-Disposition", () => {
    const date = new Date("2026-11-23T23:30:00.000Z");
    expect(backupFileName({ exchange: "binance", label: "Main bot", date, kind: "zip" })).toBe("myits-binance-main-bot-2026-11-23.zip");
    expect(backupFileName({ exchange: "okx", label: 'Café / "ünïcödé"!! ', date, kind: "csv" })).toBe("myits-okx-cafe-unicode-2026-11-23.csv");
    expect(backupFileName({ exchange: "bybit", label: "😀", date, kind: "zip" })).toBe("myits-bybit-key-2026-11-23.zip");
    expect(backupFileName({ exchange: "binance", label: "x".repeat(100), date, kind: "zip" })).toBe(`myits-binance-${"x".repeat(40)}-2026-11-23.zip`);
    expect(backupFileName({ exchange: "a", label: "../../etc/passwd\r\n", date, kind: "zip" })).toMatch(/^[a-z0-9-]+\.zip$/);
  });
});

describe("backup archive verification refuses zip bombs before inflating them", () => {
  const GiB = 1024 ** 3;
  let good: Uint8Array;
  const fresh = async () => (good ??= await archiveOf());

  it("a file whose declared size implies a compression ratio no backup has", async () => {
    const keyBomb = zipBomb(await fresh(), { file: "key.json", inflatesTo: 1.5 * GiB, sizes: "honest" });
    expect(keyBomb.length).toBeLessThan(2 * 1024 * 1024);
    expect(await problemOf(keyBomb)).toMatch(/^key\.json would inflate to 1\.5 GiB from 1\.5 MiB \(\d+ times; a backup compresses about 10 times\): refused as a likely ZIP bomb$/);
    const tradesBomb = zipBomb(await fresh(), { file: "trades.csv", inflatesTo: 4 * GiB - 1, sizes: "honest" });
    expect(await problemOf(tradesBomb)).toMatch(/^trades\.csv would inflate to 4\.0 GiB from 4\.0 MiB/);
  });

  it("a file whose data inflates past the size the directory and manifest give, stopping there", async () => {
    const before = process.memoryUsage().rss;
    const lying = zipBomb(await fresh(), { file: "key.json", inflatesTo: 1.5 * GiB, sizes: "lying" });
    expect(await problemOf(lying)).toBe("key.json is corrupt: it holds more data than the ZIP directory says");
    const tradesLying = zipBomb(await fresh(), { file: "trades.csv", inflatesTo: 1.5 * GiB, sizes: "lying" });
    expect(await problemOf(tradesLying)).toBe("trades.csv is corrupt: it holds more data than the ZIP directory says");
    // one push of the inflater at most (~17 MB), not 1.5 GiB
    expect(process.memoryUsage().rss - before).toBeLessThan(100 * 1024 * 1024);
  });

  it("a file held whole over its cap, and an archive over the inflated total", async () => {
    const bigKey = zipBomb(await fresh(), { file: "key.json", inflatesTo: 20 * 1024 * 1024, sizes: "honest" });
    expect(await verifyBackupArchive(bigKey, { maxRatio: 10_000 })).toEqual({
      ok: false,
      problem: "key.json is 20.0 MiB, more than the 16.0 MiB such a file can be in a backup",
    });
    const result = await verifyBackupArchive(await fresh(), { maxInflatedBytes: 100 });
    expect(result.ok ? "" : result.problem).toMatch(/^the archive would inflate to \d+ bytes, more than the 100 bytes a restore accepts$/);
  });

  it("reads an archive from a file in slices, as a restore does", async () => {
    const path = join(dir, "from-file.zip");
    writeFileSync(path, await fresh());
    const file = await openZipFile(path);
    try {
      const backup = await verifyBackupArchive(file);
      if (!backup.ok) throw new Error(backup.problem);
      expect(await allTrades(backup)).toEqual(await allTrades(await verified(await fresh())));
    } finally {
      await file.close();
    }
  });
});
