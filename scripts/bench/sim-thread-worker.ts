// The worker side of sim-thread.ts: the exchange simulator on its own thread, answering calls
// from the benchmark's main thread.
import { parentPort, workerData } from "node:worker_threads";
import { startExchangeSim, type ExchangeSim, type ExchangeSimOptions, type SimExchange, type SimProduct } from "@/lib/exchange-sim";

interface Call {
  id: number;
  method: string;
  args: unknown[];
}

const port = parentPort;
if (!port) throw new Error("sim-thread-worker.ts runs as a worker thread");

/** Trades per market of a key's whole history (of one product: default spot), counted in slices (never all in memory). */
function tradesPerMarket(sim: ExchangeSim, exchange: SimExchange, apiKey: string, product?: SimProduct): Record<string, number> {
  const counts: Record<string, number> = {};
  const total = sim.tradeCount(exchange, apiKey, product);
  for (let offset = 0; offset < total; offset += 50_000) {
    for (const trade of sim.trades(exchange, apiKey, { offset, limit: 50_000, ...(product ? { product } : {}) })) counts[trade.symbol] = (counts[trade.symbol] ?? 0) + 1;
  }
  return counts;
}

/**
 * The times of a complete account's non-trade records, per series (deposits, withdrawals,
 * convert, dust operations, income per product) and its records per table: what the fewest
 * requests for them follow from. Sent instead of the ledger itself, which is large.
 */
function ledgerTimes(sim: ExchangeSim, exchange: SimExchange, apiKey: string) {
  const ledger = sim.ledger(exchange, apiKey);
  const times: Record<string, number[]> = {};
  const add = (series: string, time: number) => (times[series] ??= []).push(time);
  for (const e of ledger.deposits) add("deposits", e.time);
  for (const e of ledger.withdrawals) add("withdrawals", e.time);
  let conversions = 0;
  for (const e of ledger.conversions) {
    add(e.kind, e.time);
    const details = (e.raw as { userAssetDribbletDetails?: unknown[] }).userAssetDribbletDetails;
    conversions += e.kind === "dust" ? (details?.length ?? 0) : 1;
  }
  for (const e of ledger.income) add(`${e.wallet}Income`, e.time);
  return { times, records: { transfers: ledger.deposits.length + ledger.withdrawals.length, conversions, income: ledger.income.length } };
}

const sim = await startExchangeSim(workerData as ExchangeSimOptions);
const extra: Record<string, (...args: never[]) => unknown> = {
  tradesPerMarket: (exchange: SimExchange, apiKey: string, product?: SimProduct) => tradesPerMarket(sim, exchange, apiKey, product),
  ledgerTimes: (exchange: SimExchange, apiKey: string) => ledgerTimes(sim, exchange, apiKey),
};

port.on("message", async ({ id, method, args }: Call) => {
  try {
    const fn = (extra[method] ?? (sim as unknown as Record<string, (...a: unknown[]) => unknown>)[method]) as ((...a: unknown[]) => unknown) | undefined;
    if (typeof fn !== "function") throw new Error(`the simulator has no method ${method}`);
    const value = await fn.apply(extra[method] ? undefined : sim, args);
    port.postMessage({ id, ok: true, value });
  } catch (error) {
    port.postMessage({ id, ok: false, error: error instanceof Error ? error.message : String(error) });
  }
});
port.postMessage({ id: 0, ok: true, value: sim.origin });
