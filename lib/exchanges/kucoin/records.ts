import { z } from "zod";
import { malformed } from "../call";
import { spotTradeEffects } from "../effects";
import { decimalString } from "../normalize";
import type { NormalizedTrade, Product } from "../types";

// KuCoin's records in the common shapes. An HF fill (spot: GET /api/v1/hf/fills, margin:
// GET /api/v3/hf/margin/fills) says its tradeType; the buyer receives `size` of the base and
// pays `funds` of the quote, the seller the reverse, and the fee (positive) leaves in
// feeCurrency. Amounts are KuCoin's own strings; ids and times are JSON integers.

const ID = "kucoin";
const decimal = decimalString();

/** KuCoin wraps every answer in { code, data }; code "200000" is success. */
export function kucoinData(raw: unknown, what: string): unknown {
  const parsed = z.looseObject({ code: z.union([z.string(), z.number()]), data: z.unknown() }).safeParse(raw);
  if (!parsed.success || String(parsed.data.code) !== "200000") throw malformed(ID, what);
  return parsed.data.data;
}

export const TRADE_TYPES = { spot: "TRADE", margin: "MARGIN_TRADE", isolated_margin: "MARGIN_ISOLATED_TRADE" } as const;
export type KucoinProduct = keyof typeof TRADE_TYPES;

const PRODUCT_OF: Record<string, KucoinProduct> = { TRADE: "spot", MARGIN_TRADE: "margin", MARGIN_ISOLATED_TRADE: "isolated_margin" };

const fillSchema = z.looseObject({
  id: z.number().int().nonnegative(),
  symbol: z.string().regex(/^[A-Z0-9]+-[A-Z0-9]+$/),
  orderId: z.string(),
  side: z.enum(["buy", "sell"]),
  liquidity: z.string(),
  price: decimal,
  size: decimal,
  funds: decimal,
  fee: decimal,
  feeCurrency: z.string(),
  tradeType: z.string().optional(),
  createdAt: z.number().int().positive(),
});

export const fillPageSchema = z.looseObject({ items: z.array(z.unknown()), lastId: z.union([z.number(), z.string(), z.null()]).optional() });

/** A raw HF fill in the common shape; `fallback` is the product asked for when the fill omits tradeType. */
export function normalizeKucoinFill(raw: unknown, fallback: KucoinProduct): NormalizedTrade {
  const parsed = fillSchema.safeParse(raw);
  if (!parsed.success) throw malformed(ID, "GET /api/v1/hf/fills");
  const f = parsed.data;
  const product: Product = (f.tradeType !== undefined ? PRODUCT_OF[f.tradeType] : undefined) ?? fallback;
  const [base, quote] = f.symbol.split("-");
  const fee = { cost: f.fee, currency: f.feeCurrency || null };
  return {
    id: String(f.id),
    orderId: f.orderId || null,
    product,
    market: f.symbol,
    symbol: `${base}/${quote}`,
    side: f.side,
    timestamp: f.createdAt,
    price: f.price,
    amount: f.size,
    cost: f.funds,
    fee,
    maker: f.liquidity === "maker" ? true : f.liquidity === "taker" ? false : null,
    exact: true,
    effects: spotTradeEffects({ base: base ?? null, quote: quote ?? null, side: f.side, amount: f.size, cost: f.funds, fee }),
    raw: raw as Record<string, unknown>,
  };
}
