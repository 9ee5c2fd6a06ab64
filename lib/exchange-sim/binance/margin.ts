// Binance cross and isolated margin: myTrades (one endpoint, isIsolated TRUE/FALSE), the cross
// margin account (userAssets with netAsset) and the isolated accounts (per symbol, base and
// quote netAsset), and the pair listings ccxt's loadMarkets reads.

import { assetUsdUnits, listMarkets, marketId } from "../catalogue";
import { toFixed } from "../decimal";
import { json, routeKey, type SimRequest, type SimResponse } from "../http";
import type { KeyRecord, KeyStore } from "../keys";
import { productMarkets } from "../products";
import { hasMarginAccount, isolatedSymbols, wallet } from "./accounts";
import { binanceError, missingParam } from "./errors";
import { serveTradeList } from "./my-trades";
import { binanceProductTrade, productSymbol } from "./product-records";
import { DAY, need, type Route } from "./route";

const D = 8;

function marginMissing(isolated: boolean): SimResponse {
  return isolated
    ? json(400, { code: -11001, msg: "Isolated margin account does not exist." })
    : json(400, { code: -3003, msg: "Margin account does not exist." });
}

function myTrades(req: SimRequest, key: KeyRecord, keys: KeyStore): SimResponse {
  const q = req.query;
  const symbol = q.get("symbol");
  if (!symbol) return missingParam("symbol");
  const flag = (q.get("isIsolated") ?? "FALSE").toUpperCase();
  if (flag !== "TRUE" && flag !== "FALSE") return json(400, { code: -1100, msg: "Illegal characters found in parameter 'isIsolated'; legal range is 'TRUE, FALSE'." });
  const isolated = flag === "TRUE";
  const listed = productMarkets("binance", "margin").some((m) => marketId("binance", m) === symbol);
  if (!listed || keys.isDelisted("binance", symbol)) return binanceError("invalidSymbol");
  if (!hasMarginAccount(key)) return marginMissing(false);
  const h = key.historyOf(isolated ? "isolated_margin" : "margin");
  const market = h ? h.markets.findIndex((_, m) => productSymbol(h, m) === symbol) : -1;
  return serveTradeList(req, {
    h,
    market,
    record: (hh, i, m, p) => binanceProductTrade(hh, hh.core(i, m, p)).raw,
    maxWindowMs: DAY,
    // "Otherwise the trades within 24 hours are returned" (Binance margin docs).
    defaultSpanMs: DAY,
  });
}

function btcValue(asset: string, units: bigint): bigint {
  const btc = assetUsdUnits("BTC", D);
  return btc === 0n ? 0n : (units * assetUsdUnits(asset, D)) / btc;
}

function assetLine(asset: string, v: bigint): Record<string, string> {
  const s = toFixed(v, D, D);
  return { asset, borrowed: "0.00000000", free: s, interest: "0.00000000", locked: "0.00000000", netAsset: s };
}

function crossAccount(req: SimRequest, key: KeyRecord): SimResponse {
  if (!hasMarginAccount(key)) return marginMissing(false);
  const w = wallet(key, "margin");
  const assets = [...new Set(productMarkets("binance", "margin").flatMap((m) => [m.base, m.quote]))].sort();
  let total = 0n;
  for (const [a, v] of w) total += btcValue(a, v);
  const btc = toFixed(total, D, D);
  return json(200, {
    created: true,
    borrowEnabled: key.key.permissions.marginTrade,
    marginLevel: "999.00000000",
    collateralMarginLevel: "999.00000000",
    totalAssetOfBtc: btc,
    totalLiabilityOfBtc: "0.00000000",
    totalNetAssetOfBtc: btc,
    totalCollateralValueInUSDT: "0.00000000",
    tradeEnabled: key.key.permissions.marginTrade,
    transferInEnabled: true,
    transferOutEnabled: true,
    accountType: "MARGIN_1",
    userAssets: assets.map((a) => assetLine(a, w.get(a) ?? 0n)),
  });
}

function isolatedAccount(req: SimRequest, key: KeyRecord): SimResponse {
  if (!hasMarginAccount(key)) return marginMissing(true);
  const wanted = req.query.get("symbols");
  const symbols = wanted ? wanted.split(",") : isolatedSymbols(key);
  if (wanted && symbols.length > 5) return json(400, { code: -1100, msg: "Illegal characters found in parameter 'symbols'; at most 5 symbols." });
  const bySymbol = new Map(productMarkets("binance", "isolated_margin").map((m) => [marketId("binance", m), m]));
  let total = 0n;
  const side = (asset: string, v: bigint) => {
    const s = toFixed(v, D, D);
    return { asset, borrowEnabled: true, borrowed: "0.00000000", free: s, interest: "0.00000000", locked: "0.00000000", netAsset: s, netAssetOfBtc: toFixed(btcValue(asset, v), D, D), repayEnabled: true, totalAsset: s };
  };
  const assets = [];
  for (const symbol of symbols) {
    const m = bySymbol.get(symbol);
    if (!m) return binanceError("invalidSymbol");
    const w = wallet(key, `isolated:${symbol}`);
    const base = w.get(m.base) ?? 0n;
    const quote = w.get(m.quote) ?? 0n;
    total += btcValue(m.base, base) + btcValue(m.quote, quote);
    assets.push({
      baseAsset: side(m.base, base),
      quoteAsset: side(m.quote, quote),
      symbol,
      isolatedCreated: isolatedSymbols(key).includes(symbol),
      enabled: true,
      marginLevel: "999.00000000",
      marginLevelStatus: "EXCESSIVE",
      marginRatio: "10.00000000",
      indexPrice: toFixed(m.refPriceUnits, m.priceDecimals, D),
      liquidatePrice: "0.00000000",
      liquidateRate: "0.00000000",
      tradeEnabled: true,
    });
  }
  const btc = toFixed(total, D, D);
  return json(200, { assets, totalAssetOfBtc: btc, totalLiabilityOfBtc: "0.00000000", totalNetAssetOfBtc: btc });
}

function marginPairs(keys: KeyStore, isolated: boolean): SimResponse {
  // ids are numbered before delisted pairs drop out, so a delisting renumbers nothing.
  const pairs = listMarkets("binance")
    .filter((m) => m.quote === "USDT" || m.quote === "BTC")
    .map((m, i) => ({ m, i }))
    .filter(({ m }) => !keys.isDelisted("binance", marketId("binance", m)))
    .map(({ m, i }) =>
      isolated
        ? { base: m.base, quote: m.quote, symbol: marketId("binance", m), isBuyAllowed: true, isSellAllowed: true, isMarginTrade: true }
        : { id: 351_637_150_141_315_861 + i, symbol: marketId("binance", m), base: m.base, quote: m.quote, isMarginTrade: true, isBuyAllowed: true, isSellAllowed: true },
    );
  return json(200, pairs);
}

export function marginRoutes(keys: KeyStore): Record<string, Route> {
  return {
    [routeKey("GET", "/sapi/v1/margin/myTrades")]: { weight: 10, access: "read", run: (req, key) => myTrades(req, need(key), keys) },
    [routeKey("GET", "/sapi/v1/margin/account")]: { weight: 10, access: "read", run: (req, key) => crossAccount(req, need(key)) },
    [routeKey("GET", "/sapi/v1/margin/isolated/account")]: { weight: 10, access: "read", run: (req, key) => isolatedAccount(req, need(key)) },
    [routeKey("GET", "/sapi/v1/margin/allPairs")]: { weight: 1, access: "read", run: () => marginPairs(keys, false) },
    [routeKey("GET", "/sapi/v1/margin/isolated/allPairs")]: { weight: 10, access: "read", run: () => marginPairs(keys, true) },
  };
}
