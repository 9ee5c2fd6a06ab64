import { Worker } from "node:worker_threads";
import type { ExchangeSimOptions, SimExchange, SimFault, SimKey, SimKeyMarkets, SimKeyOptions, SimProduct, SimStats } from "@/lib/exchange-sim";

// The exchange simulator on a worker thread: a real exchange does not run on the exporting
// process's CPU, so generating and serialising its answers must not be charged to the export.
// (On a 2-core machine it still competes with the export and Postgres for the cores.)

export interface SimThread {
  origin: string;
  createKey(options: SimKeyOptions): Promise<SimKey>;
  markets(exchange: SimExchange, apiKey: string): Promise<SimKeyMarkets>;
  tradeCount(exchange: SimExchange, apiKey: string): Promise<number>;
  /** Ground truth: trades per market of the key's whole history (of one product; default spot). */
  tradesPerMarket(exchange: SimExchange, apiKey: string, product?: SimProduct): Promise<Record<string, number>>;
  /** Ground truth of a complete account: its non-trade records' times per series, and counts per table. */
  ledgerTimes(exchange: SimExchange, apiKey: string): Promise<LedgerTimes>;
  setFault(fault: SimFault): Promise<void>;
  stats(): Promise<SimStats>;
  resetStats(): Promise<void>;
  resetRateLimits(): Promise<void>;
  close(): Promise<void>;
}

export interface LedgerTimes {
  /** deposits, withdrawals, convert, dust (operations), usdmIncome, coinmIncome: record times (ms). */
  times: Record<string, number[]>;
  /** What the export stores of them: Transfer, Conversion (a dust operation is one row per asset) and IncomeEntry rows. */
  records: { transfers: number; conversions: number; income: number };
}

export async function startSimThread(options: ExchangeSimOptions): Promise<SimThread> {
  // A worker does not inherit tsx's module hooks: it registers them before loading the TypeScript.
  const bootstrap = `import(${JSON.stringify(import.meta.resolve("tsx/esm/api"))})
    .then(({ register }) => { register(); return import(${JSON.stringify(new URL("./sim-thread-worker.ts", import.meta.url).href)}); })`;
  const worker = new Worker(bootstrap, { eval: true, workerData: { port: 0, ...options } });
  const waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  worker.on("message", ({ id, ok, value, error }: { id: number; ok: boolean; value?: unknown; error?: string }) => {
    const call = waiting.get(id);
    waiting.delete(id);
    if (ok) call?.resolve(value);
    else call?.reject(new Error(error));
  });
  worker.on("error", (error) => {
    for (const call of waiting.values()) call.reject(error);
    waiting.clear();
  });
  const call = <T>(method: string, ...args: unknown[]): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
      worker.postMessage({ id, method, args });
    });
  const origin = await new Promise<string>((resolve, reject) => {
    waiting.set(0, { resolve: resolve as (value: unknown) => void, reject });
  });
  return {
    origin,
    createKey: (o) => call("createKey", o),
    markets: (exchange, apiKey) => call("markets", exchange, apiKey),
    tradeCount: (exchange, apiKey) => call("tradeCount", exchange, apiKey),
    tradesPerMarket: (exchange, apiKey, product) => call("tradesPerMarket", exchange, apiKey, product),
    ledgerTimes: (exchange, apiKey) => call("ledgerTimes", exchange, apiKey),
    setFault: (fault) => call("setFault", fault),
    stats: () => call("stats"),
    resetStats: () => call("resetStats"),
    resetRateLimits: () => call("resetRateLimits"),
    close: async () => {
      await call("close");
      await worker.terminate();
    },
  };
}
