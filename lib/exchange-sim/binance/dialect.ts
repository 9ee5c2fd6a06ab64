// The Binance REST dialect: endpoint table with request weights, the weight limiter in front of
// everything, authentication for signed endpoints, and the endpoints' paging rules.

import { json, routeKey, type SimRequest, type SimResponse } from "../http";
import { isExpired, type KeyRecord, type KeyStore } from "../keys";
import { findMarket, listAssets, listMarkets, marketId } from "../catalogue";
import type { SimPermissions } from "../types";
import { authenticateBinance } from "./auth";
import { binanceError, illegalParam, intParam, missingParam, ParamError, windowTooLong } from "./errors";
import {
  balances,
  binanceTrade,
  binanceTradeId,
  capitalConfig,
  depositRecord,
  exchangeInfo,
  exchangeInfoSymbol,
  orderPosOf,
  withdrawalRecord,
} from "./records";
import type { WeightLimiter } from "./weight";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

interface Route {
  /** Request weight (IP), as Binance documents it. */
  weight: number;
  /** undefined = public; null = signed, any valid key; else the permission the key needs. */
  auth?: keyof SimPermissions | null;
  run(req: SimRequest, key: KeyRecord | undefined): SimResponse;
}

function need(key: KeyRecord | undefined): KeyRecord {
  if (!key) throw new Error("signed route without key");
  return key;
}

function emptyFuturesInfo(now: number): Record<string, unknown> {
  return { timezone: "UTC", serverTime: now, futuresType: "U_MARGINED", rateLimits: [], exchangeFilters: [], assets: [], symbols: [] };
}

/** A window [start, end] from optional bounds: missing ones default around `now` or each other. */
function window(q: URLSearchParams, now: number, maxMs: number): { start: number; end: number } {
  const start = intParam(q, "startTime");
  const end = intParam(q, "endTime");
  if (start !== undefined && end !== undefined) {
    if (end - start > maxMs) throw new ParamError(windowTooLong(maxMs / HOUR));
    return { start, end };
  }
  if (start !== undefined) return { start, end: start + maxMs };
  if (end !== undefined) return { start: end - maxMs, end };
  return { start: now - maxMs, end: now };
}

function myTrades(req: SimRequest, key: KeyRecord): SimResponse {
  const q = req.query;
  const symbol = q.get("symbol");
  if (!symbol) return missingParam("symbol");
  if (!findMarket("binance", symbol)) return binanceError("invalidSymbol");
  const limitParam = intParam(q, "limit");
  if (limitParam !== undefined && limitParam <= 0) throw new ParamError(illegalParam("limit", "1..1000"));
  // Spot caps silently at 1000 (futures reject larger limits).
  const limit = Math.min(limitParam ?? 500, 1000);
  const fromId = intParam(q, "fromId");
  const orderId = intParam(q, "orderId");
  const startTime = intParam(q, "startTime");
  const endTime = intParam(q, "endTime");
  const timed = startTime !== undefined || endTime !== undefined;
  if (fromId !== undefined && timed) return binanceError("badCombination");
  if (orderId !== undefined && timed) return binanceError("badCombination");

  const h = key.history();
  const m = h.markets.findIndex((spec) => marketId("binance", spec) === symbol);
  if (m < 0) return json(200, []);
  const list = h.positions(m);
  const visible = h.posAtOrAfter(m, req.now + 1); // trades after "now" have not happened yet
  const page = (from: number, to: number) => {
    const out: Record<string, unknown>[] = [];
    for (let p = from; p < to && out.length < limit; p++) out.push(binanceTrade(h, h.core(list[p]!, m, p)).raw);
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
    const { start, end } = window(q, req.now, DAY);
    if (end < start) return json(200, []);
    const from = h.posAtOrAfter(m, start);
    const to = Math.min(visible, h.posAtOrAfter(m, end + 1));
    return json(200, page(from, to));
  }
  // No cursor: the most recent `limit` trades, oldest first.
  return json(200, page(Math.max(0, visible - limit), visible));
}

function account(req: SimRequest, key: KeyRecord): SimResponse {
  const facts = key.account();
  const k = key.key;
  const holdings = new Map(facts.holdings.map((x) => [x.asset, x]));
  const canTrade = k.permissions.spotTrade && !isExpired(k, req.now);
  return json(200, {
    makerCommission: 10,
    takerCommission: 10,
    buyerCommission: 0,
    sellerCommission: 0,
    commissionRates: { maker: "0.00100000", taker: "0.00100000", buyer: "0.00000000", seller: "0.00000000" },
    canTrade,
    canWithdraw: k.permissions.withdraw,
    canDeposit: true,
    brokered: false,
    requireSelfTradePrevention: false,
    preventSor: false,
    updateTime: Math.min(req.now, key.tradeOptions.endTime),
    accountType: "SPOT",
    balances: balances(holdings, req.query.get("omitZeroBalances") === "true"),
    permissions: ["SPOT"],
    uid: 350_000_000 + key.ordinal,
  });
}

function apiRestrictions(req: SimRequest, key: KeyRecord): SimResponse {
  const k = key.key;
  const p = k.permissions;
  return json(200, {
    ipRestrict: k.ipWhitelist.length > 0,
    createTime: k.createdAt.getTime(),
    enableReading: p.read,
    enableSpotAndMarginTrading: p.spotTrade && !isExpired(k, req.now),
    enableWithdrawals: p.withdraw,
    enableInternalTransfer: p.transfer,
    enableMargin: p.marginTrade,
    enableFutures: p.futuresTrade,
    permitsUniversalTransfer: p.transfer,
    enableVanillaOptions: false,
    enableFixApiTrade: false,
    enableFixReadOnly: false,
    enablePortfolioMarginTrading: false,
    // Binance reports when trading authority lapses for keys that have one.
    ...(p.spotTrade && k.expiresAt ? { tradingAuthorityExpirationTime: k.expiresAt.getTime() } : {}),
  });
}

/** Deposit and withdrawal history: 90-day windows (default: the last 90 days), newest first. */
function transferHistory(req: SimRequest, key: KeyRecord, kind: "deposits" | "withdrawals"): SimResponse {
  const q = req.query;
  const { start, end } = window(q, req.now, 90 * DAY);
  const limit = Math.min(intParam(q, "limit") ?? 1000, 1000);
  const offset = intParam(q, "offset") ?? 0;
  const coin = q.get("coin");
  const facts = key.account();
  const items = facts[kind]
    .filter((t) => t.time >= start && t.time <= end && t.time <= req.now && (!coin || t.asset === coin))
    .sort((a, b) => b.time - a.time)
    .slice(offset, offset + limit);
  return json(200, items.map((t) => (kind === "deposits" ? depositRecord(key.tradeSeed, t) : withdrawalRecord(key.tradeSeed, t))));
}

function marginPairs(isolated: boolean): SimResponse {
  const pairs = listMarkets("binance")
    .filter((m) => m.quote === "USDT" || m.quote === "BTC")
    .map((m, i) =>
      isolated
        ? { base: m.base, quote: m.quote, symbol: marketId("binance", m), isBuyAllowed: true, isSellAllowed: true, isMarginTrade: true }
        : { id: 351_637_150_141_315_861 + i, symbol: marketId("binance", m), base: m.base, quote: m.quote, isMarginTrade: true, isBuyAllowed: true, isSellAllowed: true },
    );
  return json(200, pairs);
}

export class BinanceDialect {
  private readonly routes: Record<string, Route>;

  constructor(
    private readonly keys: KeyStore,
    readonly limiter: WeightLimiter,
  ) {
    const weightLimit = limiter.limit;
    this.routes = {
      [routeKey("GET", "/api/v3/ping")]: { weight: 1, run: () => json(200, {}) },
      [routeKey("GET", "/api/v3/time")]: { weight: 1, run: (req) => json(200, { serverTime: req.now }) },
      [routeKey("GET", "/api/v3/exchangeInfo")]: { weight: 20, run: (req) => this.exchangeInfo(req, weightLimit) },
      [routeKey("GET", "/sapi/v1/system/status")]: { weight: 1, run: () => json(200, { status: 0, msg: "normal" }) },
      [routeKey("GET", "/fapi/v1/exchangeInfo")]: { weight: 1, run: (req) => json(200, emptyFuturesInfo(req.now)) },
      [routeKey("GET", "/dapi/v1/exchangeInfo")]: { weight: 1, run: (req) => json(200, { ...emptyFuturesInfo(req.now), futuresType: "COIN_MARGINED" }) },
      [routeKey("GET", "/eapi/v1/exchangeInfo")]: {
        weight: 1,
        run: (req) => json(200, { timezone: "UTC", serverTime: req.now, optionContracts: [], optionAssets: [], optionSymbols: [], rateLimits: [] }),
      },
      [routeKey("GET", "/api/v3/account")]: { weight: 20, auth: "read", run: (req, key) => account(req, need(key)) },
      [routeKey("GET", "/api/v3/myTrades")]: { weight: 20, auth: "read", run: (req, key) => myTrades(req, need(key)) },
      // Any live key may read its own restrictions: that is what a revocation check relies on.
      [routeKey("GET", "/sapi/v1/account/apiRestrictions")]: { weight: 1, auth: null, run: (req, key) => apiRestrictions(req, need(key)) },
      [routeKey("GET", "/sapi/v1/capital/deposit/hisrec")]: { weight: 1, auth: "read", run: (req, key) => transferHistory(req, need(key), "deposits") },
      [routeKey("GET", "/sapi/v1/capital/withdraw/history")]: { weight: 1, auth: "read", run: (req, key) => transferHistory(req, need(key), "withdrawals") },
      [routeKey("GET", "/sapi/v1/capital/config/getall")]: { weight: 10, auth: "read", run: () => json(200, listAssets("binance").map(capitalConfig)) },
      [routeKey("GET", "/sapi/v1/margin/allPairs")]: { weight: 1, auth: "read", run: () => marginPairs(false) },
      [routeKey("GET", "/sapi/v1/margin/isolated/allPairs")]: { weight: 10, auth: "read", run: () => marginPairs(true) },
    };
  }

  private exchangeInfo(req: SimRequest, weightLimit: number): SimResponse {
    const one = req.query.get("symbol");
    const many = req.query.get("symbols");
    let ids: string[] | undefined;
    if (one) ids = [one];
    else if (many) {
      try {
        const parsed: unknown = JSON.parse(many);
        if (!Array.isArray(parsed)) throw new Error("not an array");
        ids = parsed.map(String);
      } catch {
        return missingParam("symbols");
      }
    }
    if (!ids) return json(200, exchangeInfo(req.now, weightLimit));
    const markets = ids.map((id) => findMarket("binance", id));
    if (markets.some((m) => !m)) return binanceError("invalidSymbol");
    const info = exchangeInfo(req.now, weightLimit, []);
    return json(200, { ...info, symbols: markets.map((m) => exchangeInfoSymbol(m!)) });
  }

  handle(req: SimRequest): SimResponse {
    const route = this.routes[routeKey(req.method, req.path)];
    const verdict = this.limiter.charge(req.ip, route?.weight ?? 1, req.now);
    const headers: Record<string, string> = {
      "x-mbx-used-weight": String(verdict.used),
      "x-mbx-used-weight-1m": String(verdict.used),
    };
    const withHeaders = (res: SimResponse): SimResponse => ({ ...res, headers: { ...res.headers, ...headers } });
    if (verdict.kind === "limited") {
      headers["retry-after"] = String(verdict.retryAfter);
      return withHeaders(
        json(429, {
          code: -1003,
          msg: `Too much request weight used; current limit is ${this.limiter.limit} request weight per 1 MINUTE. Please use WebSocket Streams for live updates to avoid polling the API.`,
        }),
      );
    }
    if (verdict.kind === "banned") {
      headers["retry-after"] = String(verdict.retryAfter);
      return withHeaders(
        json(418, {
          code: -1003,
          msg: `Way too much request weight used; IP banned until ${verdict.bannedUntil}. Please use WebSocket Streams for live updates to avoid bans.`,
        }),
      );
    }
    if (!route) {
      return withHeaders(json(404, { code: -1000, msg: `The exchange simulator does not implement ${req.method} ${req.path}.` }));
    }
    let key: KeyRecord | undefined;
    if (route.auth !== undefined) {
      const auth = authenticateBinance(req, this.keys, route.auth ?? undefined);
      if (!auth.ok) return withHeaders(auth.response);
      key = auth.record;
    }
    try {
      return withHeaders(route.run(req, key));
    } catch (e) {
      if (e instanceof ParamError) return withHeaders(e.response);
      throw e;
    }
  }
}
