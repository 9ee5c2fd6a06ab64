// Binance USDⓈ-M (/fapi) and COIN-M (/dapi): exchangeInfo, userTrades, income, balance and
// account. Trades change no balance of their own: their realized PnL and commission are income
// rows, as are funding fees, and the futures wallet is the sum of those rows (book.ts).
//
// Limits as documented: userTrades limit <= 1000 (larger: -1130), window <= 7 days (-1127),
// fromId with a time bound -1128, no cursor = the last 7 days, nothing older than 6 months
// (the USDⓈ-M rule; applied to COIN-M too). income limit <= 1000 (default 100), no bounds = the
// last 7 days; USDⓈ-M keeps only the last 3 months, COIN-M windows are at most 1 year.

import { json, routeKey, type SimRequest, type SimResponse } from "../http";
import type { KeyRecord } from "../keys";
import { toFixed, toPlain } from "../decimal";
import { inverseContractUsd, productMarkets } from "../products";
import type { MarketSpec } from "../catalogue";
import { hasFuturesAccount, wallet } from "./accounts";
import { binanceBook, type FuturesProduct } from "./book";
import { binanceError, intParam, missingParam, ParamError, windowTooLong } from "./errors";
import { serveTradeList } from "./my-trades";
import { binanceProductTrade, productSymbol } from "./product-records";
import { DAY, HOUR, need, type Route } from "./route";

const D = 8;
const MONTH = 30 * DAY;
const USDM_ASSETS = ["BNB", "BTC", "ETH", "FDUSD", "USDC", "USDT"];

function unit(decimals: number): string {
  return toPlain(1n, decimals);
}

function symbolOf(product: FuturesProduct, m: MarketSpec): string {
  return product === "coinm" ? `${m.base}USD_PERP` : `${m.base}${m.quote}`;
}

function futuresSymbol(product: FuturesProduct, m: MarketSpec): Record<string, unknown> {
  const filters = [
    { filterType: "PRICE_FILTER", minPrice: unit(m.priceDecimals), maxPrice: "1000000", tickSize: unit(m.priceDecimals) },
    { filterType: "LOT_SIZE", minQty: unit(m.qtyDecimals), maxQty: "1000000", stepSize: unit(m.qtyDecimals) },
    { filterType: "MARKET_LOT_SIZE", minQty: unit(m.qtyDecimals), maxQty: "100000", stepSize: unit(m.qtyDecimals) },
    { filterType: "MAX_NUM_ORDERS", limit: 200 },
    { filterType: "PERCENT_PRICE", multiplierUp: "1.0500", multiplierDown: "0.9500", multiplierDecimal: "4" },
  ];
  const common = {
    symbol: symbolOf(product, m),
    contractType: "PERPETUAL",
    deliveryDate: 4133404800000,
    onboardDate: m.listTime,
    baseAsset: m.base,
    marginAsset: product === "coinm" ? m.base : m.quote,
    pricePrecision: m.priceDecimals,
    quantityPrecision: m.qtyDecimals,
    baseAssetPrecision: 8,
    quotePrecision: 8,
    underlyingType: "COIN",
    underlyingSubType: [],
    triggerProtect: "0.0500",
    liquidationFee: "0.012500",
    marketTakeBound: "0.05",
    orderTypes: ["LIMIT", "MARKET", "STOP", "STOP_MARKET", "TAKE_PROFIT", "TAKE_PROFIT_MARKET", "TRAILING_STOP_MARKET"],
    timeInForce: ["GTC", "IOC", "FOK", "GTX"],
  };
  if (product === "coinm") {
    return { ...common, pair: `${m.base}USD`, quoteAsset: "USD", contractStatus: "TRADING", contractSize: inverseContractUsd(m.base), equalQtyPrecision: 4, maintMarginPercent: "2.5000", requiredMarginPercent: "5.0000", filters };
  }
  return {
    ...common,
    pair: `${m.base}${m.quote}`,
    status: "TRADING",
    quoteAsset: m.quote,
    settlePlan: 0,
    maintMarginPercent: "2.5000",
    requiredMarginPercent: "5.0000",
    filters: [...filters, { filterType: "MIN_NOTIONAL", notional: "5" }],
  };
}

function exchangeInfo(product: FuturesProduct, now: number, limit: number): Record<string, unknown> {
  return {
    timezone: "UTC",
    serverTime: now,
    futuresType: product === "coinm" ? "COIN_MARGINED" : "U_MARGINED",
    rateLimits: [
      { rateLimitType: "REQUEST_WEIGHT", interval: "MINUTE", intervalNum: 1, limit },
      { rateLimitType: "ORDERS", interval: "MINUTE", intervalNum: 1, limit: 1200 },
    ],
    exchangeFilters: [],
    assets: product === "usdm" ? USDM_ASSETS.map((asset) => ({ asset, marginAvailable: true, autoAssetExchange: "0" })) : [],
    symbols: productMarkets("binance", product).map((m) => futuresSymbol(product, m)),
  };
}

/** No futures account (or no futures permission): Binance answers -2015 on every USER_DATA call. */
function noAccount(key: KeyRecord): SimResponse | undefined {
  return hasFuturesAccount(key) ? undefined : binanceError("keyIpOrPermission");
}

function userTrades(product: FuturesProduct, req: SimRequest, key: KeyRecord): SimResponse {
  const q = req.query;
  let symbol = q.get("symbol");
  const pair = q.get("pair");
  if (!symbol && product === "coinm" && pair) symbol = `${pair}_PERP`; // one contract per pair here
  if (!symbol) return missingParam(product === "coinm" ? "symbol or pair" : "symbol");
  if (!productMarkets("binance", product).some((m) => symbolOf(product, m) === symbol)) return binanceError("invalidSymbol");
  const missing = noAccount(key);
  if (missing) return missing;
  const h = key.historyOf(product);
  const market = h ? h.markets.findIndex((_, m) => productSymbol(h, m) === symbol) : -1;
  return serveTradeList(req, {
    h,
    market,
    record: (hh, i, m, p) => binanceProductTrade(hh, hh.core(i, m, p)).raw,
    maxWindowMs: 7 * DAY,
    rejectLargeLimit: true,
    defaultSpanMs: 7 * DAY,
    retentionMs: 6 * MONTH,
  });
}

function income(product: FuturesProduct, req: SimRequest, key: KeyRecord): SimResponse {
  const missing = noAccount(key);
  if (missing) return missing;
  const q = req.query;
  const limitParam = intParam(q, "limit");
  if (limitParam !== undefined && (limitParam <= 0 || limitParam > 1000)) return json(400, { code: -1130, msg: "Data sent for parameter 'limit' is not valid." });
  const limit = limitParam ?? 100;
  const page = intParam(q, "page") ?? 1;
  if (page < 1) return json(400, { code: -1130, msg: "Data sent for parameter 'page' is not valid." });
  const startTime = intParam(q, "startTime");
  const endTime = intParam(q, "endTime");
  if (product === "coinm" && startTime !== undefined && endTime !== undefined && endTime - startTime > 365 * DAY) {
    throw new ParamError(windowTooLong((365 * DAY) / HOUR));
  }
  let start = startTime ?? (endTime === undefined ? req.now - 7 * DAY : 0);
  const end = Math.min(endTime ?? req.now, req.now);
  if (product === "usdm") start = Math.max(start, req.now - 3 * MONTH); // "only the last three months"
  const symbol = q.get("symbol");
  const type = q.get("incomeType");
  const rows = key.complete ? binanceBook(key).income[product] : [];
  const hits = rows.filter((e) => e.time >= start && e.time <= end && (!symbol || e.raw.symbol === symbol) && (!type || e.raw.incomeType === type));
  return json(200, hits.slice((page - 1) * limit, page * limit).map((e) => e.raw));
}

function assetsOf(product: FuturesProduct): string[] {
  return product === "usdm" ? USDM_ASSETS : [...new Set(productMarkets("binance", "coinm").map((m) => m.base))].sort();
}

function balance(product: FuturesProduct, req: SimRequest, key: KeyRecord): SimResponse {
  const missing = noAccount(key);
  if (missing) return missing;
  const w = wallet(key, product);
  return json(
    200,
    assetsOf(product).map((asset) => {
      const s = toFixed(w.get(asset) ?? 0n, D, D);
      return {
        accountAlias: "SgsR",
        asset,
        balance: s,
        ...(product === "coinm" ? { withdrawAvailable: s } : {}),
        crossWalletBalance: s,
        crossUnPnl: "0.00000000",
        availableBalance: s,
        ...(product === "usdm" ? { maxWithdrawAmount: s, marginAvailable: true } : {}),
        updateTime: req.now,
      };
    }),
  );
}

function account(product: FuturesProduct, req: SimRequest, key: KeyRecord): SimResponse {
  const missing = noAccount(key);
  if (missing) return missing;
  const w = wallet(key, product);
  const zero = "0.00000000";
  const assets = assetsOf(product).map((asset) => {
    const s = toFixed(w.get(asset) ?? 0n, D, D);
    return { asset, walletBalance: s, unrealizedProfit: zero, marginBalance: s, maintMargin: zero, initialMargin: zero, positionInitialMargin: zero, openOrderInitialMargin: zero, maxWithdrawAmount: s, crossWalletBalance: s, crossUnPnl: zero, availableBalance: s, ...(product === "usdm" ? { marginAvailable: true } : {}), updateTime: req.now };
  });
  const total = toFixed(w.get("USDT") ?? 0n, D, D);
  return json(200, {
    feeTier: 0,
    canTrade: key.key.permissions.futuresTrade,
    canDeposit: true,
    canWithdraw: true,
    updateTime: req.now,
    ...(product === "usdm" ? { totalWalletBalance: total, totalUnrealizedProfit: zero, totalMarginBalance: total, availableBalance: total, maxWithdrawAmount: total } : {}),
    assets,
    positions: [],
  });
}

export function futuresRoutes(fapiLimit: number, dapiLimit: number): Record<string, Route> {
  const routes: Record<string, Route> = {};
  for (const [product, prefix, limit] of [
    ["usdm", "/fapi", fapiLimit],
    ["coinm", "/dapi", dapiLimit],
  ] as const) {
    const coin = product === "coinm";
    routes[routeKey("GET", `${prefix}/v1/exchangeInfo`)] = { weight: 1, access: "public", run: (req) => json(200, exchangeInfo(product, req.now, limit)) };
    routes[routeKey("GET", `${prefix}/v1/userTrades`)] = {
      weight: coin ? (req) => (req.query.get("symbol") ? 20 : 40) : 5,
      access: "read",
      run: (req, key) => userTrades(product, req, need(key)),
    };
    routes[routeKey("GET", `${prefix}/v1/income`)] = { weight: coin ? 20 : 30, access: "read", run: (req, key) => income(product, req, need(key)) };
    const balancePaths = coin ? ["/dapi/v1/balance"] : ["/fapi/v2/balance", "/fapi/v3/balance"];
    for (const p of balancePaths) routes[routeKey("GET", p)] = { weight: coin ? 1 : 5, access: "read", run: (req, key) => balance(product, req, need(key)) };
    const accountPaths = coin ? ["/dapi/v1/account"] : ["/fapi/v2/account", "/fapi/v3/account"];
    for (const p of accountPaths) routes[routeKey("GET", p)] = { weight: 5, access: "read", run: (req, key) => account(product, req, need(key)) };
  }
  return routes;
}
