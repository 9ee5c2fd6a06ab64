// The Bybit v5 REST dialect: market time and instruments, and the private user, account, asset
// and execution endpoints, with Bybit's 7-day windows and opaque page cursors.

import { permits, type PrivateRoute } from "../dialect";
import { routeKey, json, type SimRequest, type SimResponse } from "../http";
import type { KeyRecord, KeyStore } from "../keys";
import { listAssets } from "../catalogue";
import { hashInts } from "../hash";
import { allTrades, firstAtOrAfter, marketTrades, type TradeSlice } from "../paging";
import { productMarkets } from "../products";
import type { RequestLimiter } from "../request-limiter";
import { authenticateBybit } from "./auth";
import { bybitTransfers, unifiedHoldings } from "./book";
import { bybitSymbol, derivativeInstruments, PRODUCT_OF, type BybitCategory } from "./categories";
import { BYBIT_SCALE } from "./effects";
import { BybitParamError, bybitError, bybitErrors, bybitOk } from "./errors";
import { bybitProductTrade } from "./product-records";
import { coinInfo, mayDeleteItself, queryApi, spotInstruments, walletBalance } from "./records";
import { bybitDepositRecord, bybitWithdrawalRecord } from "./transfers";

const DAY = 86_400_000;
const WEEK = 7 * DAY;
const TWO_YEARS = 730 * DAY;
const CATEGORIES = new Set(["spot", "linear", "inverse", "option"]);

function intParam(q: URLSearchParams, name: string, now: number): number | undefined {
  const v = q.get(name);
  if (v === null || v === "") return undefined;
  if (!/^\d{1,16}$/.test(v)) throw new BybitParamError(bybitErrors.params(`${name} is invalid`, now));
  return Number(v);
}

/**
 * Page cursors are opaque to clients; ours carry the slice position where the next (older) page
 * ends, plus a check so a cursor from another query or key is refused. They are sent
 * URL-encoded ("123%3A456") as Bybit's are, and accepted encoded once, twice or not at all.
 */
function encodeCursor(k: number, check: number): string {
  return `${k}%3A${check}`;
}

function decodeCursor(raw: string): { k: number; check: number } | undefined {
  let s = raw;
  for (let i = 0; i < 2 && s.includes("%"); i++) {
    try {
      s = decodeURIComponent(s);
    } catch {
      return undefined;
    }
  }
  const m = /^(\d+):(\d+)$/.exec(s);
  return m ? { k: Number(m[1]), check: Number(m[2]) } : undefined;
}

/**
 * execution/list: newest first, `limit` 1..100 (default 50), a window of at most 7 days
 * (default: the last 7 days; one bound given = 7 days from/to it), nothing older than 2 years.
 */
function executions(req: SimRequest, key: KeyRecord): SimResponse {
  const q = req.query;
  const now = req.now;
  const category = q.get("category") ?? "";
  if (!CATEGORIES.has(category)) return bybitErrors.params("category is invalid", now);
  const limitRaw = q.get("limit");
  const limit = limitRaw === null || limitRaw === "" ? 50 : /^\d{1,4}$/.test(limitRaw) ? Number(limitRaw) : -1;
  if (limit < 1 || limit > 100) return bybitErrors.params("limit must be between 1 and 100", now);
  const symbol = q.get("symbol") ?? "";
  const execType = q.get("execType") ?? "";
  let start = intParam(q, "startTime", now);
  let end = intParam(q, "endTime", now);
  if (start !== undefined && end !== undefined) {
    if (end - start > WEEK) return bybitErrors.params("The time range between startTime and endTime cannot exceed 7 days", now);
    if (end < start) return bybitErrors.params("endTime must be greater than startTime", now);
  } else if (start !== undefined) {
    end = start + WEEK;
  } else if (end !== undefined) {
    start = end - WEEK;
  } else {
    end = now;
    start = now - WEEK;
  }
  const empty = bybitOk({ nextPageCursor: "", category, list: [] }, now);
  const product = PRODUCT_OF[category as BybitCategory];
  const listing = productMarkets("bybit", product);
  const listed = listing.findIndex((m) => bybitSymbol(product, m) === symbol);
  if (symbol !== "" && listed < 0) return bybitErrors.params("symbol invalid", now);
  if (execType !== "" && execType !== "Trade") return empty;

  const h = key.historyOf(product);
  if (!h) return empty;
  let slice: TradeSlice;
  if (symbol !== "") {
    const m = h.markets.findIndex((spec) => bybitSymbol(product, spec) === symbol);
    if (m < 0) return empty;
    slice = marketTrades(h, m);
  } else {
    slice = allTrades(h);
  }
  const lo = firstAtOrAfter(h, slice, Math.max(start!, now - TWO_YEARS));
  let hi = firstAtOrAfter(h, slice, Math.min(end!, now) + 1);
  // The check binds a cursor to this key and symbol (not to the window, which may move with "now").
  const check = hashInts(h.seed, symbol === "" ? 0 : (listing[listed]?.index ?? 0) + 1) % 1_000_000;
  const cursorRaw = q.get("cursor") ?? "";
  if (cursorRaw !== "") {
    const cursor = decodeCursor(cursorRaw);
    if (!cursor || cursor.check !== check) return bybitErrors.params("cursor invalid", now);
    hi = Math.min(hi, cursor.k);
  }
  if (hi <= lo) return empty;
  const from = Math.max(lo, hi - limit);
  const list: Record<string, unknown>[] = [];
  for (let k = hi - 1; k >= from; k--) list.push(bybitProductTrade(h, h.core(slice.at(k), slice.market)).raw);
  return bybitOk({ nextPageCursor: from > lo ? encodeCursor(from, check) : "", category, list }, now);
}

const MONTH = 30 * DAY;

/**
 * deposit/query-record and withdraw/query-record: a window of at most 30 days (default the last
 * 30; one bound = 30 days from/to it; longer -> 10001), newest first, `limit` 1..50 (default
 * 50), `coin`, an opaque nextPageCursor ("" on the last page).
 */
function transfers(req: SimRequest, key: KeyRecord, kind: "deposits" | "withdrawals"): SimResponse {
  const q = req.query;
  const now = req.now;
  const limitRaw = q.get("limit");
  const limit = limitRaw === null || limitRaw === "" ? 50 : /^\d{1,4}$/.test(limitRaw) ? Number(limitRaw) : -1;
  if (limit < 1 || limit > 50) return bybitErrors.params("limit must be between 1 and 50", now);
  let start = intParam(q, "startTime", now);
  let end = intParam(q, "endTime", now);
  if (start !== undefined && end !== undefined) {
    if (end - start > MONTH) return bybitErrors.params("The time range between startTime and endTime cannot exceed 30 days", now);
  } else if (start !== undefined) end = start + MONTH;
  else if (end !== undefined) start = end - MONTH;
  else [start, end] = [now - MONTH, now];
  const coin = q.get("coin");
  const rows = bybitTransfers(key)
    [kind].filter((t) => t.time >= start! && t.time <= Math.min(end!, now) && (!coin || t.asset === coin))
    .sort((a, b) => b.time - a.time);
  const check = (hashInts(key.tradeSeed, kind === "deposits" ? 1 : 2, start!, end!) % 1_000_000) >>> 0;
  let offset = 0;
  const cursorRaw = q.get("cursor") ?? "";
  if (cursorRaw !== "") {
    const cursor = decodeCursor(cursorRaw);
    if (!cursor || cursor.check !== check) return bybitErrors.params("cursor invalid", now);
    offset = cursor.k;
  }
  const page = rows.slice(offset, offset + limit).map((t) => (kind === "deposits" ? bybitDepositRecord(key.tradeSeed, t) : bybitWithdrawalRecord(key.tradeSeed, t)));
  const next = offset + limit < rows.length ? encodeCursor(offset + limit, check) : "";
  return bybitOk({ rows: page, nextPageCursor: next }, now, "success");
}

type PrivateHandler = (req: SimRequest, key: KeyRecord) => SimResponse;

export class BybitDialect {
  private readonly publicRoutes: Record<string, (req: SimRequest) => SimResponse>;
  private readonly privateRoutes: Record<string, PrivateRoute>;

  constructor(
    private readonly keys: KeyStore,
    private readonly limiter: RequestLimiter,
  ) {
    this.publicRoutes = {
      [routeKey("GET", "/v5/market/time")]: (req) =>
        bybitOk({ timeSecond: String(Math.floor(req.now / 1000)), timeNano: `${req.now}000000` }, req.now),
      [routeKey("GET", "/v5/market/instruments-info")]: (req) => {
        const category = req.query.get("category") ?? "";
        if (!CATEGORIES.has(category)) return bybitErrors.params("category is invalid", req.now);
        const symbol = req.query.get("symbol");
        const all = category === "spot" ? spotInstruments() : derivativeInstruments(category as Exclude<BybitCategory, "spot">);
        return bybitOk({ category, list: symbol ? all.filter((i) => i["symbol"] === symbol) : all }, req.now);
      },
    };
    const read = (run: PrivateHandler): PrivateRoute => ({ access: "read", run });
    this.privateRoutes = {
      // Any live key may describe itself.
      [routeKey("GET", "/v5/user/query-api")]: { access: "signed", run: (req, key) => bybitOk(queryApi(key, req.now), req.now, "") },
      // Bybit's own rule (records.ts): only a key with a transfer or withdrawal permission may delete itself.
      [routeKey("POST", "/v5/user/delete-api")]: {
        access: "signed",
        run: (req, key) => {
          if (!mayDeleteItself(key)) return bybitErrors.permission(req.now);
          this.keys.delete("bybit", key.key.apiKey);
          return bybitOk({}, req.now, "");
        },
      },
      [routeKey("GET", "/v5/account/info")]: read((req) =>
        bybitOk(
          {
            marginMode: "REGULAR_MARGIN",
            updatedTime: String(req.now),
            unifiedMarginStatus: 6,
            dcpStatus: "OFF",
            timeWindow: 10,
            smpGroup: 0,
            isMasterTrader: false,
            spotHedgingStatus: "OFF",
          },
          req.now,
        ),
      ),
      [routeKey("GET", "/v5/account/wallet-balance")]: read((req, key) => {
        const accountType = req.query.get("accountType");
        if (!accountType) return bybitErrors.params("accountType is invalid", req.now);
        if (accountType !== "UNIFIED") return bybitErrors.params("accountType only support UNIFIED", req.now);
        const coin = req.query.get("coin");
        return bybitOk(walletBalance(unifiedHoldings(key), coin ? new Set(coin.split(",")) : undefined, BYBIT_SCALE), req.now);
      }),
      [routeKey("GET", "/v5/asset/coin/query-info")]: read((req) => {
        const coin = req.query.get("coin");
        const assets = listAssets("bybit").filter((a) => !coin || a === coin);
        return bybitOk({ rows: assets.map(coinInfo) }, req.now, "success");
      }),
      [routeKey("GET", "/v5/execution/list")]: read(executions),
      [routeKey("GET", "/v5/asset/deposit/query-record")]: read((req, key) => transfers(req, key, "deposits")),
      [routeKey("GET", "/v5/asset/withdraw/query-record")]: read((req, key) => transfers(req, key, "withdrawals")),
    };
  }

  handle(req: SimRequest): SimResponse {
    const route = routeKey(req.method, req.path);
    try {
      const pub = this.publicRoutes[route];
      if (pub) return pub(req);
      const priv = this.privateRoutes[route];
      if (!priv) return json(404, { retCode: 10000, retMsg: `The exchange simulator does not implement ${req.method} ${req.path}.`, result: {}, retExtInfo: {}, time: req.now });
      const auth = authenticateBybit(req, this.keys);
      if (!auth.ok) return auth.response;
      const run = (): SimResponse => (permits(priv.access, auth.record) ? priv.run(req, auth.record) : bybitErrors.permission(req.now));
      if (!this.limiter.enabled) return run();
      // Bybit limits per UID and endpoint, and reports the budget in headers on every answer.
      const v = this.limiter.hit(`${auth.record.key.apiKey} ${req.path}`, req.now);
      const res = v.allowed ? run() : bybitError(10006, "Too many visits. Exceeded the API Rate Limit.", req.now);
      const limits = { "x-bapi-limit": String(v.limit), "x-bapi-limit-status": String(v.remaining), "x-bapi-limit-reset-timestamp": String(v.resetAt) };
      return { ...res, headers: { ...res.headers, ...limits } };
    } catch (e) {
      if (e instanceof BybitParamError) return e.response;
      throw e;
    }
  }
}
