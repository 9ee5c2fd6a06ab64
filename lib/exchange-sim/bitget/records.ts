// Bitget's record shapes: the spot fill (GET /api/v2/spot/trade/fills), the futures fill (GET
// /api/v2/mix/order/fill-history), the spot symbol (GET /api/v2/spot/public/symbols) and the
// account information (GET /api/v2/spot/account/info), from Bitget's documented examples.
//
// Ids are 19-digit strings (Bitget's are snowflakes, beyond 2^53, so never numbers): a fill's
// tradeId increases with time across the account's fills of one product, which is what
// idLessThan pages over. Times are strings of milliseconds. Fees are negative ("totalFee":
// "-0.02"): a spot buy pays in the coin bought, a sell in the quote; futures pay in the margin
// coin, which also receives the fill's realised profit (negative for a loss).

import { listMarkets, marketId } from "../catalogue";
import { AMOUNT_SCALE } from "../account";
import { toPlain } from "../decimal";
import { hashInts } from "../hash";
import type { KeyRecord } from "../keys";
import type { TradeCore, TradeHistory } from "../trades";
import type { SimProduct, SimTrade } from "../types";

const SPOT_TAKER = { units: 1n, scale: 3 }; // 0.1 %
const SPOT_MAKER = { units: 1n, scale: 3 };
const MIX_TAKER = { units: 6n, scale: 4 }; // 0.06 %
const MIX_MAKER = { units: 2n, scale: 4 }; // 0.02 %

const PRODUCT_CODE: Partial<Record<SimProduct, bigint>> = { spot: 1n, usdm: 2n, coinm: 3n };

/** The fill id: increasing in the history's index, unique per product, 19 digits. */
export function bitgetTradeId(h: TradeHistory, i: number): bigint {
  const code = PRODUCT_CODE[h.product] ?? 1n;
  return 1_100_000_000_000_000_000n + code * 10_000_000_000_000_000n + BigInt(h.seed % 100_000) * 100_000_000_000n + BigInt(i) * 23n + BigInt(hashInts(h.seed, i, 0xb1) % 23);
}

function orderId(h: TradeHistory, t: TradeCore, marketIndex: number): string {
  const code = PRODUCT_CODE[h.product] ?? 1n;
  return String(1_200_000_000_000_000_000n + code * 10_000_000_000_000_000n + BigInt(marketIndex) * 100_000_000_000_000n + BigInt(h.seed % 10_000) * 10_000_000_000n + BigInt(t.orderPos) * 7n);
}

/** The account's user id: Bitget's UIDs are 10-digit numbers. */
export function bitgetUid(r: Pick<KeyRecord, "tradeSeed">): string {
  return String(1_000_000_000 + (r.tradeSeed % 8_999_999_999));
}

function spotTrade(h: TradeHistory, t: TradeCore): SimTrade {
  const spec = h.markets[t.market]!;
  const rate = t.maker ? SPOT_MAKER : SPOT_TAKER;
  const quoteScale = spec.priceDecimals + spec.qtyDecimals;
  const fee =
    t.side === "buy"
      ? { units: t.qtyUnits * rate.units, scale: spec.qtyDecimals + rate.scale, coin: spec.base }
      : { units: t.quoteUnits * rate.units, scale: quoteScale + rate.scale, coin: spec.quote };
  const symbol = marketId("bitget", spec);
  const feeText = toPlain(fee.units, fee.scale);
  const raw = {
    userId: String(1_000_000_000 + (h.seed % 8_999_999_999)),
    symbol,
    orderId: orderId(h, t, spec.index),
    tradeId: String(bitgetTradeId(h, t.index)),
    orderType: t.maker ? "limit" : "market",
    side: t.side,
    priceAvg: toPlain(t.priceUnits, spec.priceDecimals),
    size: toPlain(t.qtyUnits, spec.qtyDecimals),
    amount: toPlain(t.quoteUnits, quoteScale),
    feeDetail: { deduction: "no", feeCoin: fee.coin, totalDeductionFee: "", totalFee: feeText === "0" ? "0" : `-${feeText}` },
    tradeScope: t.maker ? "maker" : "taker",
    cTime: String(t.time),
    uTime: String(t.time + (hashInts(h.seed, t.index, 0x17) % 500)),
  };
  return {
    exchange: "bitget",
    id: raw.tradeId,
    orderId: raw.orderId,
    symbol,
    base: spec.base,
    quote: spec.quote,
    side: t.side,
    takerOrMaker: t.maker ? "maker" : "taker",
    price: raw.priceAvg,
    amount: raw.size,
    cost: raw.amount,
    fee: feeText,
    feeCurrency: fee.coin,
    timestamp: t.time,
    product: h.product,
    raw,
  };
}

/** The coin a futures fill is margined in (and pays its fee and profit in). */
export function bitgetMarginCoin(product: SimProduct, spec: { base: string; quote: string }): string {
  return product === "coinm" ? spec.base : spec.quote;
}

function mixTrade(h: TradeHistory, t: TradeCore): SimTrade {
  const spec = h.markets[t.market]!;
  const rate = t.maker ? MIX_MAKER : MIX_TAKER;
  const quoteScale = spec.priceDecimals + spec.qtyDecimals;
  const margin = bitgetMarginCoin(h.product, spec);
  // USDT-M: fee and profit in USDT, on the quote volume; COIN-M: in the coin, on the size.
  const [basis, basisScale] = h.product === "coinm" ? [t.qtyUnits, spec.qtyDecimals] : [t.quoteUnits, quoteScale];
  const feeText = toPlain(basis * rate.units, basisScale + rate.scale);
  // every other order closes part of a position: a profit or a loss of up to 2 % of the basis
  const closing = (t.salt & 1) === 1;
  const ppm = BigInt((hashInts(t.salt, 0x9f) % 40_001) - 20_000);
  const profit = closing ? toPlain(basis * ppm, basisScale + 6) : "0";
  const symbol = marketId("bitget", spec);
  const raw = {
    tradeId: String(bitgetTradeId(h, t.index)),
    symbol,
    orderId: orderId(h, t, spec.index),
    price: toPlain(t.priceUnits, spec.priceDecimals),
    baseVolume: toPlain(t.qtyUnits, spec.qtyDecimals),
    feeDetail: [{ deduction: "no", feeCoin: margin, totalDeductionFee: "0", totalFee: feeText === "0" ? "0" : `-${feeText}` }],
    side: t.side,
    quoteVolume: toPlain(t.quoteUnits, quoteScale),
    profit,
    enterPointSource: "api",
    tradeSide: closing ? "close" : "open",
    posMode: "hedge_mode",
    tradeScope: t.maker ? "maker" : "taker",
    cTime: String(t.time),
    marginCoin: margin,
  };
  return {
    exchange: "bitget",
    id: raw.tradeId,
    orderId: raw.orderId,
    symbol,
    base: spec.base,
    quote: spec.quote,
    side: t.side,
    takerOrMaker: t.maker ? "maker" : "taker",
    price: raw.price,
    amount: raw.baseVolume,
    cost: raw.quoteVolume,
    fee: feeText,
    feeCurrency: margin,
    timestamp: t.time,
    product: h.product,
    raw,
  };
}

/** The fill Bitget serves for one trade of a spot, USDT-M or COIN-M history. */
export function bitgetTrade(h: TradeHistory, t: TradeCore): SimTrade {
  return h.product === "spot" ? spotTrade(h, t) : mixTrade(h, t);
}

function step(decimals: number): string {
  return toPlain(1n, decimals);
}

/** GET /api/v2/spot/public/symbols items. */
export function bitgetSymbols(): Record<string, unknown>[] {
  return listMarkets("bitget").map((m) => ({
    symbol: marketId("bitget", m),
    baseCoin: m.base,
    quoteCoin: m.quote,
    minTradeAmount: "0",
    maxTradeAmount: "10000000000",
    takerFeeRate: "0.001",
    makerFeeRate: "0.001",
    pricePrecision: String(m.priceDecimals),
    quantityPrecision: String(m.qtyDecimals),
    quotePrecision: String(m.priceDecimals),
    minTradeUSDT: "1",
    status: "online",
    buyLimitPriceRatio: "0.05",
    sellLimitPriceRatio: "0.05",
    areaSymbol: "no",
    orderQuantity: "200",
    openTime: String(m.listTime),
    offTime: "",
    priceStep: step(m.priceDecimals),
  }));
}

/**
 * Bitget's authority codes for a key, as GET /api/v2/spot/account/info lists them: per area a
 * read-only code (…r) or a read-and-write one (…w); withdrawals have only the latter (wwow).
 */
export function bitgetAuthorities(p: KeyRecord["key"]["permissions"]): string[] {
  if (!p.read) return [];
  const out: string[] = [];
  out.push(p.spotTrade ? "stow" : "stor");
  out.push(p.marginTrade ? "smow" : "smor");
  out.push(...(p.futuresTrade ? ["coow", "cpow"] : ["coor", "cpor"]));
  out.push(p.transfer ? "wtow" : "wtor");
  if (p.withdraw) out.push("wwow");
  return out;
}

/** GET /api/v2/spot/account/info: the account of the calling key, its whitelist and authorities. */
export function bitgetAccountInfo(r: KeyRecord): Record<string, unknown> {
  const k = r.key;
  const uid = bitgetUid(r);
  return {
    userId: uid,
    inviterId: "0",
    ips: k.ipWhitelist.join(","),
    authorities: bitgetAuthorities(k.permissions),
    parentId: Number(uid),
    traderType: "not_trader",
    channelCode: "",
    channel: "",
    // the account's registration, not the key's creation (Bitget does not tell that)
    regisTime: String(k.createdAt.getTime() - 400 * 86_400_000),
  };
}

/** GET /api/v2/spot/account/assets: the spot account's coins (available, frozen, locked), 8 decimals. */
export function bitgetSpotAssets(r: KeyRecord, now: number): Record<string, unknown>[] {
  return r.account().holdings.map((h) => ({
    coin: h.asset,
    available: toPlain(h.free, AMOUNT_SCALE),
    frozen: toPlain(h.locked, AMOUNT_SCALE),
    locked: "0",
    limitAvailable: "0",
    uTime: String(Math.min(now, r.tradeOptions.endTime)),
  }));
}
