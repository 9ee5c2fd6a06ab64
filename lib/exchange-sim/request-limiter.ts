// A fixed-window request counter for the per-endpoint limits of OKX and Bybit (OKX: e.g. 10
// requests per 2 s per key on fills-history; Bybit: per-UID limits per endpoint). Off unless
// configured, so fast test clients are not throttled by accident.

export interface RequestLimit {
  /** Requests allowed per window and key (API key + endpoint, or IP + endpoint when public). */
  requestsPerWindow: number;
  windowMs: number;
}

export interface RequestVerdict {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** End of the current window, ms. */
  resetAt: number;
}

export class RequestLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(private readonly limit: RequestLimit | undefined) {}

  get enabled(): boolean {
    return this.limit !== undefined;
  }

  hit(key: string, now: number): RequestVerdict {
    if (!this.limit) return { allowed: true, limit: Number.POSITIVE_INFINITY, remaining: Number.POSITIVE_INFINITY, resetAt: now };
    const { requestsPerWindow, windowMs } = this.limit;
    const start = Math.floor(now / windowMs) * windowMs;
    let w = this.windows.get(key);
    if (!w || w.start !== start) {
      w = { start, count: 0 };
      this.windows.set(key, w);
    }
    w.count++;
    return { allowed: w.count <= requestsPerWindow, limit: requestsPerWindow, remaining: Math.max(0, requestsPerWindow - w.count), resetAt: start + windowMs };
  }

  reset(): void {
    this.windows.clear();
  }
}
