import { strToU8, unzipSync, zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { verifyBackupArchive } from "@/lib/backups/archive/read-archive";
import { writeBackupArchive } from "@/lib/backups/archive/write-archive";
import { pollDelay, statementPath } from "@/lib/backups/statements/statements";
import { statementWindows } from "@/lib/backups/statements/statement-windows";
import { binanceStatementPoll, statementUrlAllowed } from "@/lib/exchanges/binance/statements";
import { KEY, NOW, readAll, trade } from "./fixtures";

const DAY = 86_400_000;
const YEAR = 365 * DAY;
const d = (iso: string) => new Date(`${iso}T00:00:00.000Z`);

describe("statementWindows", () => {
  it("cuts [earliest, cut-off] into windows of at most a year, newest first", () => {
    const windows = statementWindows(d("2024-01-01"), d("2026-06-01"), YEAR, []);
    expect(windows.map((w) => [w.from.toISOString().slice(0, 10), w.to.toISOString().slice(0, 10)])).toEqual([
      ["2025-06-01", "2026-06-01"],
      ["2024-06-01", "2025-06-01"],
      ["2024-01-01", "2024-06-01"],
    ]);
  });

  it("leaves out what stored or pending statements cover, and offers only the gaps between them", () => {
    const taken = [{ from: d("2025-06-01"), to: d("2026-06-01") }, { from: d("2024-09-01"), to: d("2024-12-01") }];
    const windows = statementWindows(d("2024-01-01"), d("2026-06-01"), YEAR, taken);
    expect(windows.map((w) => [w.from.toISOString().slice(0, 10), w.to.toISOString().slice(0, 10)])).toEqual([
      ["2024-12-01", "2025-06-01"],
      ["2024-01-01", "2024-09-01"],
    ]);
  });

  it("offers nothing when everything is covered or the cut-off is before the product existed", () => {
    expect(statementWindows(d("2024-01-01"), d("2025-01-01"), YEAR, [{ from: d("2023-06-01"), to: d("2025-02-01") }])).toEqual([]);
    expect(statementWindows(d("2024-01-01"), d("2023-01-01"), YEAR, [])).toEqual([]);
  });
});

describe("Binance's trade/asyn/id answer", () => {
  const now = Date.UTC(2026, 11, 1);
  it("processing, completed with its link, or expired", () => {
    expect(binanceStatementPoll({ downloadId: "1", status: "processing", url: "", expirationTimestamp: -1, isExpired: null }, now)).toEqual({ state: "processing" });
    expect(binanceStatementPoll({ downloadId: "1", status: "completed", url: "https://bin.example/f.zip", expirationTimestamp: now + DAY, isExpired: null }, now)).toEqual({
      state: "ready",
      url: "https://bin.example/f.zip",
      expiresAt: new Date(now + DAY),
    });
    expect(binanceStatementPoll({ downloadId: "1", status: "completed", url: "https://bin.example/f.zip", expirationTimestamp: now - 1, isExpired: null }, now)).toEqual({ state: "expired" });
    expect(binanceStatementPoll({ downloadId: "1", status: "completed", url: "https://x", expirationTimestamp: now + DAY, isExpired: true }, now)).toEqual({ state: "expired" });
  });

  it("refuses an answer it cannot read as malformed, rather than guessing", () => {
    expect(() => binanceStatementPoll({ downloadId: "1", status: "completed", url: "" }, now)).toThrow(/completed without a link/);
    expect(() => binanceStatementPoll({ downloadId: "1", status: "queued" }, now)).toThrow(/status "queued"/);
    expect(() => binanceStatementPoll("nope", now)).toThrow(/unexpected answer/);
  });
});

describe("statementUrlAllowed", () => {
  it("fetches https links, and plain http only from the configured API origin", () => {
    expect(statementUrlAllowed("https://bin-prod-user-rebate-bucket.s3.amazonaws.com/a.zip?X-Amz-Signature=1", [])).toBe(true);
    expect(statementUrlAllowed("http://127.0.0.1:4010/binance-statements/x/a.zip", ["http://127.0.0.1:4010"])).toBe(true);
    expect(statementUrlAllowed("http://169.254.169.254/latest/meta-data", ["http://127.0.0.1:4010"])).toBe(false);
    expect(statementUrlAllowed("file:///etc/passwd", [])).toBe(false);
    expect(statementUrlAllowed("https://user:pw@example.com/a.zip", [])).toBe(false);
    expect(statementUrlAllowed("not a url", [])).toBe(false);
  });
});

describe("pollDelay", () => {
  it("a tenth of the exchange's typical time, growing with each poll, within 2 s and 10 min", () => {
    expect(pollDelay(2000, 1)).toBe(2000);
    expect(pollDelay(7_241_837, 1)).toBe(600_000);
    expect(pollDelay(600_000, 1)).toBe(60_000);
    expect(pollDelay(600_000, 3)).toBe(180_000);
    expect(pollDelay(null, 20)).toBe(300_000);
  });
});

describe("statements in the backup archive", () => {
  const file = zipSync({ "trades.csv": strToU8("symbol,id\nBTCUSDT,1\n") });
  const statement = { path: statementPath("binance", "usdm-trades", d("2025-06-01"), d("2026-06-01"), "x.zip"), kind: "usdm-trades", part: "usdm", from: d("2025-06-01"), to: d("2026-06-01"), downloadId: "5469", bytes: file };

  it("are written under statements/, hashed in the manifest, and read back as they were", async () => {
    expect(statement.path).toBe("statements/binance-usdm-trades-20250601T000000Z-20260601T000000Z.zip");
    const archive = await readAll(writeBackupArchive({ trades: [[trade({ tradeId: "1" })]], key: KEY, bots: [], now: NOW, statements: [statement] }));
    const verified = await verifyBackupArchive(archive);
    if (!verified.ok) throw new Error(verified.problem);
    expect(verified.statements.map(({ read: _read, ...s }) => s)).toEqual([
      expect.objectContaining({ path: statement.path, kind: "usdm-trades", part: "usdm", from: statement.from, to: statement.to, downloadId: "5469", bytes: file.length }),
    ]);
    expect(Buffer.from(await verified.statements[0]!.read()).equals(Buffer.from(file))).toBe(true);
  });

  it("a changed statement file is refused, naming it", async () => {
    const archive = await readAll(writeBackupArchive({ trades: [[trade({ tradeId: "1" })]], key: KEY, bots: [], now: NOW, statements: [statement] }));
    const files = unzipSync(archive);
    const changed = new Uint8Array(files[statement.path]!);
    changed[changed.length - 1] = changed[changed.length - 1]! ^ 1;
    const tampered = zipSync({ ...files, [statement.path]: changed });
    const verified = await verifyBackupArchive(tampered);
    expect(verified).toEqual({ ok: false, problem: `${statement.path} does not match its SHA-256 in the manifest (the file or the manifest was changed)` });
  });

  it("a writer refuses a path outside statements/ or a repeated one", () => {
    expect(() => writeBackupArchive({ trades: [], key: KEY, bots: [], now: NOW, statements: [{ ...statement, path: "../evil.zip" }] })).toThrow(/invalid or repeated/);
    expect(() => writeBackupArchive({ trades: [], key: KEY, bots: [], now: NOW, statements: [statement, statement] })).toThrow(/invalid or repeated/);
  });
});
