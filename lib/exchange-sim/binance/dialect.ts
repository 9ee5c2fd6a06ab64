// The Binance REST dialect: endpoint table with request weights, the weight limiter in front of
// everything, authentication for signed endpoints, and the endpoints' paging rules.

import { json, routeKey, type SimRequest, type SimResponse } from "../http";
import { isExpired, type KeyRecord, type KeyStore } from "../keys";
import { findMarket, listAssets, listMarkets, marketId } from "../catalogue";
import { hasFuturesAccount } from "./accounts";
import { authenticateBinance } from "./auth";
import { convertRoutes } from "./convert";
import { binanceError, intParam, missingParam, ParamError } from "./errors";
import { futuresRoutes } from "./futures";
import { marginRoutes } from "./margin";
import { optionRoutes } from "./options";
import { serveTradeList } from "./my-trades";
import { BinanceStatements } from "./statements";
import { BinancePools } from "./pools";
import { balances, binanceTrade, capitalConfig, depositRecord, exchangeInfo, exchangeInfoSymbol, withdrawalRecord } from "./records";
import { DAY, need, timeWindow, type Route } from "./route";

function myTrades(req: SimRequest, key: KeyRecord, keys: KeyStore): SimResponse {
  const symbol = req.query.get("symbol");
  if (!symbol) return missingParam("symbol");
  // A delisted symbol is unknown to the exchange, even to the accounts that traded it.
  if (!findMarket("binance", symbol) || keys.isDelisted("binance", symbol)) return binanceError("invalidSymbol");
  const h = key.history();
  return serveTradeList(req, {
    h,
    market: h.markets.findIndex((spec) => marketId("binance", spec) === symbol),
    record: (hh, i, m, p) => binanceTrade(hh, hh.core(i, m, p)).raw,
    maxWindowMs: DAY,
  });
}

/** The account's Binance UID (the UID weight pool is per account). */
function uidOf(key: KeyRecord): number {
  return 350_000_000 + key.ordinal;
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
    uid: uidOf(key),
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
    // Binance offers "Enable Futures" only once the account has a futures account.
    enableFutures: p.futuresTrade && hasFuturesAccount(key),
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
  const { start, end } = timeWindow(q, req.now, 90 * DAY);
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

export class BinanceDialect {
  private readonly routes: Record<string, Route>;
  private readonly statements = new BinanceStatements();

  constructor(
    private readonly keys: KeyStore,
    readonly pools: BinancePools,
  ) {
    const weightLimit = pools.limiters.spot.limit;
    this.routes = {
      [routeKey("GET", "/api/v3/ping")]: { weight: 1, run: () => json(200, {}) },
      [routeKey("GET", "/api/v3/time")]: { weight: 1, run: (req) => json(200, { serverTime: req.now }) },
      [routeKey("GET", "/api/v3/exchangeInfo")]: { weight: 20, run: (req) => this.exchangeInfo(req, weightLimit) },
      [routeKey("GET", "/sapi/v1/system/status")]: { weight: 1, run: () => json(200, { status: 0, msg: "normal" }) },
      [routeKey("GET", "/api/v3/account")]: { weight: 20, auth: "read", run: (req, key) => account(req, need(key)) },
      [routeKey("GET", "/api/v3/myTrades")]: { weight: 20, auth: "read", run: (req, key) => myTrades(req, need(key), keys) },
      // Any live key may read its own restrictions: that is what a revocation check relies on.
      [routeKey("GET", "/sapi/v1/account/apiRestrictions")]: { weight: 1, auth: null, run: (req, key) => apiRestrictions(req, need(key)) },
      [routeKey("GET", "/sapi/v1/capital/deposit/hisrec")]: { weight: 1, auth: "read", run: (req, key) => transferHistory(req, need(key), "deposits") },
      [routeKey("GET", "/sapi/v1/capital/withdraw/history")]: { weight: 1, auth: "read", run: (req, key) => transferHistory(req, need(key), "withdrawals") },
      [routeKey("GET", "/sapi/v1/capital/config/getall")]: { weight: 10, auth: "read", run: () => json(200, listAssets("binance").map(capitalConfig)) },
      ...marginRoutes(keys),
      ...futuresRoutes(pools.limiters.fapi.limit, pools.limiters.dapi.limit),
      ...convertRoutes(),
      ...optionRoutes(pools.limiters.eapi.limit),
      ...this.statements.routes(),
    };
  }

  /** Spot markets as the exchange lists them now: without the delisted ones. */
  private listed() {
    return listMarkets("binance").filter((m) => !this.keys.isDelisted("binance", marketId("binance", m)));
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
    if (!ids) return json(200, exchangeInfo(req.now, weightLimit, this.listed()));
    const markets = ids.map((id) => (this.keys.isDelisted("binance", id) ? undefined : findMarket("binance", id)));
    if (markets.some((m) => !m)) return binanceError("invalidSymbol");
    const info = exchangeInfo(req.now, weightLimit, []);
    return json(200, { ...info, symbols: markets.map((m) => exchangeInfoSymbol(m!)) });
  }

  private tooMuch(limit: number, what: string): string {
    return `Too much request weight used; current limit is ${limit} ${what} per 1 MINUTE. Please use WebSocket Streams for live updates to avoid polling the API.`;
  }

  handle(req: SimRequest): SimResponse {
    // a statement file's pre-signed link: not the API, no weight
    if (req.method === "GET" && req.path.startsWith("/binance-statements/")) {
      return this.statements.download(req) ?? { status: 404, headers: { "content-type": "application/xml" }, body: "<Error><Code>NoSuchKey</Code></Error>" };
    }
    const route = this.routes[routeKey(req.method, req.path)];
    const poolName = BinancePools.ipPoolOf(req.path);
    const limiter = this.pools.limiters[poolName];
    // A UID-weighted endpoint costs no IP weight; a banned IP is still refused first.
    const weight = !route ? 1 : route.pool === "uid" ? 0 : typeof route.weight === "function" ? route.weight(req) : route.weight;
    const verdict = limiter.charge(req.ip, weight, req.now);
    const headers: Record<string, string> = {
      "x-mbx-used-weight": String(verdict.used),
      "x-mbx-used-weight-1m": String(verdict.used),
    };
    if (req.path.startsWith("/sapi/")) headers["x-sapi-used-ip-weight-1m"] = String(verdict.used);
    const withHeaders = (res: SimResponse): SimResponse => ({ ...res, headers: { ...res.headers, ...headers } });
    if (verdict.kind === "limited") {
      headers["retry-after"] = String(verdict.retryAfter);
      return withHeaders(json(429, { code: -1003, msg: this.tooMuch(limiter.limit, "request weight") }));
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
    if (route.pool === "uid" && key) {
      const uid = this.pools.limiters.uid;
      const w = typeof route.weight === "function" ? route.weight(req) : route.weight;
      const v = uid.charge(String(uidOf(key)), w, req.now);
      headers["x-sapi-used-uid-weight-1m"] = String(v.used);
      if (v.kind !== "ok") {
        headers["retry-after"] = String(v.retryAfter);
        return withHeaders(json(429, { code: -1003, msg: this.tooMuch(uid.limit, "UID request weight") }));
      }
    }
    try {
      return withHeaders(route.run(req, key));
    } catch (e) {
      if (e instanceof ParamError) return withHeaders(e.response);
      throw e;
    }
  }
}
