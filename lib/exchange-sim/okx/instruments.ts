// OKX instruments beyond SPOT: MARGIN (the USDT pairs), SWAP (USDT-margined perpetuals),
// FUTURES (coin-margined, one delivery date) and OPTION (coin-margined), with the contract
// values the fills' sizes are counted in. instType <-> the simulator's products.

import { assetUsdUnits, type MarketSpec } from "../catalogue";
import { pow10, toPlain } from "../decimal";
import { inverseContractUsd, productMarkets } from "../products";
import type { SimProduct } from "../types";
import { instrument } from "./records";

export type OkxInstType = "SPOT" | "MARGIN" | "SWAP" | "FUTURES" | "OPTION";

export const INST_TYPE: Partial<Record<SimProduct, OkxInstType>> = { spot: "SPOT", margin: "MARGIN", usdm: "SWAP", coinm: "FUTURES", option: "OPTION" };

export const PRODUCT_OF: Record<OkxInstType, SimProduct> = { SPOT: "spot", MARGIN: "margin", SWAP: "usdm", FUTURES: "coinm", OPTION: "option" };

/** The one listed delivery date of the simulated FUTURES and OPTION contracts. */
export const EXPIRY = "271231";
const EXPIRY_MS = Date.UTC(2027, 11, 31, 8);

/** Contract value: SWAP in the coin (a power of ten worth 10-100 USD), FUTURES in USD, OPTION in the coin. */
export function contractValue(product: SimProduct, m: MarketSpec): { units: bigint; scale: number; ccy: string } {
  if (product === "coinm") return { units: BigInt(inverseContractUsd(m.base)), scale: 0, ccy: "USD" };
  if (product === "option") return { units: 1n, scale: m.base === "BTC" ? 2 : 1, ccy: m.base };
  // Choosing the exponent from a float is fine: it picks a listing constant, not an amount.
  const usd = Number(assetUsdUnits(m.base, 8)) / 1e8;
  const k = Math.floor(Math.log10(100 / usd));
  return k >= 0 ? { units: pow10(k), scale: 0, ccy: m.base } : { units: 1n, scale: -k, ccy: m.base };
}

export function okxInstId(product: SimProduct, m: MarketSpec): string {
  switch (product) {
    case "usdm":
      return `${m.base}-USDT-SWAP`;
    case "coinm":
      return `${m.base}-USD-${EXPIRY}`;
    case "option": {
      const [, strike, kind] = m.quote.split("-");
      return `${m.base}-USD-${EXPIRY}-${strike}-${kind}`;
    }
    default:
      return `${m.base}-${m.quote}`;
  }
}

/** Settlement currency of a derivative's PnL and fees. */
export function settleCcy(product: SimProduct, m: MarketSpec): string {
  return product === "usdm" ? "USDT" : m.base;
}

function derivative(product: SimProduct, m: MarketSpec): Record<string, unknown> {
  const base = instrument(m);
  const ct = contractValue(product, m);
  const instType = INST_TYPE[product]!;
  const family = product === "usdm" ? `${m.base}-USDT` : `${m.base}-USD`;
  return {
    ...base,
    baseCcy: "",
    quoteCcy: "",
    instId: okxInstId(product, m),
    instType,
    instFamily: family,
    uly: family,
    ctMult: "1",
    ctType: product === "usdm" ? "linear" : product === "coinm" ? "inverse" : "",
    ctVal: toPlain(ct.units, ct.scale),
    ctValCcy: ct.ccy,
    settleCcy: settleCcy(product, m),
    lotSz: "1",
    minSz: "1",
    expTime: product === "usdm" ? "" : String(EXPIRY_MS),
    alias: product === "coinm" ? "quarter" : "",
    lever: product === "option" ? "" : "50",
    ...(product === "option" ? { optType: m.quote.endsWith("C") ? "C" : "P", stk: m.quote.split("-")[1] } : {}),
  };
}

/** public/instruments for one instType (SPOT is served by spotInstruments()). */
export function instrumentsOf(instType: Exclude<OkxInstType, "SPOT">, family?: string): Record<string, unknown>[] {
  const product = PRODUCT_OF[instType];
  const markets = productMarkets("okx", product);
  if (instType === "MARGIN") return markets.map((m) => ({ ...instrument(m), instType: "MARGIN" }));
  return markets.map((m) => derivative(product, m)).filter((i) => !family || i.instFamily === family);
}
