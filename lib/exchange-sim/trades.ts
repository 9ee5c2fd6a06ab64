// Lazy, deterministic trade histories. Trade i (0 = oldest) is a pure function of
// (seed, i): its market, time, side, price and quantity come from hashes, so nothing is stored
// per trade except, once a market-filtered query needs it, one Uint32Array of global indices per
// market (4 bytes a trade). Every query is a binary search plus a walk of one page.

import { hashInts, pick } from "./hash";
import type { MarketSpec } from "./catalogue";
import type { SimProduct } from "./types";

export const DAY_MS = 86_400_000;

/** Exchange-neutral facts of one trade; dialects turn them into their own records and ids. */
export interface TradeCore {
  /** Global index, 0 = oldest. */
  index: number;
  /** Index into the history's market list. */
  market: number;
  /** Position among the trades of that market, 0 = oldest. */
  pos: number;
  /** Position of the first fill of this trade's order (orders have 1 to 4 fills). */
  orderPos: number;
  time: number;
  side: "buy" | "sell";
  maker: boolean;
  /** Price in units of 10^-priceDecimals of the quote asset. */
  priceUnits: bigint;
  /** Quantity in units of 10^-qtyDecimals of the base asset. */
  qtyUnits: bigint;
  /** price * qty, exact, at priceDecimals + qtyDecimals. */
  quoteUnits: bigint;
  /** A per-trade 32-bit hash for dialects that need more variety (order grouping, ids). */
  salt: number;
}

export interface HistoryParams {
  seed: number;
  count: number;
  markets: MarketSpec[];
  startTime: number;
  endTime: number;
  /** Which product the history is (default spot): dialects shape records and ids by it. */
  product?: SimProduct;
  /**
   * Ids that must order across all of an account's products (OKX billId): derived from the
   * fill time instead of the index. Only multi-product keys use it, so older keys keep theirs.
   */
  accountWideIds?: boolean;
}

/** Price oscillates around the reference over this period (a triangle wave), plus noise. */
const PRICE_PERIOD_MS = 41 * DAY_MS;

export class TradeHistory {
  readonly seed: number;
  readonly count: number;
  readonly markets: MarketSpec[];
  readonly startTime: number;
  readonly endTime: number;
  readonly product: SimProduct;
  readonly accountWideIds: boolean;
  /** cumulative trade counts at the start of each day; length days + 1, last = count. */
  private readonly dayStart: Float64Array;
  /** cumulative market weights for the weighted market draw. */
  private readonly marketCum: Uint32Array;
  private byMarket: Uint32Array[] | undefined;

  constructor(p: HistoryParams) {
    if (!Number.isSafeInteger(p.count) || p.count < 0) throw new Error("trades.count must be a non-negative integer");
    if (p.markets.length === 0 && p.count > 0) throw new Error("trades.markets must be at least 1");
    if (!(p.endTime > p.startTime)) throw new Error("trades.endTime must be after trades.startTime");
    this.seed = p.seed >>> 0;
    this.count = p.count;
    this.markets = p.markets;
    this.startTime = p.startTime;
    this.endTime = p.endTime;
    this.product = p.product ?? "spot";
    this.accountWideIds = p.accountWideIds ?? false;

    // Activity per day: about one day in five has no trades at all and the rest vary twentyfold,
    // so a 24-hour window can be empty, full, or anything between (as real accounts are).
    const days = Math.ceil((p.endTime - p.startTime) / DAY_MS);
    const weights = new Float64Array(days);
    let total = 0;
    for (let d = 0; d < days; d++) {
      const h = hashInts(this.seed, d, 0xda7);
      const w = pick(h, 100) < 20 ? 0 : 1 + pick(hashInts(h, 1), 20);
      // a partial last day gets its share of activity, not a full day's
      const fraction = Math.min(DAY_MS, p.endTime - (p.startTime + d * DAY_MS)) / DAY_MS;
      weights[d] = w * fraction;
      // the total of the scaled weights: otherwise the last day absorbs the rest, and a last
      // day a few milliseconds long (endTime just after a day boundary) cannot hold its trades
      total += weights[d] ?? 0;
    }
    if (total === 0) {
      weights.fill(1);
      total = days;
    }
    this.dayStart = new Float64Array(days + 1);
    let cum = 0;
    for (let d = 0; d < days; d++) {
      this.dayStart[d] = Math.floor((p.count * cum) / total);
      cum += weights[d] ?? 0;
    }
    this.dayStart[days] = p.count;
    for (let d = 0; d < days; d++) {
      const n = (this.dayStart[d + 1] ?? 0) - (this.dayStart[d] ?? 0);
      if (n > this.dayLength(d)) throw new Error("trades: more than one trade per millisecond; widen the time range");
    }

    this.marketCum = new Uint32Array(p.markets.length);
    let mc = 0;
    for (let m = 0; m < p.markets.length; m++) {
      mc += 1 + pick(hashInts(this.seed, m, 0x3a7), 12);
      this.marketCum[m] = mc;
    }
  }

  private dayLength(d: number): number {
    const start = this.startTime + d * DAY_MS;
    return Math.min(DAY_MS, this.endTime - start);
  }

  /** Market of trade i. The first trades visit every market once, so each market is traded. */
  marketOf(i: number): number {
    const n = this.markets.length;
    if (i < n) return i;
    const total = this.marketCum[n - 1] ?? 1;
    const r = pick(hashInts(this.seed, i, 0x11), total);
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.marketCum[mid] ?? 0) > r) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** Time of trade i: strictly increasing in i. */
  time(i: number): number {
    // day d with dayStart[d] <= i < dayStart[d+1] (skipping empty days)
    let lo = 0;
    let hi = this.dayStart.length - 2;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.dayStart[mid] ?? 0) <= i) lo = mid;
      else hi = mid - 1;
    }
    const first = this.dayStart[lo] ?? 0;
    const n = (this.dayStart[lo + 1] ?? 0) - first;
    const slot = Math.floor(this.dayLength(lo) / n);
    const j = i - first;
    return this.startTime + lo * DAY_MS + j * slot + pick(hashInts(this.seed, i, 0x7e), slot);
  }

  /** Smallest global index whose time is >= t (count if none). */
  indexAtOrAfter(t: number): number {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      if (this.time(mid) >= t) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** Global indices of a market's trades, ascending. Built once, on first use. */
  positions(market: number): Uint32Array {
    if (!this.byMarket) {
      const counts = new Uint32Array(this.markets.length);
      for (let i = 0; i < this.count; i++) counts[this.marketOf(i)]! += 1;
      const lists = Array.from(counts, (c) => new Uint32Array(c));
      const fill = new Uint32Array(this.markets.length);
      for (let i = 0; i < this.count; i++) {
        const m = this.marketOf(i);
        lists[m]![fill[m]!++] = i;
      }
      this.byMarket = lists;
    }
    return this.byMarket[market] ?? new Uint32Array(0);
  }

  /** Position within the market of global trade i (which must belong to that market). */
  posOf(market: number, i: number): number {
    const list = this.positions(market);
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((list[mid] ?? 0) < i) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Smallest position in a market whose time is >= t (length if none). */
  posAtOrAfter(market: number, t: number): number {
    const list = this.positions(market);
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.time(list[mid] ?? 0) >= t) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** Whether the market's trade at position p is another fill of the previous trade's order. */
  continuesOrder(market: number, p: number): boolean {
    return p > 0 && p % 4 !== 0 && pick(hashInts(this.seed, market, p, 0x0de), 3) === 0;
  }

  /** Position of the first fill of the order that the trade at position p belongs to. */
  orderStart(market: number, p: number): number {
    let s = p;
    while (this.continuesOrder(market, s)) s--;
    return s;
  }

  /** Everything about trade i. Pass market/pos when known to skip the lookups. */
  core(i: number, market?: number, pos?: number): TradeCore {
    const m = market ?? this.marketOf(i);
    const spec = this.markets[m];
    if (!spec) throw new Error(`trade ${i} has no market`);
    const p = pos ?? this.posOf(m, i);
    const time = this.time(i);
    const salt = hashInts(this.seed, i, 0x5a17);
    const orderPos = this.orderStart(m, p);
    // side and liquidity role belong to the order, so all fills of one order agree
    const orderSalt = hashInts(this.seed, m, orderPos, 0x0a1);
    const h1 = hashInts(salt, 1);
    const h2 = hashInts(salt, 2);

    // Price: reference * (1 +- swing/2, a triangle wave over ~6 weeks, phase per market) * (1 +- noise).
    const phase = pick(hashInts(this.seed, m, 0x9a5e), PRICE_PERIOD_MS);
    const x = (time + phase) % PRICE_PERIOD_MS;
    const tri = Math.abs(2 * x - PRICE_PERIOD_MS); // 0 .. PERIOD
    const noise = Math.max(1, Math.floor(spec.swingPpm / 300));
    const factor =
      1_000_000 - spec.swingPpm / 2 + Math.floor((tri * spec.swingPpm) / PRICE_PERIOD_MS) + (pick(h1, 2 * noise + 1) - noise);
    let priceUnits = (spec.refPriceUnits * BigInt(factor)) / 1_000_000n;
    if (priceUnits < 1n) priceUnits = 1n;

    // Quantity: 1..40 times the minimum, times 1/2/4/8, plus a remainder so digits vary.
    const mult = BigInt((1 + pick(h2, 40)) * (1 << pick(hashInts(salt, 3), 4)));
    const qtyUnits = spec.minQtyUnits * mult + BigInt(pick(hashInts(salt, 4), Number(spec.minQtyUnits)));

    return {
      index: i,
      market: m,
      pos: p,
      orderPos,
      time,
      side: (orderSalt & 1) === 0 ? "buy" : "sell",
      maker: pick(hashInts(orderSalt, 5), 5) < 2,
      priceUnits,
      qtyUnits,
      quoteUnits: priceUnits * qtyUnits,
      salt,
    };
  }
}
