import { z } from "zod";
import { malformed } from "../call";
import { effectsOf, negate, spotTradeEffects } from "../effects";
import { decimalString } from "../normalize";
import type { NormalizedTrade } from "../types";

// Bitget's records in the common shapes.
// - Spot fill (GET /api/v2/spot/trade/fills): the buyer receives `size` of the base and pays
//   `amount` of the quote, the seller the reverse; the fee (feeDetail.totalFee, negative when
//   charged) leaves in feeCoin. The fill names only its symbol, so base and quote come from the
//   symbol list the export read.
// - Futures fill (GET /api/v2/mix/order/fill-history): the position's margin coin receives the
//   fill's realised `profit` (negative for a loss) and each feeDetail entry's totalFee leaves in
//   its feeCoin; nothing else moves, the contract being a position, not a holding.
// Ids are 19-digit strings beyond 2^53 and stay strings. Every amount is Bitget's own string.
// https://www.bitget.com/api-doc/spot/trade/Get-Fills
// https://www.bitget.com/api-doc/contract/trade/Get-Fill-History

const ID = "bitget";
const decimal = decimalString();
const digits = z.string().regex(/^\d+$/);
/** Bitget sends "" where a fee part does not apply. */
const optionalDecimal = z.union([decimal, z.literal("")]).optional();

/** Bitget wraps every answer in { code, msg, requestTime, data }; code "00000" is success. */
export function bitgetData(raw: unknown, what: string): unknown {
  const parsed = z.looseObject({ code: z.union([z.string(), z.number()]), data: z.unknown() }).safeParse(raw);
  if (!parsed.success || String(parsed.data.code) !== "00000") throw malformed(ID, what);
  return parsed.data.data;
}

/** A fee as Bitget states it: negative when charged, in its coin. */
const feeSchema = z.looseObject({ deduction: z.string().optional(), feeCoin: z.string(), totalDeductionFee: optionalDecimal, totalFee: decimal });

const spotFillSchema = z.looseObject({
  symbol: z.string().regex(/^[A-Z0-9]+$/),
  orderId: z.string(),
  tradeId: digits,
  side: z.enum(["buy", "sell"]),
  priceAvg: decimal,
  size: decimal,
  amount: decimal,
  feeDetail: feeSchema,
  tradeScope: z.string(),
  cTime: digits,
});

/** What the export knows of a spot symbol from Bitget's symbol list. */
export interface BitgetSpotMarket {
  base: string;
  quote: string;
}

function maker(scope: string): boolean | null {
  return scope === "maker" ? true : scope === "taker" ? false : null;
}

export function normalizeBitgetSpotFill(raw: unknown, market: BitgetSpotMarket | null): NormalizedTrade {
  const parsed = spotFillSchema.safeParse(raw);
  if (!parsed.success) throw malformed(ID, "GET /api/v2/spot/trade/fills");
  const f = parsed.data;
  const fee = { cost: negate(f.feeDetail.totalFee), currency: f.feeDetail.feeCoin || null };
  return {
    id: f.tradeId,
    orderId: f.orderId || null,
    product: "spot",
    market: f.symbol,
    symbol: market ? `${market.base}/${market.quote}` : null,
    side: f.side,
    timestamp: Number(f.cTime),
    price: f.priceAvg,
    amount: f.size,
    cost: f.amount,
    fee,
    maker: maker(f.tradeScope),
    exact: true,
    effects: spotTradeEffects({ base: market?.base ?? null, quote: market?.quote ?? null, side: f.side, amount: f.size, cost: f.amount, fee }),
    raw: raw as Record<string, unknown>,
  };
}

/** Bitget's futures product types, and the product each is in the common words. */
export const BITGET_PRODUCT_TYPES = {
  "USDT-FUTURES": "usdm",
  "USDC-FUTURES": "usdm",
  "COIN-FUTURES": "coinm",
} as const;
export type BitgetProductType = keyof typeof BITGET_PRODUCT_TYPES;

const mixFillSchema = z.looseObject({
  tradeId: digits,
  symbol: z.string().regex(/^[A-Z0-9]+$/),
  orderId: z.string(),
  price: decimal,
  baseVolume: decimal,
  quoteVolume: decimal,
  feeDetail: z.array(feeSchema),
  side: z.enum(["buy", "sell"]),
  profit: decimal,
  tradeScope: z.string(),
  cTime: digits,
  marginCoin: z.string().optional(),
});

export const mixPageSchema = z.looseObject({ fillList: z.array(z.unknown()).nullable(), endId: z.union([digits, z.null()]).optional() });

/** The margin coin of a futures fill: stated on newer answers, else the product type's. */
function marginCoinOf(type: BitgetProductType, symbol: string, stated: string | undefined): string | null {
  if (stated) return stated;
  if (type === "USDT-FUTURES") return "USDT";
  if (type === "USDC-FUTURES") return "USDC";
  return /^([A-Z0-9]+?)USD$/.exec(symbol)?.[1] ?? null;
}

/** ccxt's unified symbol of a perpetual: BTC/USDT:USDT, BTC/USD:BTC. */
function unifiedSymbol(type: BitgetProductType, symbol: string, margin: string | null): string | null {
  if (margin === null) return null;
  if (type === "COIN-FUTURES") return symbol === `${margin}USD` ? `${margin}/USD:${margin}` : null;
  return symbol.endsWith(margin) && symbol.length > margin.length ? `${symbol.slice(0, -margin.length)}/${margin}:${margin}` : null;
}

export function normalizeBitgetMixFill(raw: unknown, type: BitgetProductType): NormalizedTrade {
  const parsed = mixFillSchema.safeParse(raw);
  if (!parsed.success) throw malformed(ID, "GET /api/v2/mix/order/fill-history");
  const f = parsed.data;
  const margin = marginCoinOf(type, f.symbol, f.marginCoin);
  const first = f.feeDetail[0];
  return {
    id: f.tradeId,
    orderId: f.orderId || null,
    product: BITGET_PRODUCT_TYPES[type],
    market: f.symbol,
    symbol: unifiedSymbol(type, f.symbol, margin),
    side: f.side,
    timestamp: Number(f.cTime),
    price: f.price,
    amount: f.baseVolume,
    cost: f.quoteVolume,
    fee: first ? { cost: negate(first.totalFee), currency: first.feeCoin || null } : null,
    maker: maker(f.tradeScope),
    exact: true,
    effects: effectsOf([margin, f.profit], ...f.feeDetail.map((fee) => [fee.feeCoin, fee.totalFee] as const)),
    raw: raw as Record<string, unknown>,
  };
}
