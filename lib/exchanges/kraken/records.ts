import { z } from "zod";
import { malformed } from "../call";
import { spotTradeEffects } from "../effects";
import { decimalString, isNonZero } from "../normalize";
import type { NormalizedTrade } from "../types";

// Kraken's trades (POST /0/private/TradesHistory) in the common shape. The answer is an object
// keyed by each trade's txid (the id), newest first. `vol` is the base amount, `cost` the quote
// amount, `fee` is charged in the quote currency (Kraken's default; its fee-in-base order flag
// shows on the order, not the trade), `time` is seconds with a fraction. A margin trade carries
// its initial `margin` and its `leverage`: it opens or closes a position and moves no spot
// balance itself (its fees and settled P&L are Kraken ledger entries), so it books no effects.
// https://docs.kraken.com/api-reference/account-data/get-trade-history

const ID = "kraken";
const decimal = decimalString();

export const tradeSchema = z.looseObject({
  ordertxid: z.string(),
  pair: z.string().min(1),
  time: z.number().positive(),
  type: z.enum(["buy", "sell"]),
  ordertype: z.string(),
  price: decimal,
  cost: decimal,
  fee: decimal,
  vol: decimal,
  margin: decimal.optional(),
  leverage: z.string().optional(),
  maker: z.boolean().optional(),
});

/** A pair id's assets in ccxt's unified codes (XXBT -> BTC), from AssetPairs. */
export type KrakenPairs = ReadonlyMap<string, { base: string; quote: string }>;

/**
 * Kraken's seconds with a fraction as whole milliseconds, read from the number's shortest text
 * (1710429248.3052 -> 1710429248305): multiplying the float by 1000 can land a millisecond low.
 */
export function krakenMillis(time: number): number {
  const [whole, fraction = ""] = String(time).split(".");
  if (!/^\d+$/.test(whole ?? "") || !/^\d*$/.test(fraction)) throw malformed(ID, "a trade's time");
  return Number(whole) * 1000 + Number(fraction.padEnd(3, "0").slice(0, 3));
}

export function normalizeKrakenTrade(txid: string, raw: unknown, pairs: KrakenPairs): NormalizedTrade {
  const parsed = tradeSchema.safeParse(raw);
  if (!parsed.success) throw malformed(ID, "POST /0/private/TradesHistory");
  const t = parsed.data;
  const pair = pairs.get(t.pair);
  const margin = (t.margin !== undefined && isNonZero(t.margin)) || t.leverage !== undefined;
  const fee = { cost: t.fee, currency: pair?.quote ?? null };
  return {
    id: txid,
    orderId: t.ordertxid || null,
    product: margin ? "margin" : "spot",
    market: t.pair,
    symbol: pair ? `${pair.base}/${pair.quote}` : null,
    side: t.type,
    timestamp: krakenMillis(t.time),
    price: t.price,
    amount: t.vol,
    cost: t.cost,
    fee,
    maker: t.maker ?? null,
    exact: true,
    effects: margin || !pair ? {} : spotTradeEffects({ base: pair.base, quote: pair.quote, side: t.type, amount: t.vol, cost: t.cost, fee }),
    raw: raw as Record<string, unknown>,
  };
}
