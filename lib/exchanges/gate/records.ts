import { z } from "zod";
import { malformed } from "../call";
import { spotTradeEffects } from "../effects";
import { decimalString } from "../normalize";
import type { NormalizedTrade, Product } from "../types";

// Gate's trades (GET /api/v4/spot/my_trades) in the common shape: the buyer receives `amount`
// of the base and pays amount x price of the quote, the seller the reverse, and the fee
// (positive) leaves in fee_currency. Gate sends `deal` (the quote amount) on newer answers;
// without it the cost is price x amount, exact. Times: create_time_ms, milliseconds with a
// fraction, as a string.

const ID = "gate";
const decimal = decimalString();

export const GATE_ACCOUNTS = { spot: "spot", margin: "cross_margin", isolated_margin: "margin" } as const;
export type GateProduct = keyof typeof GATE_ACCOUNTS;

const tradeSchema = z.looseObject({
  id: z.string().regex(/^\d+$/),
  create_time_ms: z.string().regex(/^\d+(\.\d+)?$/),
  currency_pair: z.string().regex(/^[A-Z0-9]+_[A-Z0-9]+$/),
  side: z.enum(["buy", "sell"]),
  role: z.string(),
  amount: decimal,
  price: decimal,
  order_id: z.string(),
  fee: decimal,
  fee_currency: z.string(),
  deal: decimal.optional(),
});

export function normalizeGateTrade(raw: unknown, product: Product): NormalizedTrade {
  const parsed = tradeSchema.safeParse(raw);
  if (!parsed.success) throw malformed(ID, "GET /api/v4/spot/my_trades");
  const t = parsed.data;
  const [base, quote] = t.currency_pair.split("_");
  // ccxt's Precise would do; a product of two exact decimals is exact either way
  const cost = t.deal ?? mul(t.price, t.amount);
  const fee = { cost: t.fee, currency: t.fee_currency || null };
  return {
    id: t.id,
    orderId: t.order_id || null,
    product,
    market: t.currency_pair,
    symbol: `${base}/${quote}`,
    side: t.side,
    timestamp: Number(t.create_time_ms.split(".")[0]),
    price: t.price,
    amount: t.amount,
    cost,
    fee,
    maker: t.role === "maker" ? true : t.role === "taker" ? false : null,
    exact: true,
    effects: spotTradeEffects({ base: base ?? null, quote: quote ?? null, side: t.side, amount: t.amount, cost, fee }),
    raw: raw as Record<string, unknown>,
  };
}

function mul(a: string, b: string): string {
  const scale = (s: string) => (s.split(".")[1] ?? "").length;
  const units = BigInt(a.replace(".", "")) * BigInt(b.replace(".", ""));
  const digits = scale(a) + scale(b);
  const text = units.toString().padStart(digits + 1, "0");
  return digits === 0 ? text : `${text.slice(0, -digits)}.${text.slice(-digits)}`.replace(/\.?0+$/, "");
}
