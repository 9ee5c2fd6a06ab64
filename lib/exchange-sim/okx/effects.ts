// The OKX balance rule, applied to records as the API serves them (README, "Balances"). OKX
// amounts carry up to 12 decimals (fees are size x rate), so effects are summed at 18.

import { parseDecimal, rescale } from "../decimal";
import type { Effect } from "../wallet-book";

export const OKX_SCALE = 18;

function units(s: unknown): bigint {
  const d = parseDecimal(String(s));
  return rescale(d.units, d.scale, OKX_SCALE);
}

/**
 * SPOT / MARGIN: buy +fillSz base, -fillSz x fillPx quote; sell the opposite; +fee in feeCcy
 * (OKX signs fees: negative when charged). SWAP / FUTURES / OPTION: +fillPnl and +fee, both in
 * the settlement currency (feeCcy on those fills).
 */
export function okxFillEffects(raw: Record<string, unknown>): Effect[] {
  const fee: Effect = [String(raw.feeCcy), units(raw.fee)];
  if (raw.instType === "SPOT" || raw.instType === "MARGIN") {
    const [base, quote] = String(raw.instId).split("-");
    const sz = units(raw.fillSz);
    const value = (sz * units(raw.fillPx)) / 10n ** BigInt(OKX_SCALE);
    const buy = raw.side === "buy";
    return [[base!, buy ? sz : -sz], [quote!, buy ? -value : value], fee];
  }
  return [[String(raw.feeCcy), units(raw.fillPnl)], fee];
}

/** deposit-history item (state "2" = credited): +amt. */
export function okxDepositEffects(raw: Record<string, unknown>): Effect[] {
  return raw.state === "2" ? [[String(raw.ccy), units(raw.amt)]] : [];
}

/** withdrawal-history item (state "2" = success): -(amt + fee). */
export function okxWithdrawalEffects(raw: Record<string, unknown>): Effect[] {
  return raw.state === "2" ? [[String(raw.ccy), -(units(raw.amt) + units(raw.fee))]] : [];
}
