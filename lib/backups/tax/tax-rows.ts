import { Precise } from "ccxt";
import { JsonText, type BackupConversion, type BackupEffects, type BackupIncome, type BackupTrade, type BackupTransfer } from "@/lib/backups/archive/types";

// A backup's records as the movements a tax tool imports: what left the account, what arrived,
// the fee, and a label for what is not a plain trade or transfer. Pure: the CSV layouts of each
// tool are in tax-csv.ts.
//
// - Spot and margin trades: the two assets that changed hands and the fee. They are read from the
//   trade's balance effects with the fee added back, so they are exact whichever asset the fee
//   was paid in.
// - Futures trades move no asset (their P&L and commissions are income rows): no movement.
//   Option trades are left out too: a premium is neither a trade of two assets nor a transfer, and
//   both tools want it entered by hand.
// - Deposits and withdrawals (completed ones only: their effects are not empty); convert and dust
//   conversions; income: realized P&L, funding and commissions, labelled.

export type TaxLabel = "realized_gain" | "realized_loss" | "funding_received" | "funding_paid" | "commission" | "income" | null;

export interface TaxMovement {
  at: Date;
  sent: { amount: string; currency: string } | null;
  received: { amount: string; currency: string } | null;
  fee: { amount: string; currency: string } | null;
  label: TaxLabel;
  description: string;
  txHash: string | null;
}

function effectsOf(effects: BackupEffects): Record<string, string> {
  return effects instanceof JsonText ? (JSON.parse(effects.text) as Record<string, string>) : effects;
}

const isNegative = (value: string) => value.startsWith("-");
const abs = (value: string) => (isNegative(value) ? value.slice(1) : value);
const add = (a: string, b: string) => Precise.stringAdd(a, b) ?? a;

export function tradeMovement(trade: BackupTrade): TaxMovement | null {
  if (trade.product !== "spot" && trade.product !== "margin" && trade.product !== "isolated_margin") return null;
  const gross = { ...effectsOf(trade.effects) };
  // add the fee back: what remains is what was bought and what was paid for it
  if (trade.fee && trade.feeCurrency) gross[trade.feeCurrency] = add(gross[trade.feeCurrency] ?? "0", trade.fee);
  const moved = Object.entries(gross).filter(([, delta]) => /[1-9]/.test(delta));
  const sent = moved.find(([, delta]) => isNegative(delta));
  const received = moved.find(([, delta]) => !isNegative(delta));
  // effects unknown (a version 1 archive, or an adapter without market data): nothing to say
  if (!sent || !received) return null;
  return {
    at: trade.tradedAt,
    sent: { amount: abs(sent[1]), currency: sent[0] },
    received: { amount: received[1], currency: received[0] },
    fee: trade.fee && trade.feeCurrency && /[1-9]/.test(trade.fee) ? { amount: abs(trade.fee), currency: trade.feeCurrency } : null,
    label: null,
    description: `${trade.exchange} ${trade.product === "spot" ? "" : `${trade.product.replace("_", " ")} `}${trade.side} ${trade.market} (trade ${trade.tradeId})`,
    txHash: null,
  };
}

export function transferMovement(transfer: BackupTransfer): TaxMovement | null {
  // a deposit or withdrawal that did not complete moved nothing
  if (Object.keys(effectsOf(transfer.effects)).length === 0) return null;
  const amount = { amount: transfer.amount, currency: transfer.asset };
  const deposit = transfer.direction === "deposit";
  return {
    at: transfer.occurredAt,
    sent: deposit ? null : amount,
    received: deposit ? amount : null,
    fee: !deposit && transfer.fee && /[1-9]/.test(transfer.fee) ? { amount: transfer.fee, currency: transfer.asset } : null,
    label: null,
    description: `${transfer.exchange} ${transfer.direction} ${transfer.transferId}${transfer.network ? ` on ${transfer.network}` : ""}`,
    txHash: transfer.txId,
  };
}

export function conversionMovement(conversion: BackupConversion): TaxMovement | null {
  if (Object.keys(effectsOf(conversion.effects)).length === 0) return null;
  return {
    at: conversion.occurredAt,
    sent: { amount: conversion.fromAmount, currency: conversion.fromAsset },
    // dust: what arrived is already net of the service charge, so no fee is added on top
    received: { amount: conversion.toAmount, currency: conversion.toAsset },
    fee: null,
    label: null,
    description: `${conversion.exchange} ${conversion.kind} ${conversion.conversionId}${conversion.kind === "dust" && conversion.fee ? ` (service charge ${conversion.fee} ${conversion.feeAsset ?? ""} already deducted)` : ""}`,
    txHash: null,
  };
}

export function incomeMovement(income: BackupIncome): TaxMovement | null {
  if (!/[1-9]/.test(income.amount) || Object.keys(effectsOf(income.effects)).length === 0) return null;
  const negative = isNegative(income.amount);
  const amount = { amount: abs(income.amount), currency: income.asset };
  const label: TaxLabel =
    income.kind === "realized_pnl"
      ? negative ? "realized_loss" : "realized_gain"
      : income.kind === "funding"
        ? negative ? "funding_paid" : "funding_received"
        : income.kind === "commission"
          ? "commission"
          : "income";
  return {
    at: income.occurredAt,
    sent: negative ? amount : null,
    received: negative ? null : amount,
    fee: null,
    label,
    description: `${income.exchange} ${income.product} ${income.exchangeType}${income.market ? ` ${income.market}` : ""} (${income.incomeId})`,
    txHash: null,
  };
}
