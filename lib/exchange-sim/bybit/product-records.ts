// Bybit execution/list items for the derivative categories: linear (size in the coin, value in
// USDT), inverse (size in USD contracts, value in the coin) and option (size in the coin,
// premium in USDC). Fees are positive when charged and paid in the settle coin; Bybit leaves
// feeCurrency empty outside spot.

import { pow10, rescale, toPlain } from "../decimal";
import type { TradeCore, TradeHistory } from "../trades";
import type { SimTrade } from "../types";
import { bybitSymbol, settleCoin } from "./categories";
import { bybitTrade } from "./records";

const D = 8;

function derivative(h: TradeHistory, t: TradeCore): SimTrade {
  const spot = bybitTrade(h, t);
  const spec = h.markets[t.market]!;
  const symbol = bybitSymbol(h.product, spec);
  // execValue: linear/option price x qty (quote coin); inverse contracts / price (the coin).
  const value =
    h.product === "coinm"
      ? (t.qtyUnits * pow10(D + spec.priceDecimals)) / t.priceUnits
      : rescale(t.quoteUnits, spec.priceDecimals + spec.qtyDecimals, D);
  // 0.055 % taker, 0.02 % maker (Bybit's base tier), in parts per 100000
  const rate = t.maker ? 20n : 55n;
  const fee = (value * rate) / 100_000n;
  const raw = {
    ...spot.raw,
    symbol,
    feeCurrency: "",
    feeRate: toPlain(rate, 5),
    execValue: toPlain(value, D),
    execFee: toPlain(fee, D),
    closedSize: "0",
    markPrice: spot.raw.execPrice,
    indexPrice: h.product === "option" ? "" : spot.raw.execPrice,
    ...(h.product === "option" ? { underlyingPrice: "", markIv: "0.5", tradeIv: "0.5" } : {}),
  };
  return { ...spot, symbol, quote: h.product === "usdm" ? "USDT" : h.product === "option" ? "USDC" : "USD", cost: raw.execValue, fee: raw.execFee, feeCurrency: settleCoin(h.product, spec), raw, product: h.product };
}

export function bybitProductTrade(h: TradeHistory, t: TradeCore): SimTrade {
  return h.product === "spot" ? bybitTrade(h, t) : derivative(h, t);
}
