import type { HistoryPage } from "@/lib/exchanges/types";

// What the progress bar shows while an export runs: how far along it is (0..1), parts done out
// of parts to visit, trades per second and the time left. How far along comes from the adapter
// (HistoryPage.progress: markets visited, or how much of the time span its windows have read),
// so nothing here knows an exchange; without it the UI shows an indeterminate bar. A resumed
// job continues from the progress it had stored, so the bar never jumps back.
//
// Time left must not jump: parts differ wildly in size (a market with three trades, the convert
// history read at 60 requests a minute), so the rate since the last page says little. The
// estimate divides the work left by a blend of the whole run's rate and a recent rate (an
// exponential moving average over about a minute), and the figure shown moves toward each new
// estimate only gradually, counting down in between: a better estimate takes over within a minute
// or two instead of at once.

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
/** How fast the recent rate and a longer time left are taken up (time constant; a shorter one: a quarter of it). */
const SMOOTHING_MS = 60_000;

export class ProgressTracker {
  private readonly start: ProgressStart;
  private readonly p0: number;
  private progress: number | null;
  private marketsTotal: number;
  private marketsDone: number;
  private tradesThisRun = 0;
  /** progress per ms, recently (EMA); null before the first estimate */
  private recentRate: number | null = null;
  private last: { at: number; progress: number; eta: number | null } | null = null;

  constructor(start: ProgressStart) {
    this.start = start;
    this.p0 = start.progress ?? 0;
    this.progress = start.progress;
    this.marketsTotal = start.marketsTotal;
    this.marketsDone = start.marketsDone;
  }

  /** Milliseconds left, smoothed (see the header); null until the run has a rate. */
  private timeLeft(progress: number, now: number, elapsed: number): number | null {
    if (progress >= 1) return 0;
    const previous = this.last;
    const runRate = elapsed >= MIN_ELAPSED_FOR_RATE_MS ? (progress - this.p0) / elapsed : 0;
    if (previous && now > previous.at) {
      const weight = 1 - Math.exp(-(now - previous.at) / SMOOTHING_MS);
      const pageRate = (progress - previous.progress) / (now - previous.at);
      if (this.recentRate !== null) this.recentRate += weight * (pageRate - this.recentRate);
      else if (runRate > 0) this.recentRate = runRate;
    }
    const rate = this.recentRate === null ? runRate : (runRate + this.recentRate) / 2;
    const raw = rate > 0 ? (1 - progress) / rate : null;
    let eta = raw;
    if (raw !== null && previous?.eta != null) {
      const dt = Math.max(0, now - previous.at);
      const counted = Math.max(0, previous.eta - dt);
      // a longer estimate is taken up slowly, a shorter one faster: news of an early end is welcome
      eta = counted + (1 - Math.exp(-dt / (raw > counted ? SMOOTHING_MS : SMOOTHING_MS / 4))) * (raw - counted);
    }
    this.last = { at: now, progress, eta: eta ?? previous?.eta ?? null };
    if (raw === null && previous?.eta != null) return Math.max(0, previous.eta - (now - previous.at));
    return eta;
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
    const etaMs = progress === null ? null : this.timeLeft(progress, now, elapsed);
    // whole milliseconds first: a float a hair above a whole second must not read as one more
    const etaSeconds = etaMs === null ? null : Math.ceil(Math.round(etaMs) / 1000);
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
