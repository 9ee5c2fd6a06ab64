// Bybit categories <-> the simulator's products, each category's symbols and settle coins, and
// the instruments-info entries of the derivative categories.

import type { MarketSpec } from "../catalogue";
import { toPlain } from "../decimal";
import { productMarkets } from "../products";
import type { SimProduct } from "../types";

export type BybitCategory = "spot" | "linear" | "inverse" | "option";

export const PRODUCT_OF: Record<BybitCategory, SimProduct> = { spot: "spot", linear: "usdm", inverse: "coinm", option: "option" };
export const CATEGORY_OF: Partial<Record<SimProduct, BybitCategory>> = { spot: "spot", usdm: "linear", coinm: "inverse", option: "option" };

/** The one delivery date of the simulated options. */
const EXPIRY = "31DEC27";
const EXPIRY_MS = Date.UTC(2027, 11, 31, 8);

export function bybitSymbol(product: SimProduct, m: MarketSpec): string {
  if (product === "coinm") return `${m.base}USD`;
  if (product === "option") {
    const [, strike, kind] = m.quote.split("-");
    return `${m.base}-${EXPIRY}-${strike}-${kind}`;
  }
  return `${m.base}${m.quote}`;
}

/** The coin derivative fees are paid in (instruments-info settleCoin). */
export function settleCoin(product: SimProduct, m: MarketSpec): string {
  if (product === "usdm") return "USDT";
  if (product === "option") return "USDC";
  return m.base;
}

export function derivativeInstruments(category: Exclude<BybitCategory, "spot">): Record<string, unknown>[] {
  const product = PRODUCT_OF[category];
  return productMarkets("bybit", product).map((m) => ({
    symbol: bybitSymbol(product, m),
    contractType: category === "option" ? "" : category === "linear" ? "LinearPerpetual" : "InversePerpetual",
    ...(category === "option" ? { optionsType: m.quote.endsWith("C") ? "Call" : "Put", deliveryTime: String(EXPIRY_MS) } : { deliveryTime: "0" }),
    status: "Trading",
    baseCoin: m.base,
    quoteCoin: category === "linear" ? "USDT" : category === "option" ? "USDC" : "USD",
    settleCoin: settleCoin(product, m),
    launchTime: String(m.listTime),
    priceScale: String(m.priceDecimals),
    priceFilter: { minPrice: toPlain(1n, m.priceDecimals), maxPrice: "1999999", tickSize: toPlain(1n, m.priceDecimals) },
    lotSizeFilter: { maxOrderQty: "1000000", minOrderQty: toPlain(m.minQtyUnits, m.qtyDecimals), qtyStep: toPlain(1n, m.qtyDecimals) },
  }));
}
