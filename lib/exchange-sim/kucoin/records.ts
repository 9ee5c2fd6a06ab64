// KuCoin's record shapes: the HF fill (GET /api/v1/hf/fills, /api/v3/hf/margin/fills), the
// symbol (GET /api/v2/symbols) and the key's own description (GET /api/v1/user/api-key), from
// KuCoin's documented examples and ccxt's recorded responses.
//
// Ids: `id` (the fill id, what lastId pages over) increases with time across the account's
// fills of one product; `tradeId` increases within a symbol; orderId is 24 hex digits. Fees are
// charged in the quote currency, as KuCoin does for spot and margin.

import { listMarkets, marketId, type MarketSpec } from "../catalogue";
import { toPlain } from "../decimal";
import { hashInts } from "../hash";
import type { KeyRecord } from "../keys";
import type { TradeCore, TradeHistory } from "../trades";
import type { SimProduct, SimTrade } from "../types";

const TAKER_RATE = { units: 1n, scale: 3 }; // 0.1 %
const MAKER_RATE = { units: 8n, scale: 4 }; // 0.08 %

const PRODUCT_CODE: Partial<Record<SimProduct, number>> = { spot: 0, margin: 1, isolated_margin: 2 };
export const TRADE_TYPE: Partial<Record<SimProduct, string>> = { spot: "TRADE", margin: "MARGIN_TRADE", isolated_margin: "MARGIN_ISOLATED_TRADE" };

/** The fill id: increasing in the history's index, unique per product, below 2^53. */
export function kucoinFillId(h: TradeHistory, i: number): number {
  const code = PRODUCT_CODE[h.product] ?? 0;
  return (1 + code) * 10_000_000_000_000 + (h.seed % 100_000) * 100_000_000 + i * 17 + (hashInts(h.seed, i, 0xf1) % 17);
}

function tradeId(h: TradeHistory, spec: MarketSpec, i: number): number {
  return (1 + spec.index) * 10_000_000_000 + (PRODUCT_CODE[h.product] ?? 0) * 1_000_000_000 + i * 13 + (hashInts(h.seed, i, 0x7d) % 13);
}

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, "0");
}

function orderId(h: TradeHistory, spec: MarketSpec, orderPos: number): string {
  return `65${hex(PRODUCT_CODE[h.product] ?? 0, 2)}${hex(spec.index, 4)}${hex(h.seed % 0xffff, 4)}${hex(orderPos, 12)}`;
}

/** The fill KuCoin serves for one trade of a spot or margin history. */
export function kucoinTrade(h: TradeHistory, t: TradeCore): SimTrade {
  const spec = h.markets[t.market]!;
  const rate = t.maker ? MAKER_RATE : TAKER_RATE;
  const quoteScale = spec.priceDecimals + spec.qtyDecimals;
  const fee = { units: t.quoteUnits * rate.units, scale: quoteScale + rate.scale };
  const symbol = marketId("kucoin", spec);
  const raw = {
    id: kucoinFillId(h, t.index),
    symbol,
    tradeId: tradeId(h, spec, t.index),
    orderId: orderId(h, spec, t.orderPos),
    counterOrderId: `66${hex(hashInts(h.seed, t.index, 0xc0) >>> 0, 8)}${hex(t.index, 14)}`,
    side: t.side,
    liquidity: t.maker ? "maker" : "taker",
    forceTaker: false,
    price: toPlain(t.priceUnits, spec.priceDecimals),
    size: toPlain(t.qtyUnits, spec.qtyDecimals),
    funds: toPlain(t.quoteUnits, quoteScale),
    fee: toPlain(fee.units, fee.scale),
    feeRate: toPlain(rate.units, rate.scale),
    feeCurrency: spec.quote,
    stop: "",
    tradeType: TRADE_TYPE[h.product] ?? "TRADE",
    taxRate: "0",
    tax: "0",
    type: t.maker ? "limit" : "market",
    createdAt: t.time,
  };
  return {
    exchange: "kucoin",
    id: String(raw.id),
    orderId: raw.orderId,
    symbol,
    base: spec.base,
    quote: spec.quote,
    side: t.side,
    takerOrMaker: t.maker ? "maker" : "taker",
    price: raw.price,
    amount: raw.size,
    cost: raw.funds,
    fee: raw.fee,
    feeCurrency: spec.quote,
    timestamp: t.time,
    product: h.product,
    raw,
  };
}

function step(decimals: number): string {
  return toPlain(1n, decimals);
}

/** GET /api/v2/symbols items. */
export function kucoinSymbols(): Record<string, unknown>[] {
  return listMarkets("kucoin").map((m) => ({
    symbol: marketId("kucoin", m),
    name: marketId("kucoin", m),
    baseCurrency: m.base,
    quoteCurrency: m.quote,
    feeCurrency: m.quote,
    market: m.quote === "USDT" ? "USDS" : m.quote,
    baseMinSize: toPlain(m.minQtyUnits, m.qtyDecimals),
    quoteMinSize: "0.1",
    baseMaxSize: "10000000000",
    quoteMaxSize: "99999999",
    baseIncrement: step(m.qtyDecimals),
    quoteIncrement: step(m.priceDecimals),
    priceIncrement: step(m.priceDecimals),
    priceLimitRate: "0.1",
    minFunds: "0.1",
    isMarginEnabled: m.quote === "USDT" && m.base !== "USDC",
    enableTrading: true,
    feeCategory: 1,
    makerFeeCoefficient: "1.00",
    takerFeeCoefficient: "1.00",
    st: false,
    callauctionIsEnabled: false,
  }));
}

/** KuCoin's permission words, in the order its API-management page lists them. */
export function kucoinPermission(key: KeyRecord["key"]): string {
  const p = key.permissions;
  const words = ["General"];
  if (p.spotTrade) words.push("Spot");
  if (p.marginTrade) words.push("Margin");
  if (p.futuresTrade) words.push("Futures");
  if (p.transfer) words.push("InnerTransfer");
  if (p.withdraw) words.push("Withdrawal");
  return words.join(",");
}

/** GET /api/v1/user/api-key: the calling key itself. */
export function kucoinApiKeyInfo(r: KeyRecord): Record<string, unknown> {
  const k = r.key;
  return {
    remark: k.label,
    apiKey: k.apiKey,
    apiVersion: 3,
    permission: kucoinPermission(k),
    ipWhitelist: k.ipWhitelist.join(","),
    createdAt: k.createdAt.getTime(),
    uid: 100_000_000 + (r.tradeSeed % 900_000_000),
    isMaster: true,
  };
}
