// The worker side of sim-thread.ts: the exchange simulator on its own thread, answering calls
// from the benchmark's main thread.
import { parentPort, workerData } from "node:worker_threads";
import { startExchangeSim, type ExchangeSim, type ExchangeSimOptions, type SimExchange } from "@/lib/exchange-sim";

interface Call {
  id: number;
  method: string;
  args: unknown[];
}

const port = parentPort;
if (!port) throw new Error("sim-thread-worker.ts runs as a worker thread");

/** Trades per market of a key's whole history, counted in slices (never all in memory). */
function tradesPerMarket(sim: ExchangeSim, exchange: SimExchange, apiKey: string): Record<string, number> {
  const counts: Record<string, number> = {};
  const total = sim.tradeCount(exchange, apiKey);
  for (let offset = 0; offset < total; offset += 50_000) {
    for (const trade of sim.trades(exchange, apiKey, { offset, limit: 50_000 })) counts[trade.symbol] = (counts[trade.symbol] ?? 0) + 1;
  }
  return counts;
}

const sim = await startExchangeSim(workerData as ExchangeSimOptions);
const extra: Record<string, (...args: never[]) => unknown> = {
  tradesPerMarket: (exchange: SimExchange, apiKey: string) => tradesPerMarket(sim, exchange, apiKey),
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
