// KuCoin's rate limit: a weight pool per account (private endpoints) or per IP (public ones)
// that refills every 30 seconds (VIP0 spot: 4000). Every answer says where the pool stands in
// gw-ratelimit-limit / -remaining / -reset (milliseconds until it refills); a request over the
// limit gets HTTP 429, code 429000. https://www.kucoin.com/docs-new/rate-limit
// Off unless configured, like the OKX and Bybit limits, so fast tests are not throttled.

export interface KucoinLimit {
  weightPerWindow: number;
  windowMs: number;
}

export class KucoinWeightPool {
  private readonly windows = new Map<string, { start: number; used: number }>();

  constructor(private readonly limit: KucoinLimit | undefined) {}

  /** Spends `weight` for `who`; the headers to send, and whether the request may go on. */
  spend(who: string, weight: number, now: number): { allowed: boolean; headers: Record<string, string> } {
    const limit = this.limit ?? { weightPerWindow: 4000, windowMs: 30_000 };
    const start = Math.floor(now / limit.windowMs) * limit.windowMs;
    let w = this.windows.get(who);
    if (!w || w.start !== start) this.windows.set(who, (w = { start, used: 0 }));
    const allowed = !this.limit || w.used + weight <= limit.weightPerWindow;
    if (allowed) w.used += weight;
    return {
      allowed,
      headers: {
        "gw-ratelimit-limit": String(limit.weightPerWindow),
        "gw-ratelimit-remaining": String(Math.max(0, limit.weightPerWindow - w.used)),
        "gw-ratelimit-reset": String(start + limit.windowMs - now),
      },
    };
  }

  reset(): void {
    this.windows.clear();
  }
}
