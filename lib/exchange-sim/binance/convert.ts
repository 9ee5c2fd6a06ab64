// Binance convert history (sapi/v1/convert/tradeFlow) and the dust log (sapi/v1/asset/dribblet).
//
// tradeFlow: startTime and endTime are mandatory (-1102), at most 30 days apart (-1127), limit
// default 100, at most 1000; newest first, and moreData says older rows of the window were left
// out (continue with endTime = the oldest createTime - 1). Weight: UID 3000, counted per account
// in the UID pool, not the IP pool. dribblet: optional bounds, the newest 100 operations of the
// window, newest first, none before 2020-12-01; weight 1 (IP).

import { json, routeKey, type SimRequest, type SimResponse } from "../http";
import type { KeyRecord } from "../keys";
import { binanceBook } from "./book";
import { intParam, missingParam } from "./errors";
import { DAY, need, timeWindow, type Route } from "./route";

const DUST_EPOCH = Date.UTC(2020, 11, 1);

function tradeFlow(req: SimRequest, key: KeyRecord): SimResponse {
  const q = req.query;
  if (!q.get("startTime")) return missingParam("startTime");
  if (!q.get("endTime")) return missingParam("endTime");
  const { start, end } = timeWindow(q, req.now, 30 * DAY);
  const limit = Math.min(intParam(q, "limit") ?? 100, 1000);
  const rows = key.complete ? binanceBook(key).converts : [];
  const hits = rows.filter((e) => e.time >= start && e.time <= end && e.time <= req.now).reverse();
  return json(200, { list: hits.slice(0, limit).map((e) => e.raw), startTime: start, endTime: end, limit, moreData: hits.length > limit });
}

function dribblet(req: SimRequest, key: KeyRecord): SimResponse {
  const q = req.query;
  const start = Math.max(DUST_EPOCH, intParam(q, "startTime") ?? 0);
  const end = Math.min(req.now, intParam(q, "endTime") ?? req.now);
  const rows = key.complete ? binanceBook(key).dust : [];
  const hits = rows.filter((e) => e.time >= start && e.time <= end).reverse();
  return json(200, { total: hits.length, userAssetDribblets: hits.slice(0, 100).map((e) => e.raw) });
}

export function convertRoutes(): Record<string, Route> {
  return {
    [routeKey("GET", "/sapi/v1/convert/tradeFlow")]: { weight: 3000, pool: "uid", access: "read", run: (req, key) => tradeFlow(req, need(key)) },
    [routeKey("GET", "/sapi/v1/asset/dribblet")]: { weight: 1, access: "read", run: (req, key) => dribblet(req, need(key)) },
  };
}
