// Views of a history's trades as sorted lists of global indices (all trades, or one market's),
// and the binary search every cursor and time window is resolved with. Ids and times increase
// with the global index, so any "first trade whose id/time >= x" is a lower bound.

import type { TradeHistory } from "./trades";

export interface TradeSlice {
  length: number;
  /** Global index of the k-th trade of the slice. */
  at(k: number): number;
  /** Market index when the slice is one market's trades (saves lookups). */
  market?: number;
}

export function allTrades(h: TradeHistory): TradeSlice {
  return { length: h.count, at: (k) => k };
}

export function marketTrades(h: TradeHistory, market: number): TradeSlice {
  const list = h.positions(market);
  return { length: list.length, at: (k) => list[k]!, market };
}

/** First k in [0, length] with pred(at(k)) true; pred must go false -> true along the slice. */
export function lowerBound(slice: TradeSlice, pred: (index: number) => boolean): number {
  let lo = 0;
  let hi = slice.length;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (pred(slice.at(mid))) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** First k whose trade time is >= t. */
export function firstAtOrAfter(h: TradeHistory, slice: TradeSlice, t: number): number {
  return lowerBound(slice, (i) => h.time(i) >= t);
}
