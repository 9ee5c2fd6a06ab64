import { Precise } from "ccxt";
import type { BalanceEffects } from "./types";

// Building a record's balance effects (types.ts, BalanceEffects) with exact decimal arithmetic:
// ccxt's Precise works on decimal strings, never on floats. The adapters say which movements a
// record makes; these helpers only add them up per asset.

/** One movement: an asset and a signed decimal; null parts are skipped (no fee, unknown asset). */
export type Movement = readonly [asset: string | null | undefined, delta: string | null | undefined];

/** The movements added up per asset; zero totals are left out. */
export function effectsOf(...movements: Movement[]): BalanceEffects {
  const totals: BalanceEffects = {};
  for (const [asset, delta] of movements) {
    if (!asset || delta === null || delta === undefined || delta === "") continue;
    totals[asset] = totals[asset] === undefined ? canonical(delta) : (Precise.stringAdd(totals[asset], delta) ?? totals[asset]!);
  }
  for (const [asset, total] of Object.entries(totals)) if (isZero(total)) delete totals[asset];
  return totals;
}

/** -x, exact. */
export function negate(value: string): string {
  return Precise.stringNeg(value) ?? value;
}

/**
 * A spot-like trade (spot, margin): the buyer receives `amount` of the base and pays `cost` of
 * the quote, the seller the reverse; the fee leaves in its own currency (a negative fee, a
 * rebate, arrives).
 */
export function spotTradeEffects(trade: {
  base: string | null;
  quote: string | null;
  side: "buy" | "sell";
  amount: string;
  cost: string;
  fee: { cost: string; currency: string | null } | null;
}): BalanceEffects {
  const buy = trade.side === "buy";
  return effectsOf(
    [trade.base, buy ? trade.amount : negate(trade.amount)],
    [trade.quote, buy ? negate(trade.cost) : trade.cost],
    [trade.fee?.currency, trade.fee ? negate(trade.fee.cost) : null],
  );
}

/** The exact sum of decimal strings ("0" for none). */
export function sumDecimals(values: Iterable<string>): string {
  let total = "0";
  for (const value of values) total = Precise.stringAdd(total, value) ?? total;
  return canonical(total);
}

function canonical(value: string): string {
  return Precise.stringAdd(value, "0") ?? value;
}

function isZero(value: string): boolean {
  return !/[1-9]/.test(value.replace(/[eE].*$/, ""));
}
