// Binance's record shapes: exchangeInfo symbols, myTrades items, deposits and withdrawals, and
// the id scheme that makes trade and order ids increase within each symbol as on Binance.

import { AMOUNT_SCALE, type Transfer } from "../account";
import { assetName, listAssets, listMarkets, marketId, type MarketSpec } from "../catalogue";
import { pow10, rescale, toFixed, toPlain } from "../decimal";
import { hashInts } from "../hash";
import type { TradeCore, TradeHistory } from "../trades";
import type { SimTrade } from "../types";

/** Binance prints prices, quantities and commissions with 8 decimals. */
const D = 8;
const COMMISSION_RATE_UNITS = 1n; // 0.001 = 1 at scale 3
const COMMISSION_RATE_SCALE = 3;

function unit(decimals: number): string {
  return toFixed(1n, decimals, D);
}

export function exchangeInfoSymbol(m: MarketSpec): Record<string, unknown> {
  const margin = m.quote === "USDT" || m.quote === "BTC";
  return {
    symbol: marketId("binance", m),
    status: "TRADING",
    baseAsset: m.base,
    baseAssetPrecision: 8,
    quoteAsset: m.quote,
    quotePrecision: 8,
    quoteAssetPrecision: 8,
    baseCommissionPrecision: 8,
    quoteCommissionPrecision: 8,
    orderTypes: ["LIMIT", "LIMIT_MAKER", "MARKET", "STOP_LOSS", "STOP_LOSS_LIMIT", "TAKE_PROFIT", "TAKE_PROFIT_LIMIT"],
    icebergAllowed: true,
    ocoAllowed: true,
    otoAllowed: true,
    quoteOrderQtyMarketAllowed: true,
    allowTrailingStop: true,
    cancelReplaceAllowed: true,
    amendAllowed: true,
    isSpotTradingAllowed: true,
    isMarginTradingAllowed: margin,
    filters: [
      { filterType: "PRICE_FILTER", minPrice: unit(m.priceDecimals), maxPrice: "1000000.00000000", tickSize: unit(m.priceDecimals) },
      { filterType: "LOT_SIZE", minQty: unit(m.qtyDecimals), maxQty: "9000000.00000000", stepSize: unit(m.qtyDecimals) },
      { filterType: "ICEBERG_PARTS", limit: 10 },
      { filterType: "MARKET_LOT_SIZE", minQty: "0.00000000", maxQty: "100000.00000000", stepSize: "0.00000000" },
      { filterType: "TRAILING_DELTA", minTrailingAbovePercent: 10, maxTrailingAbovePercent: 2000, minTrailingBelowPercent: 10, maxTrailingBelowPercent: 2000 },
      { filterType: "PERCENT_PRICE_BY_SIDE", bidMultiplierUp: "5", bidMultiplierDown: "0.2", askMultiplierUp: "5", askMultiplierDown: "0.2", avgPriceMins: 5 },
      { filterType: "NOTIONAL", minNotional: m.quote === "BTC" ? "0.00010000" : m.quote === "ETH" ? "0.00100000" : "5.00000000", applyMinToMarket: true, maxNotional: "9000000.00000000", applyMaxToMarket: false, avgPriceMins: 5 },
      { filterType: "MAX_NUM_ORDERS", maxNumOrders: 200 },
      { filterType: "MAX_NUM_ALGO_ORDERS", maxNumAlgoOrders: 5 },
    ],
    permissions: [],
    permissionSets: [margin ? ["SPOT", "MARGIN"] : ["SPOT"]],
    defaultSelfTradePreventionMode: "EXPIRE_MAKER",
    allowedSelfTradePreventionModes: ["EXPIRE_TAKER", "EXPIRE_MAKER", "EXPIRE_BOTH", "DECREMENT"],
  };
}

export function exchangeInfo(now: number, weightLimit: number, markets: MarketSpec[] = listMarkets("binance")): Record<string, unknown> {
  return {
    timezone: "UTC",
    serverTime: now,
    rateLimits: [
      { rateLimitType: "REQUEST_WEIGHT", interval: "MINUTE", intervalNum: 1, limit: weightLimit },
      { rateLimitType: "ORDERS", interval: "SECOND", intervalNum: 10, limit: 100 },
      { rateLimitType: "ORDERS", interval: "DAY", intervalNum: 1, limit: 200000 },
      { rateLimitType: "RAW_REQUESTS", interval: "MINUTE", intervalNum: 5, limit: 61000 },
    ],
    exchangeFilters: [],
    symbols: markets.map(exchangeInfoSymbol),
  };
}

/**
 * Margin and spot trade on one order book per symbol, so their ids share one space: the margin
 * histories (generated separately) get id ranges of their own to stay unique per symbol.
 */
const PRODUCT_ID_OFFSET: Partial<Record<string, number>> = { margin: 100_000_000_000, isolated_margin: 200_000_000_000 };

/** Per-symbol id spaces: Binance trade and order ids are counters per symbol. */
function tradeIdBase(h: TradeHistory, spec: MarketSpec): number {
  return (PRODUCT_ID_OFFSET[h.product] ?? 0) + 100_000_000 * (1 + (spec.index % 40)) + (hashInts(h.seed, spec.index, 0x1d) % 10_000_000);
}
function orderIdBase(h: TradeHistory, spec: MarketSpec): number {
  return (PRODUCT_ID_OFFSET[h.product] ?? 0) + 1_000_000_000 * (2 + (spec.index % 50)) + (hashInts(h.seed, spec.index, 0x0d) % 100_000_000);
}

/** Binance trade id of global trade i: strictly increasing within its market. */
export function binanceTradeId(h: TradeHistory, market: number, i: number): number {
  const spec = h.markets[market]!;
  return tradeIdBase(h, spec) + i * 37 + (hashInts(h.seed, i, 0x5a17) % 37);
}

export function binanceOrderId(h: TradeHistory, market: number, orderPos: number): number {
  return orderIdBase(h, h.markets[market]!) + orderPos * 7 + 3;
}

/** Inverse of binanceOrderId: the order's first position, or undefined for a foreign id. */
export function orderPosOf(h: TradeHistory, market: number, orderId: number): number | undefined {
  const offset = orderId - orderIdBase(h, h.markets[market]!) - 3;
  if (offset < 0 || offset % 7 !== 0) return undefined;
  return offset / 7;
}

function commission(t: TradeCore, spec: MarketSpec): { units: bigint; scale: number; asset: string } {
  // The buyer pays in the base asset it receives, the seller in the quote asset.
  if (t.side === "buy") {
    return { units: t.qtyUnits * COMMISSION_RATE_UNITS, scale: spec.qtyDecimals + COMMISSION_RATE_SCALE, asset: spec.base };
  }
  return { units: t.quoteUnits * COMMISSION_RATE_UNITS, scale: spec.priceDecimals + spec.qtyDecimals + COMMISSION_RATE_SCALE, asset: spec.quote };
}

export function binanceTrade(h: TradeHistory, t: TradeCore): SimTrade {
  const spec = h.markets[t.market]!;
  const fee = commission(t, spec);
  const quoteScale = spec.priceDecimals + spec.qtyDecimals;
  const symbol = marketId("binance", spec);
  const id = binanceTradeId(h, t.market, t.index);
  const orderId = binanceOrderId(h, t.market, t.orderPos);
  const raw = {
    symbol,
    id,
    orderId,
    orderListId: -1,
    price: toFixed(t.priceUnits, spec.priceDecimals, D),
    qty: toFixed(t.qtyUnits, spec.qtyDecimals, D),
    quoteQty: toFixed(t.quoteUnits, quoteScale, D),
    // Binance rounds the commission to 8 decimals (integer arithmetic, half away from zero).
    commission: toFixed(fee.units, fee.scale, D),
    commissionAsset: fee.asset,
    time: t.time,
    isBuyer: t.side === "buy",
    isMaker: t.maker,
    isBestMatch: true,
  };
  return {
    exchange: "binance",
    id: String(id),
    orderId: String(orderId),
    symbol,
    base: spec.base,
    quote: spec.quote,
    side: t.side,
    takerOrMaker: t.maker ? "maker" : "taker",
    price: toPlain(t.priceUnits, spec.priceDecimals),
    amount: toPlain(t.qtyUnits, spec.qtyDecimals),
    cost: toPlain(t.quoteUnits, quoteScale),
    fee: toPlain(rescale(fee.units, fee.scale, D), D),
    feeCurrency: fee.asset,
    timestamp: t.time,
    raw,
    product: h.product,
  };
}

export function balances(holdings: Map<string, { free: bigint; locked: bigint }>, omitZero: boolean): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  for (const asset of listAssets("binance")) {
    const h = holdings.get(asset) ?? { free: 0n, locked: 0n };
    if (omitZero && h.free === 0n && h.locked === 0n) continue;
    out.push({ asset, free: toFixed(h.free, AMOUNT_SCALE, D), locked: toFixed(h.locked, AMOUNT_SCALE, D) });
  }
  return out;
}

function hex(seed: number, n: number, len: number): string {
  let s = "";
  for (let k = 0; s.length < len; k++) s += hashInts(seed, n, k, 0x4e).toString(16).padStart(8, "0");
  return s.slice(0, len);
}

export function depositRecord(seed: number, d: Transfer): Record<string, unknown> {
  return {
    id: String(4_000_000_000_000_000_000n + BigInt(hashInts(seed, d.ordinal, 0xde)) * 1000n + BigInt(d.ordinal)),
    amount: toPlain(d.amount, AMOUNT_SCALE),
    coin: d.asset,
    network: d.network,
    status: 1,
    address: d.address,
    addressTag: "",
    txId: d.txId,
    insertTime: d.time,
    completeTime: d.time + 600_000,
    transferType: 0,
    confirmTimes: "12/12",
    unlockConfirm: 0,
    walletType: 0,
  };
}

/** "2024-03-01 12:34:56": Binance's withdrawal times are UTC strings, not epochs. */
function utcString(ms: number): string {
  return new Date(ms).toISOString().replace("T", " ").slice(0, 19);
}

export function withdrawalRecord(seed: number, w: Transfer): Record<string, unknown> {
  return {
    id: hex(seed, w.ordinal, 32),
    amount: toPlain(w.amount, AMOUNT_SCALE),
    transactionFee: toPlain(w.fee, AMOUNT_SCALE),
    coin: w.asset,
    status: 6,
    address: w.address,
    txId: w.txId,
    applyTime: utcString(w.time),
    network: w.network,
    transferType: 0,
    info: "",
    confirmNo: 12,
    walletType: 0,
    txKey: "",
    completeTime: utcString(w.time + 900_000),
  };
}

export function capitalConfig(asset: string): Record<string, unknown> {
  const network = {
    addressRegex: "^(0x)[0-9A-Fa-f]{40}$",
    coin: asset,
    depositDesc: "",
    depositEnable: true,
    isDefault: true,
    memoRegex: "",
    minConfirm: 12,
    name: assetName(asset),
    network: asset === "BTC" ? "BTC" : "BSC",
    specialTips: "",
    unLockConfirm: 0,
    withdrawDesc: "",
    withdrawEnable: true,
    withdrawFee: toPlain(pow10(AMOUNT_SCALE - 4), AMOUNT_SCALE),
    withdrawIntegerMultiple: "0.00000001",
    withdrawMax: "9999999999.99999999",
    withdrawMin: "0.001",
    sameAddress: false,
    estimatedArrivalTime: 5,
    busy: false,
  };
  return {
    coin: asset,
    depositAllEnable: true,
    free: "0",
    freeze: "0",
    ipoable: "0",
    ipoing: "0",
    isLegalMoney: false,
    locked: "0",
    name: assetName(asset),
    networkList: [network],
    storage: "0",
    trading: true,
    withdrawAllEnable: true,
    withdrawing: "0",
  };
}
