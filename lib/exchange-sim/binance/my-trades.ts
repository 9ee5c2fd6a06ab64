// The paging rules Binance's trade lists share (spot myTrades, margin myTrades, futures
// userTrades): fromId inclusive, orderId, a bounded startTime/endTime window, a default when no
// cursor is given, and (futures) a retention horizon. Ids and times increase within a symbol, so
// every cursor is a binary search over that symbol's trades and a page is O(limit).

import { json, type SimRequest, type SimResponse } from "../http";
import type { TradeHistory } from "../trades";
import { binanceError, illegalParam, intParam, ParamError } from "./errors";
import { binanceOrderId, binanceTradeId, orderPosOf } from "./records";
import { timeWindow } from "./route";

export interface TradeListRules {
  /** The key's history for this product (undefined: the key never traded it). */
  h: TradeHistory | undefined;
  /** Market index of the requested symbol in h, or -1. */
  market: number;
  record(h: TradeHistory, index: number, market: number, pos: number): Record<string, unknown>;
  /** Longest startTime/endTime window. */
  maxWindowMs: number;
  /** limit > 1000: spot caps silently, futures answer -1130. */
  rejectLargeLimit?: boolean;
  /** Without fromId, orderId or time bounds: only this recent span (undefined: the most recent `limit`). */
  defaultSpanMs?: number;
  /** Nothing older than this is served (futures: 6 months). */
  retentionMs?: number;
  /** Page size without `limit` (default 500; options 100). */
  defaultLimit?: number;
}

export function serveTradeList(req: SimRequest, r: TradeListRules): SimResponse {
  const q = req.query;
  const limitParam = intParam(q, "limit");
  if (limitParam !== undefined && limitParam <= 0) throw new ParamError(illegalParam("limit", "1..1000"));
  if (limitParam !== undefined && limitParam > 1000 && r.rejectLargeLimit) {
    return json(400, { code: -1130, msg: "Data sent for parameter 'limit' is not valid." });
  }
  const limit = Math.min(limitParam ?? r.defaultLimit ?? 500, 1000);
  const fromId = intParam(q, "fromId");
  const orderId = intParam(q, "orderId");
  const startTime = intParam(q, "startTime");
  const endTime = intParam(q, "endTime");
  const timed = startTime !== undefined || endTime !== undefined;
  if (fromId !== undefined && timed) return binanceError("badCombination");
  if (orderId !== undefined && timed) return binanceError("badCombination");

  const h = r.h;
  const m = r.market;
  if (!h || m < 0) return json(200, []);
  const list = h.positions(m);
  const visible = h.posAtOrAfter(m, req.now + 1); // trades after "now" have not happened yet
  const oldest = r.retentionMs === undefined ? 0 : h.posAtOrAfter(m, req.now - r.retentionMs);
  const page = (from: number, to: number) => {
    const out: Record<string, unknown>[] = [];
    for (let p = Math.max(from, oldest); p < to && out.length < limit; p++) out.push(r.record(h, list[p]!, m, p));
    return out;
  };
  const firstWithIdAtLeast = (id: number) => {
    let lo = 0;
    let hi = visible;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (binanceTradeId(h, m, list[mid]!) >= id) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };

  if (orderId !== undefined) {
    const first = orderPosOf(h, m, orderId);
    if (first === undefined || first >= visible || h.orderStart(m, first) !== first) return json(200, []);
    if (binanceOrderId(h, m, first) !== orderId) return json(200, []);
    let last = first + 1;
    while (last < visible && h.continuesOrder(m, last)) last++;
    const from = fromId === undefined ? first : Math.max(first, firstWithIdAtLeast(fromId));
    return json(200, page(from, last));
  }
  if (fromId !== undefined) {
    // fromId is inclusive: the trade with that id comes first.
    return json(200, page(firstWithIdAtLeast(fromId), visible));
  }
  if (timed) {
    const { start, end } = timeWindow(q, req.now, r.maxWindowMs);
    if (end < start) return json(200, []);
    const from = h.posAtOrAfter(m, start);
    const to = Math.min(visible, h.posAtOrAfter(m, end + 1));
    return json(200, page(from, to));
  }
  // No cursor: the most recent `limit` trades (within the default span), oldest first.
  const floor = r.defaultSpanMs === undefined ? 0 : h.posAtOrAfter(m, req.now - r.defaultSpanMs);
  return json(200, page(Math.max(floor, visible - limit), visible));
}
