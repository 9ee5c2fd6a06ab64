import type { ExportCursor, TradePage } from "@/lib/exchanges/types";

// What the progress bar shows while an export runs: how far along it is (0..1), markets done
// out of markets to visit (Binance exports market by market), trades per second and the time
// left. Estimates from the adapter's cursor, without asking the exchange anything more:
// - Binance: markets done / markets to visit (the cursor lists the markets still to visit).
// - Bybit: how far the 7-day windows have walked from where this run began to its end.
// - OKX: how far back (towards the previous sync, or 3 months) the newest-first pages reached.
// - others: unknown (null): the UI shows an indeterminate bar.
// A resumed job continues from the progress it had stored, so the bar never jumps back.

export interface ProgressSnapshot {
  progress: number | null;
  marketsTotal: number;
  marketsDone: number;
  currentMarket: string | null;
  tradesPerSecond: number | null;
  etaSeconds: number | null;
}

export interface ProgressStart {
  exchange: string;
  /** The cursor the run starts from (null: first export of the binding). */
  cursor: ExportCursor | null;
  /** Stored on the job before this run (a resumed job keeps its figures). */
  progress: number | null;
  marketsTotal: number;
  marketsDone: number;
  /** Time the run started, ms. */
  startedAt: number;
  /** How far back the exchange's history goes for this run (OKX: last sync or 3 months), ms. */
  horizon: number;
}

const MIN_ELAPSED_FOR_RATE_MS = 500;

export class ProgressTracker {
  private readonly start: ProgressStart;
  private readonly p0: number;
  private marketsTotal: number;
  private marketsDone: number;
  private tradesThisRun = 0;
  private newestSeen: number | null = null;
  private bybitOrigin: number | null = null;

  constructor(start: ProgressStart) {
    this.start = start;
    this.p0 = start.progress ?? 0;
    this.marketsTotal = start.marketsTotal;
    this.marketsDone = start.marketsDone;
    const windowStart = (start.cursor as { windowStart?: unknown } | null)?.windowStart;
    if (start.exchange === "bybit" && typeof windowStart === "number") this.bybitOrigin = windowStart;
  }

  /** The snapshot after `page` was stored, at time `now`. */
  update(page: TradePage, now: number): ProgressSnapshot {
    this.tradesThisRun += page.trades.length;
    const estimated = this.fractionOfRun(page);
    const fraction = page.done ? 1 : estimated;
    const progress = fraction === null ? null : clamp01(this.p0 + (1 - this.p0) * fraction);
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
      marketsDone: this.marketsDone,
      currentMarket: page.market,
      tradesPerSecond,
      etaSeconds,
    };
  }

  /** Fraction of this run's work done, or null when it cannot be told. */
  private fractionOfRun(page: TradePage): number | null {
    const cursor = page.nextCursor as Record<string, unknown>;
    switch (this.start.exchange) {
      case "binance": {
        const remaining = Array.isArray(cursor.remaining) ? cursor.remaining.length : 0;
        // The first page of a run tells how many markets it will visit; a resumed job keeps
        // the total it stored.
        this.marketsTotal = Math.max(this.marketsTotal, this.marketsDone + remaining, remaining);
        this.marketsDone = Math.max(this.marketsDone, this.marketsTotal - remaining);
        if (this.marketsTotal === 0) return null;
        // progress over markets is already absolute: express it relative to this run
        const absolute = this.marketsDone / this.marketsTotal;
        return this.p0 >= 1 ? 1 : Math.max(0, (absolute - this.p0) / (1 - this.p0));
      }
      case "bybit": {
        const windowStart = typeof cursor.windowStart === "number" ? cursor.windowStart : null;
        const runEnd = typeof cursor.runEnd === "number" ? cursor.runEnd : null;
        if (windowStart === null || runEnd === null) return null;
        // a first export starts two years back (or at `since`): the first page's window start
        this.bybitOrigin ??= windowStart;
        const span = runEnd - this.bybitOrigin;
        return span > 0 ? (windowStart - this.bybitOrigin) / span : null;
      }
      case "okx": {
        const times = page.trades.map((t) => t.timestamp);
        if (times.length === 0) return null;
        this.newestSeen ??= Math.max(...times);
        const oldest = Math.min(...times);
        const span = this.newestSeen - this.start.horizon;
        return span > 0 ? (this.newestSeen - oldest) / span : null;
      }
      default:
        return null;
    }
  }
}

function clamp01(value: number): number {
  return Math.min(1, Math.max(0, value));
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
