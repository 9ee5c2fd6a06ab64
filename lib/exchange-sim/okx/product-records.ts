// OKX fills of every instType: MARGIN fills look like SPOT ones; SWAP, FUTURES and OPTION fills
// count whole contracts, pay a (negative) fee in the settlement currency and report the
// realized PnL of closing fills as fillPnl. One dispatcher serves the endpoints and the truth.

import { pow10, rescale, toPlain } from "../decimal";
import { hashInts, pick } from "../hash";
import type { TradeCore, TradeHistory } from "../trades";
import type { SimTrade } from "../types";
import { contractValue, INST_TYPE, okxInstId, settleCcy } from "./instruments";
import { okxTrade } from "./records";

/** Every derivative amount is printed with 8 decimals at most. */
const D = 8;
/** 0.05 % taker, 0.02 % maker on derivatives, in parts per 10000. */
const rate = (t: TradeCore): bigint => (t.maker ? 2n : 5n);

function pnl(t: TradeCore, value: bigint): bigint {
  if (pick(hashInts(t.salt, 0x9e1), 3) === 0) return 0n;
  return (value * BigInt(pick(hashInts(t.salt, 0x9e2), 2001) - 1000)) / 100_000n;
}

function derivativeFill(h: TradeHistory, t: TradeCore): SimTrade {
  const spot = okxTrade(h, t);
  const spec = h.markets[t.market]!;
  const ct = contractValue(h.product, spec);
  const ccy = settleCcy(h.product, spec);
  // Value of the fill in the settlement currency, at D decimals.
  let value: bigint;
  if (h.product === "coinm") {
    // contracts x USD value / price: coins
    value = (t.qtyUnits * ct.units * pow10(D + spec.priceDecimals)) / t.priceUnits;
  } else if (h.product === "option") {
    // premium (coin per coin of underlying) x contracts x contract value
    value = rescale(t.priceUnits * t.qtyUnits * ct.units, spec.priceDecimals + ct.scale, D);
  } else {
    value = rescale(t.priceUnits * t.qtyUnits * ct.units, spec.priceDecimals + ct.scale, D);
  }
  const fee = (value * rate(t)) / 10_000n;
  const realized = pnl(t, value);
  const instId = okxInstId(h.product, spec);
  const raw = {
    ...spot.raw,
    instType: INST_TYPE[h.product],
    instId,
    fillSz: toPlain(t.qtyUnits, 0),
    fee: toPlain(-fee, D),
    feeRate: toPlain(-rate(t), 4),
    fillPnl: toPlain(realized, D),
    feeCcy: ccy,
    tradeQuoteCcy: "",
    subType: t.side === "buy" ? "1" : "2",
  };
  return { ...spot, symbol: instId, quote: h.product === "usdm" ? "USDT" : "USD", amount: raw.fillSz, cost: toPlain(value, D), fee: toPlain(fee, D), feeCurrency: ccy, raw, product: h.product };
}

/** The OKX fill of any product's trade. */
export function okxProductTrade(h: TradeHistory, t: TradeCore): SimTrade {
  if (h.product === "spot") return okxTrade(h, t);
  if (h.product === "margin") {
    const s = okxTrade(h, t);
    return { ...s, raw: { ...s.raw, instType: "MARGIN" }, product: "margin" };
  }
  return derivativeFill(h, t);
}
