import { Precise } from "ccxt";
import { z } from "zod";
import { malformed } from "../call";
import { effectsOf, negate, spotTradeEffects } from "../effects";
import { decimalString, negateDecimal } from "../normalize";
import type { NormalizedTrade, NormalizedTransfer, Product } from "../types";

// OKX's records in the common shapes, with the balance effects OKX books for each:
// - SPOT and MARGIN fills: the buyer receives fillSz of the base and pays fillSz x fillPx of the
//   quote, the seller the reverse; the fee is signed by OKX (negative when charged) in feeCcy;
// - SWAP, FUTURES and OPTION fills: only the realized P&L (fillPnl) and the fee, both in the
//   settlement currency, which is the fee's currency on these fills;
// - deposit (state "2", credited): +amt; withdrawal (state "2", completed): -(amt + fee).
// Every amount is OKX's own string; JSON numbers in their place are refused.

const ID = "okx";
const decimal = decimalString();
const digits = z.string().regex(/^\d+$/);

/** OKX wraps every answer in { code, msg, data: [...] }; code "0" is success. */
export function okxData(raw: unknown, what: string): unknown[] {
  const parsed = z.looseObject({ code: z.union([z.string(), z.number()]), data: z.array(z.unknown()) }).safeParse(raw);
  if (!parsed.success || String(parsed.data.code) !== "0") throw malformed(ID, what);
  return parsed.data.data;
}

export const OKX_INST_TYPES = ["SPOT", "MARGIN", "SWAP", "FUTURES", "OPTION"] as const;
export type OkxInstType = (typeof OKX_INST_TYPES)[number];

/** What a fill needs from its instrument: the contract value, and whether it is linear or inverse. */
export interface OkxInstrument {
  ctVal: string;
  ctType: "linear" | "inverse" | null;
  settleCcy: string | null;
}

export const instrumentSchema = z.looseObject({
  instId: z.string(),
  ctVal: z.string(),
  ctType: z.string().optional(),
  settleCcy: z.string().optional(),
});

/** public/instruments items by instId (derivatives only: spot needs nothing from them). */
export function parseInstruments(rows: unknown[]): Map<string, OkxInstrument> {
  const parsed = z.array(instrumentSchema).safeParse(rows);
  if (!parsed.success) throw malformed(ID, "GET /api/v5/public/instruments");
  return new Map(
    parsed.data.map((i) => [
      i.instId,
      { ctVal: i.ctVal, ctType: i.ctType === "linear" || i.ctType === "inverse" ? i.ctType : null, settleCcy: i.settleCcy || null },
    ]),
  );
}

/**
 * The product of a fill. SWAP and FUTURES are USDⓈ-M when linear (USDT- or USDC-margined)
 * and COIN-M when inverse (coin-margined); without the instrument (an expired future), the
 * instId tells: OKX names inverse contracts <COIN>-USD-..., linear ones <COIN>-USDT-/-USDC-...
 */
export function okxProduct(instType: OkxInstType, instId: string, instrument: OkxInstrument | null): Product {
  switch (instType) {
    case "SPOT":
      return "spot";
    case "MARGIN":
      return "margin";
    case "OPTION":
      return "option";
    default: {
      if (instrument?.ctType) return instrument.ctType === "inverse" ? "coinm" : "usdm";
      return instId.split("-")[1] === "USD" ? "coinm" : "usdm";
    }
  }
}

/** Instrument family of a derivative instId ("BTC-USD-271231-70000-C" -> "BTC-USD"): OPTION instruments are listed per family. */
export function instFamily(instId: string): string {
  return instId.split("-").slice(0, 2).join("-");
}

const fillSchema = z.looseObject({
  instType: z.enum(OKX_INST_TYPES).optional(),
  instId: z.string(),
  tradeId: z.string().min(1),
  ordId: z.string(),
  billId: digits,
  fillPx: decimal,
  fillSz: decimal,
  fillPnl: z.union([decimal, z.literal("")]).optional(),
  side: z.enum(["buy", "sell"]),
  execType: z.string().optional(),
  fee: decimal,
  feeCcy: z.string().optional(),
  ts: digits,
});

/**
 * A raw fill (fills-history item, or a row of the fills archive, which has the same fields) in
 * the common shape, with its billId (the paging key) and instType. OKX writes fees paid as
 * negatives; the common shape has them positive.
 */
export function normalizeOkxFill(
  raw: unknown,
  instrumentOf: (instId: string) => OkxInstrument | null = () => null,
): { trade: NormalizedTrade; billId: string; instType: OkxInstType } {
  const parsed = fillSchema.safeParse(raw);
  if (!parsed.success) throw malformed(ID, "GET /api/v5/trade/fills-history");
  const f = parsed.data;
  const instType = f.instType ?? "SPOT";
  const fee = { cost: negateDecimal(f.fee), currency: f.feeCcy || null };
  const common = {
    id: f.tradeId,
    orderId: f.ordId || null,
    market: f.instId,
    side: f.side,
    timestamp: Number(f.ts),
    price: f.fillPx,
    amount: f.fillSz,
    fee,
    maker: f.execType === "M" ? true : f.execType === "T" ? false : null,
    exact: true,
    raw: raw as Record<string, unknown>,
  };
  if (instType === "SPOT" || instType === "MARGIN") {
    const [base, quote] = f.instId.split("-");
    // OKX does not send the quote amount; a product of two exact decimals is exact.
    const cost = Precise.stringMul(f.fillPx, f.fillSz) ?? "0";
    const trade: NormalizedTrade = {
      ...common,
      product: instType === "SPOT" ? "spot" : "margin",
      symbol: base && quote ? `${base}/${quote}` : null,
      cost,
      effects: spotTradeEffects({ base: base ?? null, quote: quote ?? null, side: f.side, amount: f.fillSz, cost, fee }),
    };
    return { trade, billId: f.billId, instType };
  }
  const instrument = instrumentOf(f.instId);
  const product = okxProduct(instType, f.instId, instrument);
  const trade: NormalizedTrade = {
    ...common,
    product,
    symbol: null,
    cost: contractValue(product, f.fillPx, f.fillSz, instrument),
    // a derivative fill books its realized P&L and its fee, in the settlement currency
    effects: effectsOf([f.feeCcy, f.fillPnl || null], [f.feeCcy, f.fee]),
  };
  return { trade, billId: f.billId, instType };
}

/**
 * What a derivative fill was worth, from the contract value (fillSz counts contracts): linear
 * and options price x contracts x ctVal (quote or coin), inverse contracts x ctVal (USD) / price
 * in the coin, to 8 decimals (a quotient; it books nothing, the effects do not use it). Without
 * the instrument (a delisted contract) only price x contracts can be told.
 */
function contractValue(product: Product, price: string, contracts: string, instrument: OkxInstrument | null): string {
  const notional = Precise.stringMul(price, contracts) ?? "0";
  if (!instrument) return notional;
  if (product === "coinm") {
    if (!/[1-9]/.test(price)) return "0";
    return Precise.stringDiv(Precise.stringMul(contracts, instrument.ctVal) ?? "0", price, 8) ?? "0";
  }
  return Precise.stringMul(notional, instrument.ctVal) ?? "0";
}

const depositSchema = z.looseObject({
  depId: z.string().min(1),
  ccy: z.string(),
  amt: decimal,
  state: z.string(),
  ts: digits,
  txId: z.string().optional(),
  chain: z.string().optional(),
  to: z.string().optional(),
});

const withdrawalSchema = z.looseObject({
  wdId: z.string().min(1),
  ccy: z.string(),
  amt: decimal,
  fee: z.union([decimal, z.literal("")]).optional(),
  feeCcy: z.string().optional(),
  state: z.string(),
  ts: digits,
  txId: z.string().optional(),
  chain: z.string().optional(),
  to: z.string().optional(),
});

/** An asset/deposit-history record; only a credited deposit (state "2") moved the balance. */
export function normalizeOkxDeposit(raw: unknown): NormalizedTransfer {
  const parsed = depositSchema.safeParse(raw);
  if (!parsed.success) throw malformed(ID, "GET /api/v5/asset/deposit-history");
  const d = parsed.data;
  return {
    id: d.depId,
    direction: "deposit",
    asset: d.ccy,
    amount: d.amt,
    fee: null,
    network: d.chain || null,
    address: d.to || null,
    txId: d.txId || null,
    status: d.state,
    timestamp: Number(d.ts),
    effects: d.state === "2" ? effectsOf([d.ccy, d.amt]) : {},
    raw: raw as Record<string, unknown>,
  };
}

/** An asset/withdrawal-history record; only a completed withdrawal (state "2") took amount and fee. */
export function normalizeOkxWithdrawal(raw: unknown): NormalizedTransfer {
  const parsed = withdrawalSchema.safeParse(raw);
  if (!parsed.success) throw malformed(ID, "GET /api/v5/asset/withdrawal-history");
  const w = parsed.data;
  const fee = w.fee || null;
  return {
    id: w.wdId,
    direction: "withdrawal",
    asset: w.ccy,
    amount: w.amt,
    fee,
    network: w.chain || null,
    address: w.to || null,
    txId: w.txId || null,
    status: w.state,
    timestamp: Number(w.ts),
    effects: w.state === "2" ? effectsOf([w.ccy, negate(w.amt)], [w.feeCcy || w.ccy, fee ? negate(fee) : null]) : {},
    raw: raw as Record<string, unknown>,
  };
}
