// Binance's IP request-weight limit: a fixed window (one minute, configurable for tests) per IP.
// Over the limit the answer is 429 with Retry-After; a client that keeps sending before the
// Retry-After time is banned with 418, for longer on each repeat offence (Binance: 2 minutes to
// 3 days). X-MBX-USED-WEIGHT-1M reports the window's total on every answer.

export interface WeightVerdict {
  kind: "ok" | "limited" | "banned";
  used: number;
  /** Seconds, for the Retry-After header (limited/banned only). */
  retryAfter: number;
  /** Ban end, ms (banned only). */
  bannedUntil: number;
}

interface IpState {
  windowStart: number;
  used: number;
  /** After a 429: the time before which any further request earns a ban. */
  limitedUntil: number;
  bannedUntil: number;
  bans: number;
}

const MAX_BAN_MS = 3 * 86_400_000;
/** Windows whose peak is kept (windowPeaks). */
const PEAK_WINDOWS = 240;

export class WeightLimiter {
  private readonly ips = new Map<string, IpState>();
  rateLimited429 = 0;
  banned418 = 0;
  /** Window start (ms) -> the highest weight one IP had used in it, refused requests included: what tests check pacers against. */
  private readonly peaks = new Map<number, number>();

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  private state(ip: string, now: number): IpState {
    const windowStart = Math.floor(now / this.windowMs) * this.windowMs;
    let s = this.ips.get(ip);
    if (!s) {
      s = { windowStart, used: 0, limitedUntil: 0, bannedUntil: 0, bans: 0 };
      this.ips.set(ip, s);
    } else if (s.windowStart !== windowStart) {
      s.windowStart = windowStart;
      s.used = 0;
    }
    return s;
  }

  charge(ip: string, weight: number, now: number): WeightVerdict {
    const s = this.state(ip, now);
    const seconds = (until: number) => Math.max(1, Math.ceil((until - now) / 1000));
    if (s.bannedUntil > now) {
      this.banned418++;
      return { kind: "banned", used: s.used, retryAfter: seconds(s.bannedUntil), bannedUntil: s.bannedUntil };
    }
    if (s.limitedUntil > now) {
      // Kept sending after a 429 before Retry-After: ban, doubling with each offence.
      s.bans++;
      s.bannedUntil = now + Math.min(MAX_BAN_MS, 2 * this.windowMs * 2 ** (s.bans - 1));
      s.limitedUntil = 0;
      this.banned418++;
      return { kind: "banned", used: s.used, retryAfter: seconds(s.bannedUntil), bannedUntil: s.bannedUntil };
    }
    s.used += weight;
    this.peaks.set(s.windowStart, Math.max(this.peaks.get(s.windowStart) ?? 0, s.used));
    if (this.peaks.size > PEAK_WINDOWS) this.peaks.delete(this.peaks.keys().next().value!);
    if (s.used > this.limit) {
      s.limitedUntil = s.windowStart + this.windowMs;
      this.rateLimited429++;
      return { kind: "limited", used: s.used, retryAfter: seconds(s.limitedUntil), bannedUntil: 0 };
    }
    return { kind: "ok", used: s.used, retryAfter: 0, bannedUntil: 0 };
  }

  /** Weight used in the current window by all IPs. */
  usedWeight(now: number): number {
    let total = 0;
    for (const ip of this.ips.keys()) total += this.state(ip, now).used;
    return total;
  }

  /** The recent windows' peaks, by window start (ms), oldest first. */
  windowPeaks(): Record<string, number> {
    return Object.fromEntries([...this.peaks].map(([start, used]) => [String(start), used]));
  }

  /** Forget used weight, pending 429s and bans. */
  reset(): void {
    this.ips.clear();
  }

  resetCounters(): void {
    this.rateLimited429 = 0;
    this.banned418 = 0;
    this.peaks.clear();
  }
}
