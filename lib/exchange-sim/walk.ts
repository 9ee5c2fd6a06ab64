// Walking a stretch of a history in order without a lookup per trade: each market's position is
// carried forward, so materialising N trades costs N core() calls and nothing more.

import type { TradeCore, TradeHistory } from "./trades";

export function walkTrades(h: TradeHistory, from: number, to: number, visit: (t: TradeCore) => void): void {
  const end = Math.min(h.count, to);
  if (from >= end) return;
  const pos = h.markets.map((_, m) => (from === 0 ? 0 : h.posAtOrAfter(m, h.time(from))));
  for (let i = from; i < end; i++) {
    const m = h.marketOf(i);
    visit(h.core(i, m, pos[m]!));
    pos[m]! += 1;
  }
}
