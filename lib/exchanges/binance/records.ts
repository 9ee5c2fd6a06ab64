import { Precise } from "ccxt";
import { z } from "zod";
import { malformed } from "../call";
import { effectsOf, negate, spotTradeEffects } from "../effects";
import { decimalString } from "../normalize";
import type { NormalizedConversion, NormalizedIncome, NormalizedTrade, NormalizedTransfer, Product } from "../types";

// Binance's records in the common shapes, with the balance effects Binance books for each:
// - spot and margin trades: the buyer receives the base and pays the quote (margin records
//   carry no quoteQty: price x qty, exact), the commission leaves in its asset;
// - USDⓈ-M and COIN-M trades book nothing themselves: their realized P&L and commission arrive
//   as income rows (REALIZED_PNL, COMMISSION), as does funding (FUNDING_FEE);
// - convert: from-asset out, to-asset in; dust: each small balance out, its BNB in;
// - deposit (status 1, success): in; withdrawal (status 6, completed): amount and fee out.
// Amounts are Binance's own strings; a JSON number in their place is refused (its text is lost).

const ID = "binance";
const decimal = decimalString();
const digits = z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/)]).transform(String);
const millis = z.union([z.number(), z.string().regex(/^\d+$/)]).transform(Number);

/** What an export knows of a market: ccxt's unified symbol and Binance's asset names. */
export interface BinanceMarketInfo {
  symbol: string | null;
  baseId: string | null;
  quoteId: string | null;
}

const spotTradeSchema = z.looseObject({
  symbol: z.string(),
  id: digits,
  orderId: digits,
  price: decimal,
  qty: decimal,
  quoteQty: decimal.optional(),
  commission: decimal,
  commissionAsset: z.string().nullable(),
  time: millis,
  isBuyer: z.boolean(),
  isMaker: z.boolean(),
});

/** A raw spot or margin myTrades record in the common shape. */
export function normalizeBinanceTrade(raw: unknown, market: BinanceMarketInfo | null, product: Product = "spot"): NormalizedTrade {
  const parsed = spotTradeSchema.safeParse(raw);
  if (!parsed.success) throw malformed(ID, product === "spot" ? "GET /api/v3/myTrades" : "GET /sapi/v1/margin/myTrades");
  const t = parsed.data;
  const side = t.isBuyer ? "buy" : "sell";
  const fee = { cost: t.commission, currency: t.commissionAsset };
  // margin records have no quoteQty; a product of two exact decimals is exact
  const cost = t.quoteQty ?? Precise.stringMul(t.price, t.qty) ?? "0";
  return {
    id: t.id,
    orderId: t.orderId,
    product,
    market: t.symbol,
    symbol: market?.symbol ?? null,
    side,
    timestamp: t.time,
    price: t.price,
    amount: t.qty,
    cost,
    fee,
    maker: t.isMaker,
    exact: true,
    effects: spotTradeEffects({ base: market?.baseId ?? null, quote: market?.quoteId ?? null, side, amount: t.qty, cost, fee }),
    raw: raw as Record<string, unknown>,
  };
}

const futuresTradeSchema = z.looseObject({
  symbol: z.string(),
  id: digits,
  orderId: digits,
  side: z.enum(["BUY", "SELL"]),
  price: decimal,
  qty: decimal,
  quoteQty: decimal.optional(),
  baseQty: decimal.optional(),
  commission: decimal,
  commissionAsset: z.string(),
  time: millis,
  maker: z.boolean(),
});

/**
 * A raw USDⓈ-M or COIN-M userTrades record. Its cost is the quote value (USDⓈ-M quoteQty) or the
 * base value (COIN-M baseQty: contracts are worth USD); it books no balance effect of its own.
 */
export function normalizeBinanceFuturesTrade(raw: unknown, product: "usdm" | "coinm", symbol: string | null): NormalizedTrade {
  const parsed = futuresTradeSchema.safeParse(raw);
  if (!parsed.success) throw malformed(ID, product === "usdm" ? "GET /fapi/v1/userTrades" : "GET /dapi/v1/userTrades");
  const t = parsed.data;
  return {
    id: t.id,
    orderId: t.orderId,
    product,
    market: t.symbol,
    symbol,
    side: t.side === "BUY" ? "buy" : "sell",
    timestamp: t.time,
    price: t.price,
    amount: t.qty,
    cost: (product === "usdm" ? t.quoteQty : t.baseQty) ?? "0",
    fee: { cost: t.commission, currency: t.commissionAsset },
    maker: t.maker,
    exact: true,
    effects: {},
    raw: raw as Record<string, unknown>,
  };
}

const incomeSchema = z.looseObject({
  symbol: z.string().optional(),
  incomeType: z.string(),
  income: decimal,
  asset: z.string(),
  time: millis,
  tranId: digits,
});

const INCOME_KINDS: Record<string, NormalizedIncome["kind"]> = {
  FUNDING_FEE: "funding",
  REALIZED_PNL: "realized_pnl",
  COMMISSION: "commission",
};

/**
 * A raw fapi/dapi income row. Binance reuses a tranId across the types of one booking (a
 * trade's commission and its realized P&L), so the id is type and tranId together.
 */
export function normalizeBinanceIncome(raw: unknown, product: "usdm" | "coinm"): NormalizedIncome {
  const parsed = incomeSchema.safeParse(raw);
  if (!parsed.success) throw malformed(ID, product === "usdm" ? "GET /fapi/v1/income" : "GET /dapi/v1/income");
  const r = parsed.data;
  return {
    id: `${r.incomeType}:${r.tranId}`,
    product,
    kind: INCOME_KINDS[r.incomeType] ?? "other",
    exchangeType: r.incomeType,
    asset: r.asset,
    amount: r.income,
    market: r.symbol || null,
    timestamp: r.time,
    // TRANSFER rows move funds between Binance's own wallets: no change to the account's total
    effects: r.incomeType === "TRANSFER" ? {} : effectsOf([r.asset, r.income]),
    raw: raw as Record<string, unknown>,
  };
}

const convertSchema = z.looseObject({
  quoteId: z.string().optional(),
  orderId: digits,
  orderStatus: z.string(),
  fromAsset: z.string(),
  fromAmount: decimal,
  toAsset: z.string(),
  toAmount: decimal,
  createTime: millis,
});

/** A convert/tradeFlow item; only SUCCESS orders moved anything. */
export function normalizeBinanceConvert(raw: unknown): NormalizedConversion {
  const parsed = convertSchema.safeParse(raw);
  if (!parsed.success) throw malformed(ID, "GET /sapi/v1/convert/tradeFlow");
  const c = parsed.data;
  const done = c.orderStatus === "SUCCESS";
  return {
    id: c.orderId,
    kind: "convert",
    fromAsset: c.fromAsset,
    fromAmount: c.fromAmount,
    toAsset: c.toAsset,
    toAmount: c.toAmount,
    fee: null,
    feeAsset: null,
    timestamp: c.createTime,
    effects: done ? effectsOf([c.fromAsset, negate(c.fromAmount)], [c.toAsset, c.toAmount]) : {},
    raw: raw as Record<string, unknown>,
  };
}

const dustDetailSchema = z.looseObject({
  transId: digits,
  fromAsset: z.string(),
  amount: decimal,
  transferedAmount: decimal,
  serviceChargeAmount: decimal,
  operateTime: millis,
});

/** One small balance of an asset/dribblet operation, converted to BNB (net of the service charge). */
export function normalizeBinanceDust(raw: unknown): NormalizedConversion {
  const parsed = dustDetailSchema.safeParse(raw);
  if (!parsed.success) throw malformed(ID, "GET /sapi/v1/asset/dribblet");
  const d = parsed.data;
  return {
    id: `${d.transId}:${d.fromAsset}`,
    kind: "dust",
    fromAsset: d.fromAsset,
    fromAmount: d.amount,
    toAsset: "BNB",
    toAmount: d.transferedAmount,
    fee: d.serviceChargeAmount,
    feeAsset: "BNB",
    timestamp: d.operateTime,
    effects: effectsOf([d.fromAsset, negate(d.amount)], ["BNB", d.transferedAmount]),
    raw: raw as Record<string, unknown>,
  };
}

const depositSchema = z.looseObject({
  id: z.union([z.string(), z.number()]).transform(String).optional(),
  txId: z.string().nullable().optional(),
  coin: z.string(),
  amount: decimal,
  network: z.string().nullable().optional(),
  address: z.string().nullable().optional(),
  status: z.union([z.number(), z.string()]).transform(String),
  insertTime: millis,
});

const withdrawalSchema = z.looseObject({
  id: z.union([z.string(), z.number()]).transform(String),
  txId: z.string().nullable().optional(),
  coin: z.string(),
  amount: decimal,
  transactionFee: decimal.optional(),
  network: z.string().nullable().optional(),
  address: z.string().nullable().optional(),
  status: z.union([z.number(), z.string()]).transform(String),
  applyTime: z.union([millis, z.string()]),
  completeTime: z.union([millis, z.string()]).optional(),
});

/** A capital/deposit/hisrec record; only a successful deposit (status 1) credited the account. */
export function normalizeBinanceDeposit(raw: unknown): NormalizedTransfer {
  const parsed = depositSchema.safeParse(raw);
  if (!parsed.success) throw malformed(ID, "GET /sapi/v1/capital/deposit/hisrec");
  const d = parsed.data;
  return {
    // older records have no id: the transaction and the asset identify them
    id: d.id ?? `${d.txId ?? ""}:${d.coin}:${d.insertTime}`,
    direction: "deposit",
    asset: d.coin,
    amount: d.amount,
    fee: null,
    network: d.network ?? null,
    address: d.address ?? null,
    txId: d.txId ?? null,
    status: d.status,
    timestamp: d.insertTime,
    effects: d.status === "1" ? effectsOf([d.coin, d.amount]) : {},
    raw: raw as Record<string, unknown>,
  };
}

/** A capital/withdraw/history record; only a completed withdrawal (status 6) debited the account. */
export function normalizeBinanceWithdrawal(raw: unknown): NormalizedTransfer {
  const parsed = withdrawalSchema.safeParse(raw);
  if (!parsed.success) throw malformed(ID, "GET /sapi/v1/capital/withdraw/history");
  const w = parsed.data;
  const applied = typeof w.applyTime === "number" ? w.applyTime : Date.parse(`${w.applyTime.replace(" ", "T")}Z`);
  const fee = w.transactionFee ?? null;
  return {
    id: w.id,
    direction: "withdrawal",
    asset: w.coin,
    amount: w.amount,
    fee,
    network: w.network ?? null,
    address: w.address ?? null,
    txId: w.txId ?? null,
    status: w.status,
    timestamp: applied,
    effects: w.status === "6" ? effectsOf([w.coin, negate(w.amount)], [w.coin, fee ? negate(fee) : null]) : {},
    raw: raw as Record<string, unknown>,
  };
}
