import type { HistoryPage } from "@/lib/exchanges/types";

// What the progress bar shows while an export runs: how far along it is (0..1), parts done out
// of parts to visit, trades per second and the time left. How far along comes from the adapter
// (HistoryPage.progress: markets visited, or how much of the time span its windows have read),
// so nothing here knows an exchange; without it the UI shows an indeterminate bar. A resumed
// job continues from the progress it had stored, so the bar never jumps back.

export interface ProgressSnapshot {
  progress: number | null;
  marketsTotal: number;
  marketsDone: number;
  currentMarket: string | null;
  tradesPerSecond: number | null;
  etaSeconds: number | null;
}

export interface ProgressStart {
  /** Stored on the job before this run (a resumed job keeps its figures). */
  progress: number | null;
  marketsTotal: number;
  marketsDone: number;
  /** Time the run started, ms. */
  startedAt: number;
}

const MIN_ELAPSED_FOR_RATE_MS = 500;

export class ProgressTracker {
  private readonly start: ProgressStart;
  private readonly p0: number;
  private progress: number | null;
  private marketsTotal: number;
  private marketsDone: number;
  private tradesThisRun = 0;

  constructor(start: ProgressStart) {
    this.start = start;
    this.p0 = start.progress ?? 0;
    this.progress = start.progress;
    this.marketsTotal = start.marketsTotal;
    this.marketsDone = start.marketsDone;
  }

  /** The snapshot after `page` was stored, at time `now`. */
  update(page: HistoryPage, now: number): ProgressSnapshot {
    this.tradesThisRun += page.trades.length;
    const reported = page.progress;
    if (reported?.unit === "parts") {
      this.marketsTotal = Math.max(this.marketsTotal, reported.total);
      this.marketsDone = Math.min(this.marketsTotal, Math.max(this.marketsDone, reported.done));
    }
    const fraction = page.done ? 1 : reported && reported.total > 0 ? clamp01(reported.done / reported.total) : null;
    if (fraction !== null) this.progress = Math.max(this.progress ?? 0, fraction);
    const progress = page.done ? 1 : fraction === null ? null : this.progress;
    const elapsed = now - this.start.startedAt;
    const tradesPerSecond = elapsed >= MIN_ELAPSED_FOR_RATE_MS ? round2((this.tradesThisRun * 1000) / elapsed) : null;
    let etaSeconds: number | null = null;
    if (progress !== null && elapsed >= MIN_ELAPSED_FOR_RATE_MS) {
      const gained = progress - this.p0;
      etaSeconds = progress >= 1 ? 0 : gained > 0 ? Math.ceil(((1 - progress) * elapsed) / gained / 1000) : null;
    }
    return {
      progress,
      marketsTotal: this.marketsTotal,
      marketsDone: page.done ? this.marketsTotal : this.marketsDone,
      currentMarket: reported?.current ?? page.market,
      tradesPerSecond,
      etaSeconds,
    };
  }
}

function clamp01(value: number): number {
  return Math.min(1, Math.max(0, value));
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
