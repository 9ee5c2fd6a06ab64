import { describe, expect, it } from "vitest";
import { ProgressTracker, type ProgressStart } from "@/lib/backups/export/progress";
import type { ExportCursor, ExportProgress, HistoryPage, NormalizedTrade } from "@/lib/exchanges/types";

const trade = (timestamp: number): NormalizedTrade => ({
  id: String(timestamp),
  orderId: null,
  product: "spot",
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
  effects: {},
  raw: {},
});

const cursor = { exchange: "x", version: 1 } as ExportCursor;
const page = (progress: ExportProgress | null, trades: NormalizedTrade[] = [], done = false, market: string | null = null): HistoryPage => ({
  market,
  trades,
  nextCursor: cursor,
  done,
  progress,
});
const parts = (done: number, total: number, current: string | null = null): ExportProgress => ({ done, total, unit: "parts", current });
const time = (done: number, total: number): ExportProgress => ({ done, total, unit: "time", current: null });

const start = (over: Partial<ProgressStart>): ProgressStart => ({ progress: null, marketsTotal: 0, marketsDone: 0, startedAt: 0, ...over });

describe("ProgressTracker", () => {
  it("parts: done out of planned, rate and time left", () => {
    const tracker = new ProgressTracker(start({}));
    expect(tracker.update(page(parts(0, 4, "A"), [trade(1)], false, "A"), 100)).toMatchObject({
      marketsTotal: 4,
      marketsDone: 0,
      progress: 0,
      currentMarket: "A",
      tradesPerSecond: null,
    });
    const half = tracker.update(page(parts(2, 4, "B"), [trade(2), trade(3)], false, "B"), 2000);
    expect(half).toMatchObject({ marketsTotal: 4, marketsDone: 2, progress: 0.5, tradesPerSecond: 1.5, etaSeconds: 2 });
    const done = tracker.update(page(null, [], true, "D"), 4000);
    expect(done).toMatchObject({ marketsDone: 4, progress: 1, etaSeconds: 0 });
  });

  it("a resumed job keeps its total and never goes back", () => {
    const tracker = new ProgressTracker(start({ progress: 0.5, marketsTotal: 4, marketsDone: 2 }));
    // an adapter that restarts its measure (time read since this process began) reports less
    expect(tracker.update(page(parts(1, 4), [trade(1)]), 1000)).toMatchObject({ marketsTotal: 4, marketsDone: 2, progress: 0.5, etaSeconds: null });
    expect(tracker.update(page(parts(3, 4)), 2000)).toMatchObject({ marketsDone: 3, progress: 0.75, etaSeconds: 2 });
  });

  it("time: the share of the span read; markets are not counted", () => {
    const tracker = new ProgressTracker(start({}));
    expect(tracker.update(page(time(1000, 4000)), 1000)).toMatchObject({ progress: 0.25, marketsTotal: 0 });
    expect(tracker.update(page(time(3000, 4000)), 2000).progress).toBe(0.75);
  });

  it("unknown until done when the adapter cannot tell", () => {
    const tracker = new ProgressTracker(start({}));
    expect(tracker.update(page(null, [trade(1)]), 1000).progress).toBeNull();
    expect(tracker.update(page(null, [], true), 2000).progress).toBe(1);
  });
});
