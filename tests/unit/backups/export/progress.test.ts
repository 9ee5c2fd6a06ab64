import { describe, expect, it } from "vitest";
import { ProgressTracker, type ProgressStart } from "@/lib/backups/export/progress";
import type { ExportCursor, NormalizedTrade, TradePage } from "@/lib/exchanges/types";

const trade = (timestamp: number): NormalizedTrade => ({
  id: String(timestamp),
  orderId: null,
  market: "BTC-USDT",
  symbol: "BTC/USDT",
  side: "buy",
  timestamp,
  price: "1",
  amount: "1",
  cost: "1",
  fee: null,
  maker: null,
  exact: true,
  raw: {},
});

const page = (nextCursor: Record<string, unknown>, trades: NormalizedTrade[] = [], done = false, market: string | null = null): TradePage => ({
  market,
  trades,
  nextCursor: nextCursor as ExportCursor,
  done,
});

const start = (over: Partial<ProgressStart>): ProgressStart => ({
  exchange: "binance",
  cursor: null,
  progress: null,
  marketsTotal: 0,
  marketsDone: 0,
  startedAt: 0,
  horizon: 0,
  ...over,
});

const binance = (remaining: string[] | null) => ({ exchange: "binance", version: 1, remaining, markets: {} });

describe("ProgressTracker", () => {
  it("Binance: markets done out of markets to visit, rate and time left", () => {
    const tracker = new ProgressTracker(start({}));
    // first page: 4 markets to visit, still on the first
    expect(tracker.update(page(binance(["A", "B", "C", "D"]), [trade(1)], false, "A"), 100)).toMatchObject({
      marketsTotal: 4,
      marketsDone: 0,
      progress: 0,
      currentMarket: "A",
      tradesPerSecond: null,
    });
    const half = tracker.update(page(binance(["C", "D"]), [trade(2), trade(3)], false, "B"), 2000);
    expect(half).toMatchObject({ marketsTotal: 4, marketsDone: 2, progress: 0.5, tradesPerSecond: 1.5, etaSeconds: 2 });
    const done = tracker.update(page(binance(null), [], true, "D"), 4000);
    expect(done).toMatchObject({ marketsDone: 4, progress: 1, etaSeconds: 0 });
  });

  it("Binance: a resumed job keeps its total and never goes back", () => {
    const tracker = new ProgressTracker(start({ progress: 0.5, marketsTotal: 4, marketsDone: 2 }));
    const snapshot = tracker.update(page(binance(["C", "D"]), [trade(1)], false, "C"), 1000);
    expect(snapshot).toMatchObject({ marketsTotal: 4, marketsDone: 2, progress: 0.5, etaSeconds: null });
    expect(tracker.update(page(binance(["D"]), [], false, "C"), 2000)).toMatchObject({ marketsDone: 3, progress: 0.75, etaSeconds: 2 });
  });

  it("Bybit: how far the windows walked towards the run's end", () => {
    const tracker = new ProgressTracker(start({ exchange: "bybit", cursor: { exchange: "bybit", version: 1, windowStart: 1000, pageCursor: null, runEnd: null } as ExportCursor }));
    const cursor = (windowStart: number) => ({ exchange: "bybit", version: 1, windowStart, pageCursor: null, runEnd: 5000 });
    expect(tracker.update(page(cursor(2000)), 1000).progress).toBe(0.25);
    expect(tracker.update(page(cursor(4000)), 2000).progress).toBe(0.75);
  });

  it("OKX: how far back the newest-first pages reached, towards the horizon", () => {
    const tracker = new ProgressTracker(start({ exchange: "okx", horizon: 0 }));
    const cursor = { exchange: "okx", version: 1, after: "1", newest: "9", stopAt: null };
    expect(tracker.update(page(cursor, [trade(1000), trade(800)]), 600).progress).toBeCloseTo(0.2);
    expect(tracker.update(page(cursor, [trade(700), trade(500)]), 1200).progress).toBeCloseTo(0.5);
    // a page without trades says nothing new
    expect(tracker.update(page(cursor, []), 1300).progress).toBeNull();
  });

  it("other exchanges: unknown until done", () => {
    const tracker = new ProgressTracker(start({ exchange: "kraken" }));
    expect(tracker.update(page({ exchange: "kraken", version: 1 }, [trade(1)]), 1000).progress).toBeNull();
    expect(tracker.update(page({ exchange: "kraken", version: 1 }, [], true), 2000).progress).toBe(1);
  });
});
