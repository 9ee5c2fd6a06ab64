// Kraken's REST rate limit for private calls: a counter per key that every call raises (most by
// 1, the history calls TradesHistory, Ledgers and QueryLedgers by 2) and that decays with time,
// by tier: Starter 15 max and 0.33 a second, Intermediate 20 and 0.5, Pro 20 and 1. A call that
// would lift it above the maximum is refused with EAPI:Rate limit exceeded, and costs nothing.
// https://docs.kraken.com/api/docs/guides/spot-rest-ratelimits
// Off unless configured, like the other dialects' limits, so fast tests are not throttled.

export interface KrakenLimit {
  max: number;
  decayPerSecond: number;
}

export class KrakenCounter {
  private readonly counters = new Map<string, { level: number; at: number }>();

  constructor(private readonly limit: KrakenLimit | undefined) {}

  /** Raises `who`'s counter by `cost` if that stays within the limit. */
  spend(who: string, cost: number, now: number): boolean {
    if (!this.limit) return true;
    const c = this.counters.get(who) ?? { level: 0, at: now };
    const level = Math.max(0, c.level - ((now - c.at) / 1000) * this.limit.decayPerSecond);
    if (level + cost > this.limit.max) {
      this.counters.set(who, { level, at: now });
      return false;
    }
    this.counters.set(who, { level: level + cost, at: now });
    return true;
  }

  reset(): void {
    this.counters.clear();
  }
}
