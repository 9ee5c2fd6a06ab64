import { runExport } from "@/lib/backups/export/run-export";
import { BINANCE_DEFAULT_SINCE, BINANCE_HISTORY_WINDOW_MS, BINANCE_TRADES_LIMIT } from "@/lib/exchanges/binance";
import { createPacer } from "@/lib/exchanges/pacing/shared";
import { WeightPacer } from "@/lib/exchanges/pacing/weight-pacer";
import type { SignalAwarePacer } from "@/lib/exchanges/pacing/types";
import { recordingUsedWeight } from "../../tests/support/weight-recorder";
import { benchBinding, benchUser, READ_ONLY } from "./fixtures";
import { benchDatabase } from "./setup";
import { startSimThread } from "./sim-thread";

// (b) Export against Binance's IP weight limit, as production runs it: the default pacer
// (6000 weight per one-minute window), no full scan, no `since` (so deposits and withdrawals
// are scanned back to 2017 in 90-day windows), against the simulator's real limit with its
// used-weight headers, 429 and 418.
//
// The bound: myTrades costs 20 weight and returns at most 1000 trades, so no client can export
// more than limit / 20 * 1000 trades per window (5000 trades/s). The run starts on a window
// boundary and the history (1.2M trades) keeps it busy for four whole windows and a little
// more: the one-time discovery (exchangeInfo, account, transfer history back to 2017, empty
// myTrades probes: about 1,000 weight) then weighs on the rate as it would on a long export,
// not as on a two-window one (600k trades measured 87.8%). The rate is taken over the whole
// windows (trades committed in them / their length), so a last partial window, spent in a
// burst, cannot flatter it.

const SIM_WEIGHT = { myTrades: 20 };

export interface WeightLimitOptions {
  trades: number;
  markets: number;
  /** Binance: 6000 per 60 s. A scaled window (same limit per second) only for --quick. */
  limit: number;
  windowMs: number;
}

export interface WeightLimitResult extends WeightLimitOptions {
  exportedTrades: number;
  elapsedSeconds: number;
  boundPerSecond: number;
  wholeWindows: number;
  tradesInWholeWindows: number;
  rateInWholeWindows: number;
  fraction: number;
  overallRate: number;
  weightPerWindow: number[];
  rateLimited429: number;
  banned418: number;
  requests: number;
  byPath: Record<string, number>;
  minimum: { myTrades: number; fixed: number; total: number };
  ratio: number;
  marketsTraded: number;
  marketsExported: number;
  /** Traded markets whose base asset leaves no trace in balances or transfers (found only via their quote, or a full scan). */
  hiddenMarkets: number;
  /** Traded markets the export did not find (they need a full scan). */
  missedMarkets: string[];
  /** myTrades requests that returned nothing: candidate markets never traded, or a market's end at an exact multiple of 1000. */
  emptyMyTrades: number;
  /** Markets the export asked myTrades about. */
  candidates: number;
}

export async function benchExportAtWeightLimit(options: WeightLimitOptions): Promise<WeightLimitResult> {
  const { limit, windowMs } = options;
  const database = await benchDatabase("limit");
  const sim = await startSimThread({ seed: 2, binance: { weightLimitPerMinute: limit, windowMs } });
  try {
    const { client } = database;
    const userId = await benchUser(client);
    const key = await sim.createKey({ exchange: "binance", label: "bench", permissions: READ_ONLY, trades: { count: options.trades, markets: options.markets, seed: 21 } });
    const bindingId = await benchBinding(client, userId, key);
    const job = await client.exportJob.create({ data: { userId, bindingId, fullScan: false }, select: { id: true } });

    // The pacer production uses (createPacer is what sharedPacer makes per exchange and origin).
    const inner: SignalAwarePacer = limit === 6000 && windowMs === 60_000 ? createPacer("weight") : new WeightPacer({ limit, windowMs });
    const { pacer, maxPerWindow: weightPerWindow } = recordingUsedWeight(inner, windowMs);

    const commits: Array<{ at: number; trades: number }> = [];
    let emptyMyTrades = 0;
    const visited = new Set<string>();
    // Start on a window boundary: the first window is then a whole one.
    const start = Math.ceil(Date.now() / windowMs) * windowMs;
    await new Promise((resolve) => setTimeout(resolve, start - Date.now()));
    const t0 = Date.now();
    const result = await runExport(client, job.id, {
      env: { EXCHANGE_ORIGIN_BINANCE: sim.origin, EXCHANGE_TIMEOUT_MS: "10000" },
      pacer,
      onPage: ({ phase, page }) => {
        if (phase === "fetched") {
          if (page.trades.length === 0) emptyMyTrades++;
          if (page.market) visited.add(page.market);
        }
        if (phase === "committed") commits.push({ at: Date.now(), trades: page.trades.length });
      },
    });
    const end = Date.now();
    if (result.status !== "SUCCEEDED") throw new Error(`(b) the export ended ${result.status}: ${result.error ?? ""}`);

    const stats = await sim.stats();
    const truth = await sim.tradesPerMarket("binance", key.apiKey);
    const { hidden } = await sim.markets("binance", key.apiKey);
    const stored = await client.tradeRecord.groupBy({ by: ["market"], where: { bindingId }, _count: { _all: true } });
    const storedByMarket = new Map(stored.map((row) => [row.market, row._count._all]));
    for (const [market, count] of storedByMarket) {
      if (truth[market] !== count) throw new Error(`(b) ${market}: ${count} trades stored, the exchange has ${truth[market] ?? 0}`);
    }
    const exportedTrades = [...storedByMarket.values()].reduce((sum, n) => sum + n, 0);

    // The fewest requests any client needs for the markets this export found: one myTrades
    // per 1000 trades of each, plus what finding them takes (exchangeInfo, account, and
    // deposits and withdrawals in 90-day windows back to `since`, one page each here).
    const since = BINANCE_DEFAULT_SINCE.getTime();
    let transferWindows = 0;
    for (let from = since; from < t0; from += BINANCE_HISTORY_WINDOW_MS) transferWindows++;
    const myTradesMinimum = [...storedByMarket.values()].reduce((sum, n) => sum + Math.ceil(n / BINANCE_TRADES_LIMIT), 0);
    const fixed = 1 + 1 + 2 * transferWindows;
    const requests = Object.values(stats.byPath).reduce((sum, n) => sum + n, 0);

    const wholeWindows = Math.floor((end - t0) / windowMs);
    const measuredUntil = t0 + Math.max(1, wholeWindows) * windowMs;
    const tradesInWholeWindows = commits.filter((c) => c.at < measuredUntil).reduce((sum, c) => sum + c.trades, 0);
    const seconds = wholeWindows > 0 ? (wholeWindows * windowMs) / 1000 : (end - t0) / 1000;
    const boundPerSecond = ((limit / SIM_WEIGHT.myTrades) * BINANCE_TRADES_LIMIT) / (windowMs / 1000);
    const rateInWholeWindows = tradesInWholeWindows / seconds;

    return {
      ...options,
      exportedTrades,
      elapsedSeconds: (end - t0) / 1000,
      boundPerSecond,
      wholeWindows,
      tradesInWholeWindows,
      rateInWholeWindows,
      fraction: rateInWholeWindows / boundPerSecond,
      overallRate: exportedTrades / ((end - t0) / 1000),
      weightPerWindow: [...weightPerWindow.entries()].sort(([a], [b]) => a - b).map(([, used]) => used),
      rateLimited429: stats.binance.rateLimited429,
      banned418: stats.binance.banned418,
      requests,
      byPath: stats.byPath,
      minimum: { myTrades: myTradesMinimum, fixed, total: myTradesMinimum + fixed },
      ratio: requests / (myTradesMinimum + fixed),
      marketsTraded: Object.keys(truth).length,
      marketsExported: storedByMarket.size,
      hiddenMarkets: hidden.length,
      missedMarkets: Object.keys(truth).filter((m) => !storedByMarket.has(m)),
      emptyMyTrades,
      candidates: visited.size,
    };
  } finally {
    await sim.close();
    await database.close();
  }
}
