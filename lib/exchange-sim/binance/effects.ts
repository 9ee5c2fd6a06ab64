// The Binance balance rule, applied to records exactly as the API serves them (README,
// "Balances"). The exporter implements the same rule; the simulator uses it to build wallets
// and to report the effects total of the ground truth.

import { parseDecimal, rescale } from "../decimal";
import type { SimProduct } from "../types";
import { addEffects, type Effect } from "../wallet-book";

/** Every Binance amount has at most 8 decimals. */
export const SCALE = 8;

export { addEffects, type Effect };

function units(s: unknown): bigint {
  const d = parseDecimal(String(s));
  return rescale(d.units, d.scale, SCALE);
}

/**
 * spot / margin / isolated: buyer +qty base, -qty*price quote (quoteQty on spot); seller the
 * opposite; -commission in commissionAsset. USDⓈ-M / COIN-M trades: none of their own (their
 * PnL and fees are income rows). Options: buyer -price x quantity, seller +, -fee, all in
 * quoteAsset.
 */
export function tradeEffects(product: SimProduct, raw: Record<string, unknown>, base: string, quote: string): Effect[] {
  if (product === "usdm" || product === "coinm") return [];
  if (product === "option") {
    // the premium changes hands in quoteAsset; the fee is paid in it too
    const premium = (units(raw.price) * units(raw.quantity)) / 10n ** BigInt(SCALE);
    const asset = String(raw.quoteAsset);
    return [[asset, raw.side === "BUY" ? -premium : premium], [asset, -units(raw.fee)]];
  }
  const qty = units(raw.qty);
  // price * qty is exact at 8 decimals for every listed market (catalogue.ts precisions).
  const quoteQty = raw.quoteQty !== undefined ? units(raw.quoteQty) : (units(raw.price) * qty) / 10n ** BigInt(SCALE);
  const buyer = raw.isBuyer === true;
  return [
    [base, buyer ? qty : -qty],
    [quote, buyer ? -quoteQty : quoteQty],
    [String(raw.commissionAsset), -units(raw.commission)],
  ];
}

/** convert tradeFlow item: -fromAmount fromAsset, +toAmount toAsset. */
export function convertEffects(raw: Record<string, unknown>): Effect[] {
  return [
    [String(raw.fromAsset), -units(raw.fromAmount)],
    [String(raw.toAsset), units(raw.toAmount)],
  ];
}

/** dribblet: per detail -amount fromAsset, +transferedAmount BNB. */
export function dustEffects(raw: Record<string, unknown>): Effect[] {
  const details = raw.userAssetDribbletDetails as Record<string, unknown>[];
  return details.flatMap((d): Effect[] => [
    [String(d.fromAsset), -units(d.amount)],
    ["BNB", units(d.transferedAmount)],
  ]);
}

/** Futures income row: +income in its asset (negative for fees and losses). */
export function incomeEffects(raw: Record<string, unknown>): Effect[] {
  return [[String(raw.asset), units(raw.income)]];
}

/** Deposit (status 1 = success): +amount. */
export function depositEffects(raw: Record<string, unknown>): Effect[] {
  return raw.status === 1 ? [[String(raw.coin), units(raw.amount)]] : [];
}

/** Withdrawal (status 6 = completed): -(amount + transactionFee). */
export function withdrawalEffects(raw: Record<string, unknown>): Effect[] {
  return raw.status === 6 ? [[String(raw.coin), -(units(raw.amount) + units(raw.transactionFee))]] : [];
}

