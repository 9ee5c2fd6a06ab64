import { Precise } from "ccxt";
import { z } from "zod";
import { malformed } from "../call";
import { spotTradeEffects } from "../effects";
import { decimalString } from "../normalize";
import type { NormalizedTrade, Product } from "../types";

// Coinbase's fills (GET /api/v3/brokerage/orders/historical/fills) in the common shape. One
// endpoint serves every product of the portfolio, told apart by product_id:
// - spot "BTC-USDC": the buyer receives `size` of the base and pays size x price of the quote,
//   the seller the reverse, and the commission leaves in the quote;
// - perpetuals of Coinbase International "BTC-PERP-INTX" (margined and settled in USDC) and
//   US futures "BIT-28JUN24-CDE" (settled in USD): linear contracts, the common "usdm". A
//   derivatives fill moves no coin itself (its P&L and funding settle on the derivatives
//   balance), so it books no effects here.
// `size_in_quote` true means `size` is the quote amount; the base amount is then size / price,
// exact only when that division ends.
// https://docs.cdp.coinbase.com/api-reference/advanced-trade-api/rest-api/orders/list-fills

const ID = "coinbase";
const decimal = decimalString();

const fillSchema = z.looseObject({
  trade_id: z.string().min(1),
  order_id: z.string(),
  trade_time: z.string().refine((v) => !Number.isNaN(Date.parse(v)), "an RFC 3339 time"),
  price: decimal,
  size: decimal,
  commission: decimal,
  product_id: z.string().regex(/^[A-Z0-9]+-[A-Z0-9-]+$/),
  liquidity_indicator: z.string().optional(),
  size_in_quote: z.boolean().optional(),
  side: z.enum(["BUY", "SELL"]),
  sequence_timestamp: z.string().optional(),
});

export type CoinbaseFill = z.infer<typeof fillSchema>;

const PERP = /^([A-Z0-9]+)-PERP-INTX$/;
const FUTURE = /^([A-Z0-9]+)-\d{2}[A-Z]{3}\d{2}-CDE$/;

/** What a product id names: the product, its base, the asset prices and fees are in, ccxt's symbol. */
export function coinbaseProduct(productId: string): { product: Product; base: string; quote: string; symbol: string | null } {
  const perp = PERP.exec(productId);
  if (perp) return { product: "usdm", base: perp[1]!, quote: "USDC", symbol: `${perp[1]}/USDC:USDC` };
  const future = FUTURE.exec(productId);
  if (future) return { product: "usdm", base: future[1]!, quote: "USD", symbol: null };
  const [base = "", quote = ""] = productId.split("-");
  return { product: "spot", base, quote, symbol: `${base}/${quote}` };
}

function canonical(value: string): string {
  return Precise.stringAdd(value, "0") ?? value;
}

export function normalizeCoinbaseFill(raw: unknown): NormalizedTrade {
  const parsed = fillSchema.safeParse(raw);
  if (!parsed.success) throw malformed(ID, "GET /api/v3/brokerage/orders/historical/fills");
  const f = parsed.data;
  const { product, base, quote, symbol } = coinbaseProduct(f.product_id);
  const side = f.side === "BUY" ? "buy" : "sell";
  let amount = f.size;
  let cost = canonical(Precise.stringMul(f.price, f.size) ?? "0");
  let exact = true;
  if (f.size_in_quote === true) {
    cost = f.size;
    amount = canonical(Precise.stringDiv(f.size, f.price, 18) ?? "0");
    exact = Precise.stringEq(Precise.stringMul(amount, f.price) ?? "", f.size);
  }
  const fee = { cost: f.commission, currency: quote || null };
  return {
    id: f.trade_id,
    orderId: f.order_id || null,
    product,
    market: f.product_id,
    symbol,
    side,
    timestamp: Date.parse(f.trade_time),
    price: f.price,
    amount,
    cost,
    fee,
    maker: f.liquidity_indicator === "MAKER" ? true : f.liquidity_indicator === "TAKER" ? false : null,
    exact,
    effects: product === "spot" ? spotTradeEffects({ base, quote, side, amount, cost, fee }) : {},
    raw: raw as Record<string, unknown>,
  };
}
