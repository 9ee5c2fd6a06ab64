import type { PacedOutcome, PacedPriority, PacedRequest } from "../types";
import { FairQueue } from "./fair-queue";
import type { BudgetLedger } from "./ledger";
import { sleep as realSleep, type Sleep } from "./sleep";
import type { PacerStats, SignalAwarePacer } from "./types";

// Binance-style IP weight pacing. Binance counts request weight per IP in fixed one-minute
// windows (6000 by default), reports the window's total in X-MBX-USED-WEIGHT-1M on every
// answer, answers 429 with Retry-After past the limit and bans (418) a client that keeps
// sending. One pacer serves every export of a process that goes to the same exchange origin
// (lib/exchanges/pacing/shared.ts), so ccxt's per-instance limiter can stay off.
//
// How it decides:
// - It counts the weight it lets through in the current window, in-flight requests included,
//   and spends the window's budget (limit minus a small reserve) as fast as requests come:
//   bursting early in a fixed window is as safe as spreading, and finishes sooner.
// - The used-weight header is the server's truth for the IP, other processes included: with
//   nothing else in flight the count becomes exactly the header; otherwise it only goes up.
// - A new window is trusted `guardMs` after its nominal start, so a clock slightly ahead of the
//   exchange's does not spend the new budget while the exchange still counts the old window.
// - A 429 or 418 stops every request through this pacer until Retry-After has passed (never
//   "keeps sending", which is what earns a ban). A 429 also teaches it the real limit, for
//   a server configured below the default.
// - Requests run side by side only up to a window weight the server has already accepted (the
//   highest used-weight header of a successful answer). Past that level, where the real limit
//   may lie, they go one at a time: a request still in flight when a 429 comes back would
//   arrive after it, which is what earns a ban. The first window is thus found one request at
//   a time, and every later one at full speed, unless the exchange states its limit (Binance's
//   exchangeInfo lists it under rateLimits, declareLimit): then the whole budget is proven.
// - Across processes (lib/exchanges/pacing/ledger.ts): with a ledger, a request also takes its
//   weight from the budget every process shares before it goes, and waits as long as the
//   ledger says when that is spent. The local count stays as the safety net the headers feed.
// - Interactive requests (a user waits: PacedRequest.priority) go first: requests wait in a
//   line per priority (fair-queue.ts), a background request waits while interactive ones are
//   being decided about, and background work leaves `interactiveReserveFraction` of each
//   window's budget to interactive requests. Within a line, owners (exports) take turns.

export interface WeightPacerOptions {
  /** Weight allowed per window (Binance spot: 6000 per minute). */
  limit?: number;
  windowMs?: number;
  /** Share of the limit left unused, for other processes' requests in flight. Default 0.02. */
  reserveFraction?: number;
  /** Wait this long after a window's nominal start before using its budget. Default min(1000, windowMs / 50). */
  guardMs?: number;
  /** Response header with the window's used weight (lower case); null: the exchange sends none. */
  usedWeightHeader?: string | null;
  /** Wait after a ban (418) that came without Retry-After. Default two windows. */
  banFallbackMs?: number;
  /** Share of the limit that background requests leave to interactive ones. Default 0. */
  interactiveReserveFraction?: number;
  /**
   * The limit is the exchange's stated one (a request count with no used-weight header, like
   * Bybit's per-IP limit): requests go side by side up to the budget from the start.
   */
  trustLimit?: boolean;
  /** The budget every process shares, and this pool's key in it. */
  ledger?: { ledger: BudgetLedger; key: string };
  now?: () => number;
  sleep?: Sleep;
}

interface Sent {
  at: number;
  weight: number;
}

export const BINANCE_WEIGHT_LIMIT = 6000;
export const BINANCE_WEIGHT_WINDOW_MS = 60_000;

export class WeightPacer implements SignalAwarePacer {
  readonly limit: number;
  readonly windowMs: number;
  readonly guardMs: number;
  private readonly reserveFraction: number;
  private readonly header: string | null;
  private readonly banFallbackMs: number;
  private readonly interactiveReserveFraction: number;
  private readonly ledger: { ledger: BudgetLedger; key: string } | undefined;
  private readonly queue = new FairQueue();
  private ledgerFailedAt = Number.NEGATIVE_INFINITY;
  private readonly now: () => number;
  private readonly sleep: Sleep;

  /** Nominal start of the window being counted. */
  private windowStart = Number.NEGATIVE_INFINITY;
  private used = 0;
  private readonly inflight = new Map<PacedRequest, { window: number; weight: number; at: number }>();
  /** Requests sent recently (one window and a guard back), to count a new window's early sends. */
  private recent: Sent[] = [];
  private blockedUntil = 0;
  private learnedLimit: number | null = null;
  /** Highest window weight the server reported for a successful answer: it takes at least this much. */
  private proven = 0;
  /** Requests waiting for an answer before going side by side with others. */
  private waiters: Array<() => void> = [];

  readonly stats: PacerStats = { requests: 0, weight: 0, waits: 0, waitedMs: 0, rateLimited: 0, banned: 0 };

  constructor(options: WeightPacerOptions = {}) {
    this.limit = options.limit ?? BINANCE_WEIGHT_LIMIT;
    this.windowMs = options.windowMs ?? BINANCE_WEIGHT_WINDOW_MS;
    this.reserveFraction = options.reserveFraction ?? 0.02;
    this.guardMs = options.guardMs ?? Math.min(1000, Math.round(this.windowMs / 50));
    this.header = options.usedWeightHeader === undefined ? "x-mbx-used-weight-1m" : options.usedWeightHeader;
    this.banFallbackMs = options.banFallbackMs ?? 2 * this.windowMs;
    this.interactiveReserveFraction = options.interactiveReserveFraction ?? 0;
    this.ledger = options.ledger;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? realSleep;
    if (options.trustLimit) this.proven = this.budget;
  }

  /** The limit in force: the configured one, or lower if a 429 showed the server's is lower. */
  get effectiveLimit(): number {
    return this.learnedLimit ?? this.limit;
  }

  /** Weight this pacer lets through per window. */
  get budget(): number {
    const limit = this.effectiveLimit;
    return limit - Math.ceil(limit * this.reserveFraction);
  }

  /** The most a request of this priority may leave counted in a window. */
  ceilingFor(priority: PacedPriority): number {
    const budget = this.budget;
    return priority === "interactive" ? budget : budget - Math.ceil(this.effectiveLimit * this.interactiveReserveFraction);
  }

  /** Weight counted in the current window (for tests and diagnostics). */
  usedWeight(now = this.now()): number {
    this.roll(now);
    return this.used;
  }

  /** Nominal start of the window that `now` counts into, the guard taken into account. */
  windowOf(now: number): number {
    return Math.floor((now - this.guardMs) / this.windowMs) * this.windowMs;
  }

  /** When the next window's budget may be spent. */
  nextWindowAt(now: number): number {
    return this.windowOf(now) + this.windowMs + this.guardMs;
  }

  async beforeRequest(request: PacedRequest, signal?: AbortSignal): Promise<void> {
    const priority = request.priority ?? "background";
    const turn = await this.queue.enter(priority, request.owner ?? "", signal);
    try {
      await this.admit(request, priority, signal);
    } finally {
      turn.release();
    }
  }

  private async admit(request: PacedRequest, priority: PacedPriority, signal?: AbortSignal): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      if (priority === "background" && this.queue.waiting("interactive")) {
        await this.queue.idle("interactive", signal);
        continue;
      }
      const now = this.now();
      let wakeAt: number;
      if (now < this.blockedUntil) {
        wakeAt = this.blockedUntil;
      } else {
        this.roll(now);
        const ceiling = this.ceilingFor(priority);
        // A request heavier than a whole budget still goes, alone, into an empty window.
        const fits = this.used + request.weight <= ceiling || (this.used === 0 && this.inflight.size === 0);
        if (fits && this.inflight.size > 0 && this.used + request.weight > this.proven) {
          // beyond what the server has accepted: one at a time
          await this.untilAnswerOrWindow(now, signal);
          continue;
        }
        if (fits) {
          // (no await without a ledger: the check and the count stay one step)
          const retryInMs = this.ledger ? await this.takeShared(request.weight, ceiling, signal) : 0;
          if (retryInMs === 0) {
            // the answer took a while: the local state may have moved on meanwhile (what was taken stays taken)
            const after = this.now();
            if (after < this.blockedUntil || this.windowOf(after) !== this.windowStart) continue;
            this.used += request.weight;
            this.inflight.set(request, { window: this.windowStart, weight: request.weight, at: after });
            this.recent.push({ at: after, weight: request.weight });
            this.stats.requests++;
            this.stats.weight += request.weight;
            return;
          }
          wakeAt = now + retryInMs;
        } else {
          wakeAt = this.nextWindowAt(now);
        }
      }
      this.stats.waits++;
      this.stats.waitedMs += wakeAt - now;
      await this.sleep(wakeAt - now, signal);
    }
  }

  /**
   * Takes the weight from the ledger every process shares: 0 when taken (or there is no
   * ledger), else how long to wait. A ledger that fails (the database away) leaves this pacer
   * to its own count and the exchange's headers, with one log line a minute.
   */
  private async takeShared(weight: number, ceiling: number, signal?: AbortSignal): Promise<number> {
    if (!this.ledger) return 0;
    try {
      const verdict = await this.ledger.ledger.take({ key: this.ledger.key, weight, ceiling, windowMs: this.windowMs, guardMs: this.guardMs });
      return verdict.granted ? 0 : Math.max(1, verdict.retryInMs);
    } catch (error) {
      signal?.throwIfAborted();
      const now = this.now();
      if (now - this.ledgerFailedAt > 60_000) {
        this.ledgerFailedAt = now;
        console.error(`[pacing] the shared budget ledger failed (${error instanceof Error ? error.message : "unknown"}); pacing ${this.ledger.key} by this process's count alone`);
      }
      return 0;
    }
  }

  /** The exchange stated its limit: below the configured one it is the limit; either way, requests may go side by side up to the budget. */
  declareLimit(_request: PacedRequest, limit: number): void {
    if (!Number.isFinite(limit) || limit <= 0) return;
    if (limit < this.effectiveLimit) this.learnedLimit = Math.floor(limit);
    this.proven = Math.max(this.proven, this.budget);
  }

  /** Resolves once no 429 or 418 holds this pacer's requests back (see PooledPacer: endpoints another pool counts but this one bans). */
  async waitWhileBlocked(signal?: AbortSignal): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      const now = this.now();
      if (now >= this.blockedUntil) return;
      await this.sleep(this.blockedUntil - now, signal);
    }
  }

  afterResponse(request: PacedRequest, outcome: PacedOutcome): void {
    const entry = this.inflight.get(request);
    this.inflight.delete(request);
    const now = this.now();
    this.roll(now);
    const reported = this.header === null ? undefined : parseWeight(outcome.headers[this.header]);
    const waiting = this.waiters;
    this.waiters = [];
    for (const wake of waiting) wake();

    if (outcome.error?.reason === "rate_limited") {
      const banned = /ban/i.test(outcome.error.message);
      if (banned) this.stats.banned++;
      else this.stats.rateLimited++;
      const wait = outcome.error.retryAfterMs ?? (banned ? this.banFallbackMs : this.nextWindowAt(now) - now);
      this.blockedUntil = Math.max(this.blockedUntil, now + wait + this.guardMs);
      // Over the limit with `reported`, under it before this request: the limit is at least
      // reported - weight. Assume exactly that (never above what was configured).
      if (!banned && reported !== undefined && entry) {
        this.learnedLimit = Math.max(1, Math.min(this.effectiveLimit, reported - entry.weight));
        this.proven = Math.min(this.proven, this.learnedLimit);
      }
      this.used = Math.max(this.used, this.effectiveLimit);
      return;
    }

    // Whatever its window, the server took that much weight in one.
    if (reported !== undefined && !outcome.error) this.proven = Math.max(this.proven, Math.min(reported, this.effectiveLimit));
    // A header from a request of an earlier window says nothing about this one.
    if (reported === undefined || !entry || entry.window !== this.windowStart) return;
    let othersInFlight = 0;
    for (const other of this.inflight.values()) if (other.window === this.windowStart) othersInFlight += other.weight;
    const estimate = reported + othersInFlight;
    this.used = this.inflight.size === 0 ? estimate : Math.max(this.used, estimate);
  }

  /** Until an answer comes in (or, should none come, the next window), or `signal` aborts. */
  private untilAnswerOrWindow(now: number, signal?: AbortSignal): Promise<void> {
    const stop = new AbortController();
    const onAbort = () => stop.abort(signal!.reason);
    if (signal?.aborted) onAbort();
    else signal?.addEventListener("abort", onAbort, { once: true });
    const answered = new Promise<void>((resolve) => this.waiters.push(resolve));
    const windowOver = this.sleep(this.nextWindowAt(now) - now, stop.signal);
    windowOver.catch(() => undefined); // cancelled below once an answer came
    return Promise.race([answered, windowOver]).finally(() => {
      signal?.removeEventListener("abort", onAbort);
      stop.abort();
    });
  }

  private roll(now: number): void {
    const window = this.windowOf(now);
    if (window === this.windowStart) return;
    this.windowStart = window;
    // What counts into the new window: requests sent since its nominal start (during the
    // guard) and, to be safe, every older request still in flight. The headers of those older
    // requests are ignored: they may describe the previous window.
    this.recent = this.recent.filter((s) => s.at >= window);
    let used = 0;
    for (const s of this.recent) used += s.weight;
    for (const [request, entry] of this.inflight) {
      // A request older than a whole window has long timed out: its answer was lost.
      if (entry.at < window - this.windowMs) this.inflight.delete(request);
      else if (entry.at < window) used += entry.weight;
    }
    this.used = used;
  }
}

function parseWeight(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d+$/.test(value.trim())) return undefined;
  return Number(value.trim());
}
