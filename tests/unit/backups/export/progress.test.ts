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

describe("time left", () => {
  it("is exact for a steady run", () => {
    const tracker = new ProgressTracker(start({}));
    tracker.update(page(parts(0, 100)), 0);
    for (let done = 1; done < 100; done++) {
      expect(tracker.update(page(parts(done, 100)), done * 1000).etaSeconds).toBe(100 - done);
    }
  });

  it("does not jump when the parts differ in size: a slow part, then fast ones", () => {
    const tracker = new ProgressTracker(start({}));
    tracker.update(page(parts(0, 10)), 0);
    // the first part takes two minutes (a history read at 60 requests a minute), the others a second each
    let previous = tracker.update(page(parts(1, 10)), 120_000).etaSeconds!;
    expect(previous).toBe(1080);
    for (let done = 2; done < 10; done++) {
      const eta = tracker.update(page(parts(done, 10)), 120_000 + (done - 1) * 1000).etaSeconds!;
      // counting down by the second that passed, and moving at most a tenth toward the new estimate
      expect(Math.abs(eta - (previous - 1))).toBeLessThanOrEqual(previous / 10);
      expect(eta).toBeLessThan(previous);
      previous = eta;
    }
    expect(tracker.update(page(null, [], true), 130_000).etaSeconds).toBe(0);
  });

  it("keeps counting down while pages bring no progress", () => {
    const tracker = new ProgressTracker(start({}));
    tracker.update(page(parts(0, 4)), 0);
    expect(tracker.update(page(parts(1, 4)), 10_000).etaSeconds).toBe(30);
    const later = tracker.update(page(parts(1, 4)), 20_000).etaSeconds!;
    expect(later).toBeGreaterThan(20);
    expect(later).toBeLessThan(30);
  });
});
