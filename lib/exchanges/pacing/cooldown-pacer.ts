import type { PacedOutcome, PacedRequest } from "../types";
import { sleep as realSleep, type Sleep } from "./sleep";
import type { PacerStats, SignalAwarePacer } from "./types";

// Pacing for exchanges whose limits are per key and endpoint (OKX, Bybit) or unknown (generic
// ccxt exchanges): no budget to count, but once the exchange says "too many requests" every
// request through this pacer waits until it allows them again (Retry-After, or Bybit's
// X-Bapi-Limit-Reset-Timestamp), instead of hammering it.

export interface CooldownPacerOptions {
  /** Wait after a rate-limit answer that said nothing about when to come back. Default 1 s. */
  fallbackMs?: number;
  now?: () => number;
  sleep?: Sleep;
}

export class CooldownPacer implements SignalAwarePacer {
  private blockedUntil = 0;
  private readonly fallbackMs: number;
  private readonly now: () => number;
  private readonly sleep: Sleep;
  readonly stats: PacerStats = { requests: 0, weight: 0, waits: 0, waitedMs: 0, rateLimited: 0, banned: 0 };

  constructor(options: CooldownPacerOptions = {}) {
    this.fallbackMs = options.fallbackMs ?? 1000;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? realSleep;
  }

  async beforeRequest(request: PacedRequest, signal?: AbortSignal): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      const now = this.now();
      if (now >= this.blockedUntil) break;
      this.stats.waits++;
      this.stats.waitedMs += this.blockedUntil - now;
      await this.sleep(this.blockedUntil - now, signal);
    }
    this.stats.requests++;
    this.stats.weight += request.weight;
  }

  /** Resolves once no rate-limit answer holds this pacer's requests back. */
  async waitWhileBlocked(signal?: AbortSignal): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      const now = this.now();
      if (now >= this.blockedUntil) return;
      await this.sleep(this.blockedUntil - now, signal);
    }
  }

  afterResponse(_request: PacedRequest, outcome: PacedOutcome): void {
    const now = this.now();
    // Bybit: requests left in the current window, and when it resets (ms).
    const remaining = outcome.headers["x-bapi-limit-status"];
    const reset = Number(outcome.headers["x-bapi-limit-reset-timestamp"]);
    if (remaining !== undefined && Number(remaining) <= 0 && Number.isFinite(reset) && reset > now) {
      this.blockedUntil = Math.max(this.blockedUntil, reset);
    }
    if (outcome.error?.reason === "rate_limited") {
      this.stats.rateLimited++;
      const wait = outcome.error.retryAfterMs ?? (Number.isFinite(reset) && reset > now ? reset - now : this.fallbackMs);
      this.blockedUntil = Math.max(this.blockedUntil, now + wait);
    }
  }
}
