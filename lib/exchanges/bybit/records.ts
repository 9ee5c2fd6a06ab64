import { z } from "zod";
import { malformed } from "../call";
import { effectsOf, negate, spotTradeEffects } from "../effects";
import { decimalString } from "../normalize";
import type { NormalizedTrade, NormalizedTransfer, Product } from "../types";

// Bybit's records in the common shapes, with the balance effects Bybit books for each on the
// unified account:
// - spot executions: the buyer receives execQty of the base and pays execValue of the quote,
//   the seller the reverse; execFee (positive when charged) leaves in feeCurrency;
// - linear, inverse and option executions: only the fee, in the contract's settle coin (Bybit
//   leaves feeCurrency empty outside spot); P&L is booked on the position, not per execution;
// - deposit (status 3, success): +amount; withdrawal ("success"): -(amount + withdrawFee).
// Every amount is Bybit's own string; JSON numbers in their place are refused.

const ID = "bybit";
const decimal = decimalString();
const digits = z.string().regex(/^\d+$/);

/** Bybit wraps every answer in { retCode, retMsg, result }; retCode 0 is success. */
export function bybitResult(raw: unknown, what: string): Record<string, unknown> {
  const parsed = z.looseObject({ retCode: z.union([z.number(), z.string()]), result: z.record(z.string(), z.unknown()) }).safeParse(raw);
  if (!parsed.success || String(parsed.data.retCode) !== "0") throw malformed(ID, what);
  return parsed.data.result;
}

export const BYBIT_CATEGORIES = ["spot", "linear", "inverse", "option"] as const;
export type BybitCategory = (typeof BYBIT_CATEGORIES)[number];

export const PRODUCT_OF: Record<BybitCategory, Product> = { spot: "spot", linear: "usdm", inverse: "coinm", option: "option" };

/** What an export knows of a market: ccxt's unified symbol (spot) and Bybit's coin names. */
export interface BybitMarketInfo {
  symbol: string | null;
  baseId: string | null;
  quoteId: string | null;
  /** The coin a derivative's fees are paid in. */
  settleId?: string | null;
}

/**
 * A derivative's settle coin when its instrument is no longer listed (an expired contract), from
 * Bybit's naming: linear BTCUSDT / BTCPERP (USDC) / BTC-27DEC24 (USDC), inverse BTCUSD /
 * BTCUSDZ24 (the coin), options in USDC.
 */
export function fallbackSettleCoin(category: BybitCategory, symbol: string): string | null {
  if (category === "option") return "USDC";
  if (category === "inverse") return /^([A-Z0-9]+?)USD[A-Z]?\d*$/.exec(symbol)?.[1] ?? null;
  if (category === "linear") return symbol.endsWith("USDT") ? "USDT" : "USDC";
  return null;
}

const executionSchema = z.looseObject({
  symbol: z.string(),
  execId: z.string().min(1),
  orderId: z.string(),
  side: z.enum(["Buy", "Sell"]),
  execPrice: decimal,
  execQty: decimal,
  execValue: decimal,
  execFee: decimal,
  feeCurrency: z.string().optional(),
  execTime: digits,
  isMaker: z.boolean().optional(),
});

/** A raw execution/list record of a category in the common shape; Bybit's execFee is positive when paid. */
export function normalizeBybitExecution(
  raw: unknown,
  marketOf: (marketId: string) => BybitMarketInfo | null = () => null,
  category: BybitCategory = "spot",
): NormalizedTrade {
  const parsed = executionSchema.safeParse(raw);
  if (!parsed.success) throw malformed(ID, "GET /v5/execution/list");
  const e = parsed.data;
  const market = marketOf(e.symbol);
  const side = e.side === "Buy" ? "buy" : "sell";
  const common = {
    id: e.execId,
    orderId: e.orderId || null,
    product: PRODUCT_OF[category],
    market: e.symbol,
    side,
    timestamp: Number(e.execTime),
    price: e.execPrice,
    amount: e.execQty,
    cost: e.execValue,
    maker: e.isMaker ?? null,
    exact: true,
    raw: raw as Record<string, unknown>,
  } as const;
  if (category === "spot") {
    const fee = { cost: e.execFee, currency: e.feeCurrency || null };
    return {
      ...common,
      symbol: market?.symbol ?? null,
      fee,
      effects: spotTradeEffects({ base: market?.baseId ?? null, quote: market?.quoteId ?? null, side, amount: e.execQty, cost: e.execValue, fee }),
    };
  }
  const settle = e.feeCurrency || market?.settleId || fallbackSettleCoin(category, e.symbol);
  return { ...common, symbol: null, fee: { cost: e.execFee, currency: settle }, effects: effectsOf([settle, negate(e.execFee)]) };
}

const depositSchema = z.looseObject({
  id: z.string().min(1),
  coin: z.string(),
  chain: z.string().optional(),
  amount: decimal,
  txID: z.string().optional(),
  status: z.union([z.number(), z.string()]).transform(String),
  toAddress: z.string().optional(),
  successAt: digits.optional(),
  createdTime: digits.optional(),
});

const withdrawalSchema = z.looseObject({
  withdrawId: z.string().min(1),
  coin: z.string(),
  chain: z.string().optional(),
  amount: decimal,
  withdrawFee: z.union([decimal, z.literal("")]).optional(),
  txID: z.string().optional(),
  status: z.string(),
  toAddress: z.string().optional(),
  createTime: digits,
});

/** An asset/deposit/query-record row; only a successful deposit (status 3) credited the account. */
export function normalizeBybitDeposit(raw: unknown): NormalizedTransfer {
  const parsed = depositSchema.safeParse(raw);
  if (!parsed.success) throw malformed(ID, "GET /v5/asset/deposit/query-record");
  const d = parsed.data;
  return {
    id: d.id,
    direction: "deposit",
    asset: d.coin,
    amount: d.amount,
    fee: null,
    network: d.chain || null,
    address: d.toAddress || null,
    txId: d.txID || null,
    status: d.status,
    timestamp: Number(d.createdTime ?? d.successAt ?? 0),
    effects: d.status === "3" ? effectsOf([d.coin, d.amount]) : {},
    raw: raw as Record<string, unknown>,
  };
}

/** An asset/withdraw/query-record row; only a completed withdrawal ("success") took amount and fee. */
export function normalizeBybitWithdrawal(raw: unknown): NormalizedTransfer {
  const parsed = withdrawalSchema.safeParse(raw);
  if (!parsed.success) throw malformed(ID, "GET /v5/asset/withdraw/query-record");
  const w = parsed.data;
  const fee = w.withdrawFee || null;
  return {
    id: w.withdrawId,
    direction: "withdrawal",
    asset: w.coin,
    amount: w.amount,
    fee,
    network: w.chain || null,
    address: w.toAddress || null,
    txId: w.txID || null,
    status: w.status,
    timestamp: Number(w.createTime),
    effects: w.status === "success" ? effectsOf([w.coin, negate(w.amount)], [w.coin, fee ? negate(fee) : null]) : {},
    raw: raw as Record<string, unknown>,
  };
}
