// Binance European options (/eapi): exchangeInfo listing the option symbols, userTrades and the
// options account. userTrades: `symbol` optional (without it: every symbol, by time), `fromId`
// (inclusive; needs `symbol`, else -1102), `startTime`/`endTime` (no window limit documented),
// `limit` default 100, > 1000 -1130; no cursor = the most recent `limit`. Weight 5 (userTrades),
// 3 (account), 1 (exchangeInfo), in the eapi pool. A complete account without the option
// product has no options account: -2015, as for futures.

import { json, routeKey, type SimRequest, type SimResponse } from "../http";
import type { KeyRecord } from "../keys";
import { toFixed, toPlain } from "../decimal";
import { OPTION_STRIKES, productMarkets } from "../products";
import { walkTrades } from "../walk";
import { wallet } from "./accounts";
import { binanceError, intParam, missingParam } from "./errors";
import { serveTradeList } from "./my-trades";
import { binanceProductTrade, OPTION_EXPIRY, productSymbol } from "./product-records";
import { need, type Route } from "./route";

const EXPIRY_MS = Date.UTC(2027, 11, 31, 8);

function exchangeInfo(now: number, limit: number): Record<string, unknown> {
  const markets = productMarkets("binance", "option");
  return {
    timezone: "UTC",
    serverTime: now,
    optionContracts: Object.keys(OPTION_STRIKES).map((b) => ({ baseAsset: b, quoteAsset: "USDT", underlying: `${b}USDT`, settleAsset: "USDT" })),
    optionAssets: [{ name: "USDT" }],
    optionSymbols: markets.map((m) => {
      const [, strike, kind] = m.quote.split("-");
      return {
        expiryDate: EXPIRY_MS,
        filters: [
          { filterType: "PRICE_FILTER", minPrice: toPlain(1n, m.priceDecimals), maxPrice: "100000", tickSize: toPlain(1n, m.priceDecimals) },
          { filterType: "LOT_SIZE", minQty: toPlain(1n, m.qtyDecimals), maxQty: "1000", stepSize: toPlain(1n, m.qtyDecimals) },
        ],
        symbol: `${m.base}-${OPTION_EXPIRY}-${strike}-${kind}`,
        side: kind === "C" ? "CALL" : "PUT",
        strikePrice: `${strike}.000`,
        underlying: `${m.base}USDT`,
        unit: 1,
        makerFeeRate: "0.00030000",
        takerFeeRate: "0.00030000",
        minQty: toPlain(1n, m.qtyDecimals),
        maxQty: "1000",
        initialMargin: "0.15000000",
        maintenanceMargin: "0.07500000",
        minInitialMargin: "0.10000000",
        minMaintenanceMargin: "0.05000000",
        priceScale: m.priceDecimals,
        quantityScale: m.qtyDecimals,
        quoteAsset: "USDT",
        status: "TRADING",
      };
    }),
    rateLimits: [{ rateLimitType: "REQUEST_WEIGHT", interval: "MINUTE", intervalNum: 1, limit }],
  };
}

function hasOptionsAccount(key: KeyRecord): boolean {
  return !key.complete || key.historyOf("option") !== undefined;
}

function userTrades(req: SimRequest, key: KeyRecord): SimResponse {
  if (!hasOptionsAccount(key)) return binanceError("keyIpOrPermission");
  const q = req.query;
  const symbol = q.get("symbol");
  const h = key.historyOf("option");
  const record = (i: number, m: number, p?: number) => binanceProductTrade(h!, h!.core(i, m, p)).raw;
  if (symbol) {
    const listed = productMarkets("binance", "option").some((m) => {
      const [, strike, kind] = m.quote.split("-");
      return `${m.base}-${OPTION_EXPIRY}-${strike}-${kind}` === symbol;
    });
    if (!listed) return binanceError("invalidSymbol");
    const market = h ? h.markets.findIndex((_, m) => productSymbol(h, m) === symbol) : -1;
    return serveTradeList(req, { h, market, record: (_, i, m, p) => record(i, m, p), maxWindowMs: Number.MAX_SAFE_INTEGER, rejectLargeLimit: true, defaultLimit: 100 });
  }
  if (q.get("fromId")) return missingParam("symbol");
  const limitParam = intParam(q, "limit");
  if (limitParam !== undefined && (limitParam <= 0 || limitParam > 1000)) return json(400, { code: -1130, msg: "Data sent for parameter 'limit' is not valid." });
  const limit = limitParam ?? 100;
  if (!h) return json(200, []);
  const start = intParam(q, "startTime");
  const end = Math.min(intParam(q, "endTime") ?? req.now, req.now);
  const hi = h.indexAtOrAfter(end + 1);
  const lo = start === undefined ? Math.max(0, hi - limit) : h.indexAtOrAfter(start);
  const out: Record<string, unknown>[] = [];
  walkTrades(h, lo, Math.min(hi, lo + limit), (t) => out.push(binanceProductTrade(h, t).raw));
  return json(200, out);
}

function account(req: SimRequest, key: KeyRecord): SimResponse {
  if (!hasOptionsAccount(key)) return binanceError("keyIpOrPermission");
  const usdt = toFixed(wallet(key, "option").get("USDT") ?? 0n, 8, 8);
  return json(200, {
    asset: [{ asset: "USDT", marginBalance: usdt, equity: usdt, available: usdt, locked: "0.00000000", unrealizedPNL: "0.00000000" }],
    greek: [],
    time: req.now,
    riskLevel: "NORMAL",
  });
}

export function optionRoutes(eapiLimit: number): Record<string, Route> {
  return {
    [routeKey("GET", "/eapi/v1/exchangeInfo")]: { weight: 1, access: "public", run: (req) => json(200, exchangeInfo(req.now, eapiLimit)) },
    [routeKey("GET", "/eapi/v1/userTrades")]: { weight: 5, access: "read", run: (req, key) => userTrades(req, need(key)) },
    [routeKey("GET", "/eapi/v1/account")]: { weight: 3, access: "read", run: (req, key) => account(req, need(key)) },
  };
}
