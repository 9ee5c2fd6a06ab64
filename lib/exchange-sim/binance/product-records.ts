// Binance's trade records beyond spot: margin myTrades items (cross and isolated), USDⓈ-M and
// COIN-M userTrades items. One dispatcher turns any product's trade into its SimTrade, so the
// ground truth and the endpoints share one definition of every record.

import { rescale, toFixed, toPlain } from "../decimal";
import { hashInts, pick } from "../hash";
import { inverseContractUsd } from "../products";
import type { TradeCore, TradeHistory } from "../trades";
import type { SimTrade } from "../types";
import { binanceOrderId, binanceTrade, binanceTradeId } from "./records";

const D = 8;

/** The one expiry of the simulated options (Binance writes it YYMMDD). */
export const OPTION_EXPIRY = "271231";

/** The exchange's symbol of a market in a product: BTCUSDT, BTCUSD_PERP (COIN-M), BTC-271231-70000-C. */
export function productSymbol(h: TradeHistory, market: number): string {
  const m = h.markets[market]!;
  if (h.product === "option") {
    const [, strike, kind] = m.quote.split("-");
    return `${m.base}-${OPTION_EXPIRY}-${strike}-${kind}`;
  }
  return h.product === "coinm" ? `${m.base}USD_PERP` : `${m.base}${m.quote}`;
}

/** European options (eapi userTrades): premium in USDT, size in the coin, fee 0.3 % of the premium. */
function optionTrade(h: TradeHistory, t: TradeCore): SimTrade {
  const spec = h.markets[t.market]!;
  const scale = spec.priceDecimals + spec.qtyDecimals;
  const fee = rescale(t.quoteUnits * 3n, scale + 3, D);
  const id = binanceTradeId(h, t.market, t.index);
  const orderId = binanceOrderId(h, t.market, t.orderPos);
  const symbol = productSymbol(h, t.market);
  const quoteAsset = spec.quote.split("-")[0]!;
  const raw = {
    id,
    tradeId: id,
    orderId,
    symbol,
    price: toFixed(t.priceUnits, spec.priceDecimals, spec.priceDecimals),
    quantity: toFixed(t.qtyUnits, spec.qtyDecimals, spec.qtyDecimals),
    fee: toFixed(fee, D, D),
    realizedProfit: "0.00000000",
    side: t.side === "buy" ? "BUY" : "SELL",
    type: "LIMIT",
    volatility: "0.5",
    liquidity: t.maker ? "MAKER" : "TAKER",
    quoteAsset,
    time: t.time,
    priceScale: spec.priceDecimals,
    quantityScale: spec.qtyDecimals,
    optionSide: spec.quote.endsWith("C") ? "CALL" : "PUT",
  };
  return {
    exchange: "binance",
    id: String(id),
    orderId: String(orderId),
    symbol,
    base: spec.base,
    quote: quoteAsset,
    side: t.side,
    takerOrMaker: t.maker ? "maker" : "taker",
    price: toPlain(t.priceUnits, spec.priceDecimals),
    amount: toPlain(t.qtyUnits, spec.qtyDecimals),
    cost: toPlain(t.quoteUnits, scale),
    fee: toPlain(fee, D),
    feeCurrency: quoteAsset,
    timestamp: t.time,
    raw,
    product: "option",
  };
}

function marginTrade(h: TradeHistory, t: TradeCore): SimTrade {
  const spot = binanceTrade(h, t);
  const r = spot.raw;
  // Margin myTrades items carry no quoteQty and no orderListId, and say which account they hit.
  const raw = {
    commission: r.commission,
    commissionAsset: r.commissionAsset,
    id: r.id,
    isBestMatch: true,
    isBuyer: r.isBuyer,
    isMaker: r.isMaker,
    orderId: r.orderId,
    price: r.price,
    qty: r.qty,
    symbol: r.symbol,
    isIsolated: h.product === "isolated_margin",
    time: r.time,
  };
  return { ...spot, raw };
}

/** Futures fee rate: 0.02 % maker, 0.04 % taker (Binance's base tier), in parts per 10000. */
function feeRate(t: TradeCore): bigint {
  return t.maker ? 2n : 4n;
}

/** Realized PnL of a fill: zero on about a third (opening fills), else within +-1 % of its value. */
function pnlUnits(t: TradeCore, valueUnits: bigint): bigint {
  if (pick(hashInts(t.salt, 0x9e1), 3) === 0) return 0n;
  return (valueUnits * BigInt(pick(hashInts(t.salt, 0x9e2), 2001) - 1000)) / 100_000n;
}

function usdmTrade(h: TradeHistory, t: TradeCore): SimTrade {
  const spec = h.markets[t.market]!;
  const quoteScale = spec.priceDecimals + spec.qtyDecimals;
  const commission = rescale(t.quoteUnits * feeRate(t), quoteScale + 4, D);
  const pnl = rescale(pnlUnits(t, t.quoteUnits), quoteScale, D);
  const id = binanceTradeId(h, t.market, t.index);
  const orderId = binanceOrderId(h, t.market, t.orderPos);
  const symbol = productSymbol(h, t.market);
  const raw = {
    buyer: t.side === "buy",
    commission: toFixed(commission, D, D),
    commissionAsset: spec.quote,
    id,
    maker: t.maker,
    orderId,
    price: toPlain(t.priceUnits, spec.priceDecimals),
    qty: toPlain(t.qtyUnits, spec.qtyDecimals),
    quoteQty: toPlain(t.quoteUnits, quoteScale),
    realizedPnl: toFixed(pnl, D, D),
    side: t.side === "buy" ? "BUY" : "SELL",
    positionSide: "BOTH",
    symbol,
    time: t.time,
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
    price: raw.price,
    amount: raw.qty,
    cost: raw.quoteQty,
    fee: toPlain(commission, D),
    feeCurrency: spec.quote,
    timestamp: t.time,
    raw,
    product: "usdm",
  };
}

function coinmTrade(h: TradeHistory, t: TradeCore): SimTrade {
  const spec = h.markets[t.market]!;
  // baseQty = contracts * contract size (USD) / price, printed with 8 decimals (half away from zero).
  const num = t.qtyUnits * BigInt(inverseContractUsd(spec.base)) * 10n ** BigInt(D + spec.priceDecimals) * 2n;
  const baseQty = (num / t.priceUnits + 1n) / 2n;
  const commission = rescale(baseQty * feeRate(t), D + 4, D);
  const pnl = pnlUnits(t, baseQty);
  const id = binanceTradeId(h, t.market, t.index);
  const orderId = binanceOrderId(h, t.market, t.orderPos);
  const symbol = productSymbol(h, t.market);
  const raw = {
    symbol,
    id,
    orderId,
    pair: `${spec.base}USD`,
    side: t.side === "buy" ? "BUY" : "SELL",
    price: toPlain(t.priceUnits, spec.priceDecimals),
    qty: toPlain(t.qtyUnits, 0),
    realizedPnl: toFixed(pnl, D, D),
    marginAsset: spec.base,
    baseQty: toFixed(baseQty, D, D),
    commission: toFixed(commission, D, D),
    commissionAsset: spec.base,
    time: t.time,
    positionSide: "BOTH",
    buyer: t.side === "buy",
    maker: t.maker,
  };
  return {
    exchange: "binance",
    id: String(id),
    orderId: String(orderId),
    symbol,
    base: spec.base,
    quote: "USD",
    side: t.side,
    takerOrMaker: t.maker ? "maker" : "taker",
    price: raw.price,
    amount: raw.qty,
    // COIN-M: contracts are the amount; their value in the coin is the cost.
    cost: toPlain(baseQty, D),
    fee: toPlain(commission, D),
    feeCurrency: spec.base,
    timestamp: t.time,
    raw,
    product: "coinm",
  };
}

/** Any Binance product's trade record. */
export function binanceProductTrade(h: TradeHistory, t: TradeCore): SimTrade {
  switch (h.product) {
    case "margin":
    case "isolated_margin":
      return marginTrade(h, t);
    case "usdm":
      return usdmTrade(h, t);
    case "coinm":
      return coinmTrade(h, t);
    case "option":
      return optionTrade(h, t);
    default:
      return binanceTrade(h, t);
  }
}
