import { randomBytes } from "node:crypto";
import { Precise } from "ccxt";
import { expect } from "vitest";
import { buildCoverage } from "@/lib/backups/coverage/build-coverage";
import type { CoverageReport } from "@/lib/backups/coverage/coverage-report";
import { runExport, type RunExportOptions } from "@/lib/backups/export/run-export";
import { exportCapabilities } from "@/lib/exchanges/registry";
import type { CoverageNote } from "@/lib/exchanges/types";
import type { Db } from "@/lib/db";
import { simExchanges } from "@/lib/exchange-sim/dialects";
import type { SimTrade } from "@/lib/exchange-sim/types";

// Shared by the export tests: a user with a binding of a simulator key, stored as the
// dashboard stores it (sealed secrets), and the comparison of what Postgres holds with the
// simulator's ground truth.

export const DAY = 86_400_000;
export const READ_ONLY = { read: true, spotTrade: true, marginTrade: false, futuresTrade: false, withdraw: false, transfer: false };

export function simEnv(origin: string, extra: Record<string, string> = {}): Record<string, string> {
  const origins = Object.fromEntries(simExchanges().map((id) => [`EXCHANGE_ORIGIN_${id.toUpperCase()}`, origin]));
  return { ...origins, EXCHANGE_TIMEOUT_MS: "5000", ...extra };
}

export async function createUser(client: Db): Promise<string> {
  const user = await client.user.create({
    data: { email: `export-${randomBytes(6).toString("hex")}@it.test`, passwordHash: "not-a-real-hash" },
    select: { id: true },
  });
  return user.id;
}

/** A binding of `key` for `userId`, with its secrets sealed as bindKey stores them. */
export { createSealedBinding as bindSimKey } from "../../support/sealed-binding";

/** An ExportJob row as enqueueExport makes it, without pg-boss (runExport is driven directly). */
export async function createExportJob(client: Db, userId: string, bindingId: string, fullScan = true): Promise<string> {
  const job = await client.exportJob.create({ data: { userId, bindingId, fullScan }, select: { id: true } });
  return job.id;
}

/** The raw field names of each exchange's record for price, amount and cost. */
export const RAW_FIELDS = {
  binance: { price: "price", amount: "qty", cost: "quoteQty" },
  okx: { price: "fillPx", amount: "fillSz", cost: null },
  bybit: { price: "execPrice", amount: "execQty", cost: "execValue" },
  kucoin: { price: "price", amount: "size", cost: "funds" },
  gate: { price: "price", amount: "amount", cost: "deal" },
  // spot fills; futures fills name them otherwise
  bitget: {
    price: "priceAvg",
    amount: "size",
    cost: "amount",
    products: { usdm: { price: "price", amount: "baseVolume", cost: "quoteVolume" }, coinm: { price: "price", amount: "baseVolume", cost: "quoteVolume" } },
  },
  coinbase: { price: "price", amount: "size", cost: null },
  kraken: { price: "price", amount: "vol", cost: "cost" },
} as const;

/** Postgres holds exactly the simulator's trades: same ids, markets, exact strings, no duplicates. */
export async function expectStoredEqualsTruth(client: Db, bindingId: string, truth: SimTrade[]): Promise<void> {
  const rows = await client.tradeRecord.findMany({ where: { bindingId } });
  const key = (market: string, id: string) => `${market}|${id}`;
  const stored = new Map(rows.map((r) => [key(r.market, r.exchangeTradeId), r]));
  expect(stored.size, "no duplicate (market, trade id)").toBe(rows.length);
  expect(rows.length, "as many trades as the exchange has").toBe(truth.length);
  for (const t of truth) {
    const row = stored.get(key(t.symbol, t.id));
    if (!row) throw new Error(`trade ${t.symbol} ${t.id} missing`);
    const exchangeFields = RAW_FIELDS[t.exchange];
    // an exchange whose products' records name their amounts differently says so per product
    const perProduct: Partial<Record<string, { price: string; amount: string; cost: string | null }>> = "products" in exchangeFields ? exchangeFields.products : {};
    const fields = perProduct[t.product] ?? exchangeFields;
    // the exchange's own text, character for character
    expect(row.price).toBe(t.raw[fields.price]);
    expect(row.amount).toBe(t.raw[fields.amount]);
    if (fields.cost) expect(row.cost).toBe(t.raw[fields.cost]);
    // and the same values as the ground truth's canonical strings
    expect(Precise.stringEq(row.price, t.price)).toBe(true);
    expect(Precise.stringEq(row.amount, t.amount)).toBe(true);
    expect(Precise.stringEq(row.cost ?? "0", t.cost), `cost ${row.cost} vs ${t.cost}`).toBe(true);
    expect(Precise.stringEq(row.fee ?? "0", t.fee), `fee ${row.fee} vs ${t.fee}`).toBe(true);
    expect(row.feeCurrency).toBe(t.feeCurrency);
    expect(row.side).toBe(t.side);
    expect(row.isMaker).toBe(t.takerOrMaker === "maker");
    expect(row.orderId).toBe(t.orderId);
    expect(row.tradedAt.getTime()).toBe(t.timestamp);
    expect(row.raw).toEqual(t.raw);
  }
}

/** Requests the simulator served, in total and for paths starting with a prefix. */
export function requestCount(stats: { byPath: Record<string, number> }, prefix = ""): number {
  return Object.entries(stats.byPath)
    .filter(([path]) => path.startsWith(prefix))
    .reduce((sum, [, n]) => sum + n, 0);
}

/** A small seeded random generator (mulberry32): the crash points of a run can be replayed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Runs an export job to the end, crashing it `crashes` times at random pages (2 to 1 + spread)
 * and phases, as a killed worker would, and putting it back in the queue after each crash.
 * Returns how many crashes happened: a test expects all of them.
 */
export async function exportThroughCrashes(
  client: Db,
  jobId: string,
  options: (extra: Partial<RunExportOptions>) => RunExportOptions,
  { seed, crashes = 6, spread }: { seed: number; crashes?: number; spread: number },
): Promise<number> {
  const random = seededRandom(seed);
  let crashed = 0;
  for (let attempt = 0; attempt < 40; attempt++) {
    const crashAt = 2 + Math.floor(random() * spread);
    const phase = random() < 0.5 ? "in-transaction" : "committed";
    try {
      const result = await runExport(client, jobId, options({
        onPage: ({ index, phase: at }) => {
          // the first page at or after crashAt that reaches the phase (an empty page may not be stored at all)
          if (crashed < crashes && index >= crashAt && at === phase) throw new Error("simulated crash");
        },
      }));
      if (result.status === "SUCCEEDED") break;
    } catch (error) {
      if (!(error instanceof Error) || error.message !== "simulated crash") throw error;
      crashed += 1;
      // the next attempt picks the job up as a worker would after the crash
      await client.exportJob.update({ where: { id: jobId }, data: { status: "QUEUED" } });
    }
  }
  return crashed;
}

/** The coverage report of a binding's newest succeeded export, made again from what is stored now. */
export async function coverageNow(client: Db, bindingId: string, exchange: string): Promise<CoverageReport> {
  const job = await client.exportJob.findFirstOrThrow({ where: { bindingId, status: "SUCCEEDED" }, orderBy: { finishedAt: "desc" } });
  return buildCoverage(client, {
    bindingId,
    exchange,
    exportJobId: job.id,
    fullScan: job.fullScan,
    capabilities: exportCapabilities(exchange),
    notes: job.coverageNotes as CoverageNote[],
    balances: job.balances as Record<string, string> | null,
    now: new Date(),
  });
}
