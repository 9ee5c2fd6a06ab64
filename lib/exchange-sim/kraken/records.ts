// Kraken's record shapes: the trade of TradesHistory (keyed by its txid), the pair of AssetPairs,
// the key of GetApiKeyInfo and the Balance map, from Kraken's documented examples and ccxt's
// recorded responses. Times are seconds with four decimals (a JSON number); amounts are decimal
// strings with Kraken's fixed decimals; the fee is charged in the quote currency. A margin trade
// carries its initial `margin`, its `leverage` and the position it opened (`posstatus`).
// https://docs.kraken.com/api-reference/account-data/get-trade-history

import { listMarkets, marketId } from "../catalogue";
import { AMOUNT_SCALE } from "../account";
import { toFixed, toPlain } from "../decimal";
import { HashStream, hashInts } from "../hash";
import type { KeyRecord } from "../keys";
import type { TradeCore, TradeHistory } from "../trades";
import type { SimProduct, SimTrade } from "../types";
import { krakenAltname, krakenAsset } from "./listing";

const TAKER_RATE = { units: 26n, scale: 4 }; // 0.26 %
const MAKER_RATE = { units: 16n, scale: 4 }; // 0.16 %
const ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

const PRODUCT_CODE: Partial<Record<SimProduct, string>> = { spot: "A", margin: "M" };

function b36(n: number, width: number): string {
  return n.toString(36).toUpperCase().padStart(width, "0");
}

/** Kraken's 6-5-6 ids; the middle part carries the product and the index, so ids never repeat. */
function txid(prefix: string, seed: number, product: SimProduct, n: number): string {
  const s = new HashStream(hashInts(seed, n, prefix.charCodeAt(0)));
  return `${prefix}${s.chars(ID_CHARS, 5)}-${PRODUCT_CODE[product] ?? "A"}${b36(n, 4)}-${s.chars(ID_CHARS, 6)}`;
}

/** The trade's txid (TradesHistory's key). */
export function krakenTradeId(h: TradeHistory, i: number): string {
  return txid("T", h.seed, h.product, i);
}

/** The trade's time as Kraken serves it: seconds with a fraction (here to the millisecond). */
export function krakenTime(ms: number): number {
  return Number(`${Math.floor(ms / 1000)}.${String(ms % 1000).padStart(3, "0")}`);
}

export function krakenTrade(h: TradeHistory, t: TradeCore): SimTrade {
  const spec = h.markets[t.market]!;
  const rate = t.maker ? MAKER_RATE : TAKER_RATE;
  const quoteScale = spec.priceDecimals + spec.qtyDecimals;
  const fee = { units: t.quoteUnits * rate.units, scale: quoteScale + rate.scale };
  const pair = marketId("kraken", spec);
  const margin = h.product === "margin";
  const leverage = 2 + (hashInts(h.seed, t.index, 0x1e) % 4);
  const raw: Record<string, unknown> = {
    ordertxid: txid("O", h.seed, h.product, t.orderPos + spec.index * 1_000_000),
    postxid: margin ? txid("P", h.seed, h.product, t.orderPos + spec.index * 1_000_000) : "TKH2SE-M7IF5-CFI7LT",
    pair,
    aclass: "forex",
    time: krakenTime(t.time),
    type: t.side,
    ordertype: t.maker ? "limit" : "market",
    price: toFixed(t.priceUnits, spec.priceDecimals, Math.max(spec.priceDecimals, 5)),
    cost: toFixed(t.quoteUnits, quoteScale, quoteScale),
    fee: toFixed(fee.units, fee.scale, fee.scale),
    vol: toFixed(t.qtyUnits, spec.qtyDecimals, 8),
    margin: margin ? toFixed(t.quoteUnits / BigInt(leverage), quoteScale, quoteScale) : toFixed(0n, 0, quoteScale),
    ...(margin ? { leverage: String(leverage), posstatus: "closed" } : {}),
    misc: "",
    trade_id: (1 + spec.index) * 10_000_000 + t.pos * 3 + (hashInts(h.seed, t.index, 0x7d) % 3),
    maker: t.maker,
  };
  return {
    exchange: "kraken",
    id: krakenTradeId(h, t.index),
    orderId: raw.ordertxid as string,
    symbol: pair,
    base: spec.base,
    quote: spec.quote,
    side: t.side,
    takerOrMaker: t.maker ? "maker" : "taker",
    price: toPlain(t.priceUnits, spec.priceDecimals),
    amount: toPlain(t.qtyUnits, spec.qtyDecimals),
    cost: toPlain(t.quoteUnits, quoteScale),
    fee: toPlain(fee.units, fee.scale),
    feeCurrency: spec.quote,
    timestamp: t.time,
    product: h.product,
    raw,
  };
}

/** GET /0/public/AssetPairs: pair id -> Kraken's pair description. */
export function krakenAssetPairs(): Record<string, Record<string, unknown>> {
  return Object.fromEntries(
    listMarkets("kraken").map((m) => [
      marketId("kraken", m),
      {
        altname: krakenAltname(m.base) + krakenAltname(m.quote),
        wsname: `${krakenAltname(m.base)}/${krakenAltname(m.quote)}`,
        aclass_base: "currency",
        base: krakenAsset(m.base),
        aclass_quote: "currency",
        quote: krakenAsset(m.quote),
        lot: "unit",
        cost_decimals: m.priceDecimals + m.qtyDecimals,
        pair_decimals: m.priceDecimals,
        lot_decimals: 8,
        lot_multiplier: 1,
        leverage_buy: m.quote === "USDT" && m.base !== "USDC" ? [2, 3, 4, 5] : [],
        leverage_sell: m.quote === "USDT" && m.base !== "USDC" ? [2, 3, 4, 5] : [],
        fees: [[0, 0.26], [50000, 0.24]],
        fees_maker: [[0, 0.16], [50000, 0.14]],
        fee_volume_currency: "ZUSD",
        margin_call: 80,
        margin_stop: 40,
        ordermin: toPlain(m.minQtyUnits, m.qtyDecimals),
        costmin: "0.5",
        tick_size: toPlain(1n, m.priceDecimals),
        status: "online",
      },
    ]),
  );
}

/** Kraken's permission names, as GetApiKeyInfo lists them. */
export function krakenPermissionNames(key: KeyRecord["key"]): string[] {
  const p = key.permissions;
  const names: string[] = [];
  if (p.read) names.push("query-funds", "query-open-trades", "query-closed-trades", "query-ledger");
  if (p.spotTrade || p.marginTrade) names.push("modify-trades", "cancel-close-trades");
  // Kraken moves funds out of the account (withdrawals, wallet transfers) under one permission
  if (p.withdraw || p.transfer) names.push("withdraw-funds");
  return names;
}

const seconds = (d: Date | number) => String(Math.floor((typeof d === "number" ? d : d.getTime()) / 1000));

/** POST /0/private/GetApiKeyInfo: the calling key. */
export function krakenKeyInfo(r: KeyRecord, lastNonce: bigint | undefined, now: number): Record<string, unknown> {
  const k = r.key;
  const s = new HashStream(hashInts(r.tradeSeed, 0x1ba));
  return {
    apiKeyName: k.label,
    apiKey: k.apiKey,
    nonce: String(lastNonce ?? 0n),
    nonceWindow: 0,
    permissions: krakenPermissionNames(k),
    iban: `AA${s.chars("0123456789", 2)} ${s.chars(ID_CHARS, 4)} ${s.chars(ID_CHARS, 4)} ${s.chars(ID_CHARS, 4)}`,
    validUntil: k.expiresAt ? seconds(k.expiresAt) : "0",
    queryFrom: "0",
    queryTo: "0",
    createdTime: seconds(k.createdAt),
    modifiedTime: seconds(k.createdAt),
    ipAllowlist: [...k.ipWhitelist],
    lastUsed: seconds(now),
  };
}

/** POST /0/private/Balance: asset code -> balance, ten decimals as Kraken shows crypto. */
export function krakenBalance(r: KeyRecord): Record<string, string> {
  return Object.fromEntries(r.account().holdings.map((h) => [krakenAsset(h.asset), toFixed(h.free + h.locked, AMOUNT_SCALE, 10)]));
}
