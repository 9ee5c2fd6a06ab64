import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createDeflateRaw } from "node:zlib";
import { insertTrades } from "@/lib/backups/records/store-records";
import { hashPassword } from "@/lib/auth/password";
import type { Db } from "@/lib/db";
import { startExchangeSim } from "@/lib/exchange-sim";
import { normalizeBinanceTrade } from "@/lib/exchanges/binance";
import { benchBinding, benchUser } from "./fixtures";
import { ensureBuild, memoryOf, resetPeak, signIn, startNextServer } from "./next-server";
import { benchDatabase } from "./setup";

// (c) Backup download through the real route (GET /api/keys/[id]/backup?format=zip) of the
// production server (`next start`), signed in through Auth.js like a browser, for a key with
// 100,000 and one with 1,000,000 stored trades. The client reads as fast as it can. Memory is
// the resident set of the process that serves HTTP, read from /proc: idle after a warm-up
// download, then its peak (VmHWM, reset before each download, and sampled every 25 ms).
//
// The trades are the simulator's Binance records (its raw JSON as the export stores it): the
// 100,000 are stored as the export stores them; the 1,000,000 are ten copies of those with
// other trade ids and later times (same rows otherwise), made inside Postgres to save time.
//
// The baseline, in the same run, right after each download: Postgres's own
// `COPY (SELECT <the columns trades.csv is made of> ... in the download's order) TO STDOUT`
// of the same rows, read by psql and deflated by Node's zlib at the archive's level: the
// fastest this machine turns those rows into a compressed CSV, without HTTP, Auth.js, the
// route, the CSV writer or the ZIP around it. This machine's speed varies threefold between
// days, so the download is judged as a share of it, not in rows/s.

export interface BackupDownloadResult {
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  /** COPY ... TO STDOUT of the same rows through zlib, in the same run. */
  copy: { seconds: number; rowsPerSecond: number; bytes: number };
  /** rowsPerSecond / copy.rowsPerSecond. */
  ratio: number;
  bytes: number;
  peakRss: number;
  peakAboveIdle: number;
  rssAfter: number;
}

export interface BackupBenchResult {
  build: { built: boolean; seconds: number };
  idleRss: number;
  peakResetWorked: boolean;
  downloads: BackupDownloadResult[];
}

const PASSWORD = `bench-${randomBytes(6).toString("hex")}`;

async function seedFromSimulator(client: Db, bindingId: string, count: number): Promise<void> {
  const sim = await startExchangeSim({ port: 0, seed: 3 });
  try {
    const end = new Date();
    const key = sim.createKey({ exchange: "binance", trades: { count, markets: 30, seed: 31, startTime: new Date(end.getTime() - 400 * 86_400_000), endTime: end } });
    for (let offset = 0; offset < count; offset += 10_000) {
      const trades = sim.trades("binance", key.apiKey, { offset, limit: 10_000 }).map((t) => normalizeBinanceTrade(t.raw, null));
      await client.$transaction((tx) => insertTrades(tx, bindingId, trades));
    }
  } finally {
    await sim.close();
  }
}

/** `copies` copies of `from`'s trades for `to`, with new ids and times `copies` spans later. */
async function replicate(client: Db, from: string, to: string, copies: number, limit?: number): Promise<void> {
  const columns = `"bindingId", "market", "exchangeTradeId", "orderId", "side", "price", "amount", "cost", "fee", "feeCurrency", "isMaker", "tradedAt", "raw"`;
  for (let k = 0; k < copies; k++) {
    await client.$executeRawUnsafe(
      `INSERT INTO "TradeRecord" (${columns})
       SELECT $1, "market", "exchangeTradeId" || $2, "orderId", "side", "price", "amount", "cost", "fee", "feeCurrency", "isMaker",
              "tradedAt" + make_interval(days => 400 * $3::int), "raw"
       FROM "TradeRecord" WHERE "bindingId" = $4 ORDER BY "id" ${limit ? `LIMIT ${limit}` : ""}`,
      to,
      k === 0 ? "" : `-${k}`,
      k,
      from,
    );
  }
}

async function download(origin: string, cookie: string, bindingId: string): Promise<{ rows: number; bytes: number; seconds: number }> {
  const started = performance.now();
  const response = await fetch(`${origin}/api/keys/${bindingId}/backup?format=zip`, { headers: { cookie } });
  if (!response.ok || !response.body) throw new Error(`(c) backup download: HTTP ${response.status} ${await response.text()}`);
  let bytes = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
  }
  return { rows: Number(response.headers.get("x-backup-rows")), bytes, seconds: (performance.now() - started) / 1000 };
}

/** Deflate level of the archive's CSV files (lib/backups/archive/write-archive.ts). */
const ARCHIVE_DEFLATE_LEVEL = 6;

/** `COPY (SELECT ...) TO STDOUT` of a binding's trades, as the download reads them, through zlib. */
async function copyDeflated(url: string, bindingId: string): Promise<{ rows: number; bytes: number; seconds: number }> {
  const sql = `COPY (SELECT "id", "product", "market", "exchangeTradeId", "orderId", "side", "price", "amount", "cost", "fee", "feeCurrency", "isMaker", "tradedAt", "effects"::text, "raw"::text
                     FROM "TradeRecord" WHERE "bindingId" = '${bindingId}' ORDER BY "tradedAt", "id") TO STDOUT WITH (FORMAT csv, HEADER)`;
  const started = performance.now();
  const psql = spawn("psql", ["--no-psqlrc", "--quiet", "--set=ON_ERROR_STOP=1", "--dbname", url, "--command", sql], { stdio: ["ignore", "pipe", "pipe"] });
  const deflate = createDeflateRaw({ level: ARCHIVE_DEFLATE_LEVEL });
  let newlines = 0;
  let bytes = 0;
  let stderr = "";
  psql.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  psql.stdout.on("data", (chunk: Buffer) => {
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) newlines++;
  });
  deflate.on("data", (chunk: Buffer) => (bytes += chunk.byteLength));
  psql.stdout.pipe(deflate);
  const [code] = await Promise.all([
    new Promise<number | null>((resolve, reject) => {
      psql.once("error", reject);
      psql.once("close", resolve);
    }),
    new Promise<void>((resolve, reject) => {
      deflate.once("end", resolve);
      deflate.once("error", reject);
    }),
  ]);
  if (code !== 0) throw new Error(`(c) psql COPY failed (${code}): ${stderr}`);
  // One line per row and the header (raw JSON holds no newline; quoted fields would not either).
  return { rows: newlines - 1, bytes, seconds: (performance.now() - started) / 1000 };
}

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function benchBackupDownloads(sizes: number[], log: (line: string) => void): Promise<BackupBenchResult> {
  const database = await benchDatabase("backup");
  const { client } = database;
  let server: Awaited<ReturnType<typeof startNextServer>> | undefined;
  try {
    const userId = await benchUser(client, await hashPassword(PASSWORD));
    const { email } = await client.user.findUniqueOrThrow({ where: { id: userId }, select: { email: true } });
    const binding = (label: string) => benchBinding(client, userId, { exchange: "binance", label, apiKey: `bench-${label}-${randomBytes(8).toString("hex")}`, secret: "bench" });

    const base = Math.min(...sizes);
    log(`    storing ${base.toLocaleString("en-US")} simulator trades…`);
    const source = await binding(`trades-${base}`);
    await seedFromSimulator(client, source, base);
    const bindings = new Map<number, string>([[base, source]]);
    for (const rows of sizes) {
      if (bindings.has(rows)) continue;
      if (rows % base !== 0) throw new Error("(c) every size must be a multiple of the smallest");
      log(`    copying them to ${rows.toLocaleString("en-US")} trades…`);
      const id = await binding(`trades-${rows}`);
      await replicate(client, source, id, rows / base);
      bindings.set(rows, id);
    }
    const warmUp = await binding("warm-up");
    await replicate(client, source, warmUp, 1, 2000);
    await client.$executeRawUnsafe(`VACUUM ANALYZE "TradeRecord"`);

    log("    building the dashboard if the sources changed…");
    const build = await ensureBuild();
    server = await startNextServer({
      DATABASE_URL: database.url,
      AUTH_SECRET: process.env.AUTH_SECRET!,
      ENCRYPTION_KEY: process.env.ENCRYPTION_KEY!,
    });
    const cookie = await signIn(server.origin, email, PASSWORD);
    // Warm-up: route code loaded, database pool open, as on a server that has served a backup.
    for (let i = 0; i < 3; i++) await download(server.origin, cookie, warmUp);
    await settle(3000);
    const samples: number[] = [];
    for (let i = 0; i < 10; i++) {
      samples.push(memoryOf(server.pid).rss);
      await settle(200);
    }
    const idleRss = samples.reduce((sum, n) => sum + n, 0) / samples.length;

    const downloads: BackupDownloadResult[] = [];
    let peakResetWorked = true;
    for (const rows of sizes) {
      peakResetWorked = resetPeak(server.pid) && peakResetWorked;
      let sampled = memoryOf(server.pid).rss;
      const pid = server.pid;
      const sampler = setInterval(() => {
        sampled = Math.max(sampled, memoryOf(pid).rss);
      }, 25);
      const result = await download(server.origin, cookie, bindings.get(rows)!);
      clearInterval(sampler);
      const memory = memoryOf(server.pid);
      if (result.rows !== rows) throw new Error(`(c) the archive says ${result.rows} rows, expected ${rows}`);
      const recorded = await client.backup.findFirst({ where: { bindingId: bindings.get(rows)! }, orderBy: { createdAt: "desc" }, select: { rowCount: true, sizeBytes: true } });
      if (recorded?.rowCount !== rows || recorded.sizeBytes !== BigInt(result.bytes)) throw new Error(`(c) the server recorded ${JSON.stringify(recorded)} for ${result.bytes} bytes`);
      const peakRss = Math.max(sampled, peakResetWorked ? memory.peak : 0);
      await settle(3000);
      const copied = await copyDeflated(database.url, bindings.get(rows)!);
      if (copied.rows !== rows) throw new Error(`(c) COPY gave ${copied.rows} rows, expected ${rows}`);
      const copy = { seconds: copied.seconds, rowsPerSecond: rows / copied.seconds, bytes: copied.bytes };
      const rowsPerSecond = rows / result.seconds;
      downloads.push({ rows, seconds: result.seconds, rowsPerSecond, copy, ratio: rowsPerSecond / copy.rowsPerSecond, bytes: result.bytes, peakRss, peakAboveIdle: peakRss - idleRss, rssAfter: memory.rss });
      log(`    ${rows.toLocaleString("en-US")} trades: ${Math.round(rowsPerSecond).toLocaleString("en-US")} rows/s (COPY + zlib ${Math.round(copy.rowsPerSecond).toLocaleString("en-US")}), peak RSS ${Math.round((peakRss - idleRss) / 2 ** 20)} MB above idle`);
      await settle(3000);
    }
    return { build, idleRss, peakResetWorked, downloads };
  } finally {
    await server?.stop();
    await database.close();
  }
}
