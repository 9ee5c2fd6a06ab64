// What the simulated KuCoin lists and how its keys look: spot pairs named BTC-USDT, cross and
// isolated margin on the USDT pairs (KuCoin's symbols list says isMarginEnabled), an API key of
// 24 hex digits (KuCoin's key ids are MongoDB ObjectIds) and a UUID secret.

import { listMarkets, type MarketSpec } from "../catalogue";
import type { SimProduct } from "../types";

/** Quote -> bases. Kept small: every fill query names one symbol and one 7-day window. */
export const KUCOIN_LISTING: Record<string, string[]> = {
  USDT: ["BTC", "ETH", "SOL", "XRP", "ADA", "DOGE", "DOT", "LTC", "LINK", "AVAX", "TRX", "ATOM", "NEAR", "SUI", "TON", "USDC"],
  BTC: ["ETH", "SOL", "XRP", "LTC"],
};

/** Spot fills (hf/fills) and margin fills (hf/margin/fills, cross and isolated). */
export const KUCOIN_PRODUCTS: readonly SimProduct[] = ["spot", "margin", "isolated_margin"];

/** Cross and isolated margin trade on the USDT pairs; the spot book is the same. */
export function kucoinProductMarkets(product: SimProduct): MarketSpec[] {
  return product === "margin" || product === "isolated_margin" ? kucoinMarginMarkets() : [];
}

// catalogue.ts imports KUCOIN_LISTING from here; listMarkets is only called at run time, so
// the import cycle is harmless.
let margin: MarketSpec[] | undefined;
function kucoinMarginMarkets(): MarketSpec[] {
  return (margin ??= listMarkets("kucoin").filter((m) => m.quote === "USDT" && m.base !== "USDC"));
}

export function kucoinCredentials(chars: (alphabet: string, n: number) => string): { apiKey: string; secret: string } {
  const h = chars("0123456789abcdef", 32);
  return { apiKey: chars("0123456789abcdef", 24), secret: `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20)}` };
}
