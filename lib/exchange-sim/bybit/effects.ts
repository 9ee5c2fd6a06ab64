// The Bybit balance rule, applied to records as the API serves them (README, "Balances").

import { parseDecimal, rescale } from "../decimal";
import type { Effect } from "../wallet-book";

export const BYBIT_SCALE = 18;

function units(s: unknown): bigint {
  const d = parseDecimal(String(s));
  return rescale(d.units, d.scale, BYBIT_SCALE);
}

/**
 * spot: Buy +execQty base, -execValue quote; Sell the opposite; -execFee in feeCurrency.
 * linear / inverse / option: -execFee in the settle coin (instruments-info settleCoin).
 */
export function bybitExecutionEffects(raw: Record<string, unknown>, category: string, base: string, quote: string, settle: string): Effect[] {
  if (category !== "spot") return [[settle, -units(raw.execFee)]];
  const qty = units(raw.execQty);
  const value = units(raw.execValue);
  const buy = raw.side === "Buy";
  return [
    [base, buy ? qty : -qty],
    [quote, buy ? -value : value],
    [String(raw.feeCurrency), -units(raw.execFee)],
  ];
}

/** deposit record (status 3 = success): +amount. */
export function bybitDepositEffects(raw: Record<string, unknown>): Effect[] {
  return raw.status === 3 ? [[String(raw.coin), units(raw.amount)]] : [];
}

/** withdrawal record (status "success"): -(amount + withdrawFee). */
export function bybitWithdrawalEffects(raw: Record<string, unknown>): Effect[] {
  return raw.status === "success" ? [[String(raw.coin), -(units(raw.amount) + units(raw.withdrawFee))]] : [];
}
