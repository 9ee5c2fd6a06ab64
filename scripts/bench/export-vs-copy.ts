import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { runExport } from "@/lib/backups/export/run-export";
import type { Db } from "@/lib/db";
import type { SimKey } from "@/lib/exchange-sim";
import { WeightPacer } from "@/lib/exchanges/pacing/weight-pacer";
import { FAR_BINANCE_LIMITS, farPacer } from "../../tests/support/far-limits";
import { benchBinding, benchUser, READ_ONLY } from "./fixtures";
import { benchDatabase } from "./setup";
import { startSimThread } from "./sim-thread";

// (a) Export throughput end to end: the simulator's Binance over HTTP at zero latency, ccxt,
// the adapter, and one transaction per page (records + cursor + progress), exactly as an export
// job runs it. The simulator runs on a worker thread (sim-thread.ts). Beside it, the ceiling:
// Postgres's own COPY of the same rows into the same tables, from a file on the database
// server, measured in the same run on the same database.
//
// The measure with a target keeps the key of earlier runs: a legacy spot-only key (200k trades
// over 30 markets). The export now also asks about every other product; the key has none
// (empty margin accounts, no futures account), so that costs a few requests and no rows. A
// complete account (every product, income, convert, dust, transfers) is measured the same
// way, for information: its records/s beside COPY of the same rows, table by table.

const DAY = 86_400_000;
const HOUR = 3_600_000;
/** What the export writes of every record table; COPY writes the same columns. */
const TABLES = ["TradeRecord", "IncomeEntry", "Transfer", "Conversion"] as const;

export interface ExportCopyPair {
  records: number;
  requests: number;
  exportSeconds: number;
  exportRate: number;
  copySeconds: number;
  copyRate: number;
  ratio: number;
}

export interface ExportVersusCopyResult extends ExportCopyPair {
  trades: number;
  markets: number;
  /** Informational: a complete account, same method. */
  complete: ExportCopyPair & { rows: Record<string, number> };
}

const FULL_ACCOUNT = { ...READ_ONLY, marginTrade: true, futuresTrade: true };

async function columnsOf(client: Db, table: string): Promise<string[]> {
  const rows = await client.$queryRawUnsafe<Array<{ column_name: string }>>(
    `SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 AND column_name NOT IN ('id', 'bindingId', 'createdAt') ORDER BY ordinal_position`,
    table,
  );
  return rows.map((r) => `"${r.column_name}"`);
}

/**
 * The rows the export stored for `bindingId`, written to files by the server, then COPYed back
 * for another binding of the same user (the unique keys differ): no client, no network, no
 * parsing in Node. Returns the COPY time and the rows per table.
 */
async function copyLikeExport(client: Db, userId: string, key: SimKey, bindingId: string): Promise<{ seconds: number; rows: Record<string, number> }> {
  const copyBinding = await benchBinding(client, userId, { ...key, apiKey: `${key.apiKey}-copy` });
  const files: Array<{ table: string; file: string; columns: string }> = [];
  const rows: Record<string, number> = {};
  try {
    for (const table of TABLES) {
      const columns = (await columnsOf(client, table)).join(", ");
      const file = path.join(tmpdir(), `myits-bench-copy-${process.pid}-${table}.csv`);
      await client.$executeRawUnsafe(`COPY (SELECT '${copyBinding}', ${columns} FROM "${table}" WHERE "bindingId" = '${bindingId}') TO '${file}' WITH (FORMAT csv)`);
      files.push({ table, file, columns });
    }
    await client.$executeRawUnsafe(`CHECKPOINT`);
    const started = performance.now();
    for (const { table, file, columns } of files) await client.$executeRawUnsafe(`COPY "${table}" ("bindingId", ${columns}) FROM '${file}' WITH (FORMAT csv)`);
    const seconds = (performance.now() - started) / 1000;
    for (const table of TABLES) {
      const [stored] = await client.$queryRawUnsafe<Array<{ n: bigint }>>(`SELECT count(*) AS n FROM "${table}" WHERE "bindingId" = $1`, bindingId);
      const [copied] = await client.$queryRawUnsafe<Array<{ n: bigint }>>(`SELECT count(*) AS n FROM "${table}" WHERE "bindingId" = $1`, copyBinding);
      if (stored?.n !== copied?.n) throw new Error(`(a) COPY wrote ${copied?.n} of ${stored?.n} rows of ${table}`);
      rows[table] = Number(stored?.n ?? 0);
    }
    return { seconds, rows };
  } finally {
    for (const { file } of files) await rm(file, { force: true }).catch(() => {});
  }
}

export async function benchExportVersusCopy(options: { trades: number; markets: number; complete: { scale: number } }): Promise<ExportVersusCopyResult> {
  const { trades, markets } = options;
  const database = await benchDatabase("export");
  // No weight limit: this measures the export's own speed, not Binance's pacing (that is (b)).
  const sim = await startSimThread({ seed: 1, binance: FAR_BINANCE_LIMITS });
  try {
    const { client } = database;
    const userId = await benchUser(client);

    // The measure with a target: the legacy key, as before.
    const key = await sim.createKey({ exchange: "binance", label: "bench", permissions: READ_ONLY, trades: { count: trades, markets, seed: 9 } });
    const bindingId = await benchBinding(client, userId, key);
    const job = await client.exportJob.create({ data: { userId, bindingId, fullScan: true }, select: { id: true } });
    let started = performance.now();
    const result = await runExport(client, job.id, {
      env: { EXCHANGE_ORIGIN_BINANCE: sim.origin, EXCHANGE_TIMEOUT_MS: "10000" },
      pacer: new WeightPacer({ limit: Number.MAX_SAFE_INTEGER }),
      since: new Date(Date.now() - 400 * DAY),
    });
    const exportSeconds = (performance.now() - started) / 1000;
    if (result.status !== "SUCCEEDED" || result.inserted !== trades) {
      throw new Error(`(a) the export ended ${result.status} with ${result.inserted} of ${trades} trades: ${result.error ?? ""}`);
    }
    const requests = Object.values((await sim.stats()).byPath).reduce((sum, n) => sum + n, 0);
    const copy = await copyLikeExport(client, userId, key, bindingId);
    const records = Object.values(copy.rows).reduce((sum, n) => sum + n, 0);

    // Informational: a complete account at the same speed settings. Its histories lie within
    // the retention of every endpoint, and the export looks back 200 days (as the tests do), so
    // few windows of time-ordered history are empty.
    await sim.resetStats();
    const now = Date.now();
    const s = options.complete.scale;
    const completeKey = await sim.createKey({
      exchange: "binance",
      label: "bench-complete",
      permissions: FULL_ACCOUNT,
      trades: {
        count: 80_000 * s,
        markets: 20,
        seed: 19,
        startTime: new Date(now - 170 * DAY),
        endTime: new Date(now - HOUR),
        products: {
          margin: { count: 30_000 * s, markets: 5 },
          isolated_margin: { count: 10_000 * s, markets: 3 },
          usdm: { count: 40_000 * s, markets: 8, startTime: new Date(now - 85 * DAY) },
          coinm: { count: 20_000 * s, markets: 6 },
        },
      },
      ledger: { converts: 100 * s, dust: 20, income: 100 * s },
    });
    await sim.markets("binance", completeKey.apiKey); // the simulator's one-time pass over the account, not timed
    const completeBinding = await benchBinding(client, userId, completeKey);
    const completeJob = await client.exportJob.create({ data: { userId, bindingId: completeBinding, fullScan: true }, select: { id: true } });
    started = performance.now();
    const completeResult = await runExport(client, completeJob.id, {
      env: { EXCHANGE_ORIGIN_BINANCE: sim.origin, EXCHANGE_TIMEOUT_MS: "10000" },
      pacer: farPacer(),
      since: new Date(now - 200 * DAY),
    });
    const completeSeconds = (performance.now() - started) / 1000;
    if (completeResult.status !== "SUCCEEDED") throw new Error(`(a) the complete account's export ended ${completeResult.status}: ${completeResult.error ?? ""}`);
    const completeRequests = Object.values((await sim.stats()).byPath).reduce((sum, n) => sum + n, 0);
    const completeCopy = await copyLikeExport(client, userId, completeKey, completeBinding);
    const completeRecords = Object.values(completeCopy.rows).reduce((sum, n) => sum + n, 0);

    const pair = (n: number, reqs: number, exportS: number, copyS: number): ExportCopyPair => ({
      records: n,
      requests: reqs,
      exportSeconds: exportS,
      exportRate: n / exportS,
      copySeconds: copyS,
      copyRate: n / copyS,
      ratio: copyS / exportS,
    });
    return {
      trades,
      markets,
      ...pair(records, requests, exportSeconds, copy.seconds),
      complete: { ...pair(completeRecords, completeRequests, completeSeconds, completeCopy.seconds), rows: completeCopy.rows },
    };
  } finally {
    await sim.close();
    await database.close();
  }
}
