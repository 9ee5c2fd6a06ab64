import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { runExport } from "@/lib/backups/export/run-export";
import { WeightPacer } from "@/lib/exchanges/pacing/weight-pacer";
import { benchBinding, benchUser, READ_ONLY } from "./fixtures";
import { benchDatabase } from "./setup";
import { startSimThread } from "./sim-thread";

// (a) Export throughput end to end: the simulator's Binance over HTTP at zero latency, ccxt,
// the adapter, and one transaction per page (trades + cursor + progress) into TradeRecord,
// exactly as an export job runs it. The simulator runs on a worker thread (sim-thread.ts).
// Beside it, the ceiling: Postgres's own COPY of the same rows into the same table, from a
// file on the database server, measured in the same run on the same database.

const DAY = 86_400_000;
const COLUMNS = `"bindingId", "market", "exchangeTradeId", "orderId", "side", "price", "amount", "cost", "fee", "feeCurrency", "isMaker", "tradedAt", "raw"`;

export interface ExportVersusCopyResult {
  trades: number;
  markets: number;
  requests: number;
  exportSeconds: number;
  exportRate: number;
  copySeconds: number;
  copyRate: number;
  ratio: number;
}

export async function benchExportVersusCopy(options: { trades: number; markets: number }): Promise<ExportVersusCopyResult> {
  const { trades, markets } = options;
  const database = await benchDatabase("export");
  // No weight limit: this measures the export's own speed, not Binance's pacing (that is (b)).
  const sim = await startSimThread({ seed: 1, binance: { weightLimitPerMinute: Number.MAX_SAFE_INTEGER } });
  const file = path.join(tmpdir(), `myits-bench-copy-${process.pid}.csv`);
  try {
    const { client } = database;
    const userId = await benchUser(client);
    const key = await sim.createKey({ exchange: "binance", label: "bench", permissions: READ_ONLY, trades: { count: trades, markets, seed: 9 } });
    const bindingId = await benchBinding(client, userId, key);
    const job = await client.exportJob.create({ data: { userId, bindingId, fullScan: true }, select: { id: true } });

    const started = performance.now();
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

    // The same rows, for another binding of the same user (the unique key differs), written to a
    // file by the server and read back by it: no client, no network, no parsing in Node.
    const copyBinding = await benchBinding(client, userId, { ...key, apiKey: `${key.apiKey}-copy` });
    await client.$executeRawUnsafe(
      `COPY (SELECT '${copyBinding}', "market", "exchangeTradeId", "orderId", "side", "price", "amount", "cost", "fee", "feeCurrency", "isMaker", "tradedAt", "raw"
             FROM "TradeRecord" WHERE "bindingId" = '${bindingId}') TO '${file}' WITH (FORMAT csv)`,
    );
    await client.$executeRawUnsafe(`CHECKPOINT`);
    const copyStarted = performance.now();
    await client.$executeRawUnsafe(`COPY "TradeRecord" (${COLUMNS}) FROM '${file}' WITH (FORMAT csv)`);
    const copySeconds = (performance.now() - copyStarted) / 1000;
    const copied = await client.tradeRecord.count({ where: { bindingId: copyBinding } });
    if (copied !== trades) throw new Error(`(a) COPY wrote ${copied} of ${trades} rows`);

    const exportRate = trades / exportSeconds;
    const copyRate = trades / copySeconds;
    return { trades, markets, requests, exportSeconds, exportRate, copySeconds, copyRate, ratio: exportRate / copyRate };
  } finally {
    await rm(file, { force: true }).catch(() => {});
    await sim.close();
    await database.close();
  }
}
