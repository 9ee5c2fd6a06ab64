// What the simulated Gate lists and how its keys look: spot pairs named BTC_USDT, isolated and
// cross margin on the USDT pairs, an APIv4 key of 32 hex digits with a 64-hex-digit secret.

import { listMarkets, type MarketSpec } from "../catalogue";
import type { SimProduct } from "../types";

/** Quote -> bases. */
export const GATE_LISTING: Record<string, string[]> = {
  USDT: ["BTC", "ETH", "SOL", "XRP", "ADA", "DOGE", "DOT", "LTC", "LINK", "AVAX", "TRX", "ATOM", "NEAR", "SUI", "TON", "PEPE", "SHIB", "USDC"],
  BTC: ["ETH", "SOL", "LTC"],
};

/** Spot, cross margin (account=cross_margin) and isolated margin (account=margin) trades of spot/my_trades. */
export const GATE_PRODUCTS: readonly SimProduct[] = ["spot", "margin", "isolated_margin"];

// catalogue.ts imports GATE_LISTING from here; listMarkets is only called at run time.
let margin: MarketSpec[] | undefined;
export function gateProductMarkets(product: SimProduct): MarketSpec[] {
  if (product !== "margin" && product !== "isolated_margin") return [];
  return (margin ??= listMarkets("gate").filter((m) => m.quote === "USDT" && m.base !== "USDC"));
}

export function gateCredentials(chars: (alphabet: string, n: number) => string): { apiKey: string; secret: string } {
  return { apiKey: chars("0123456789abcdef", 32), secret: chars("0123456789abcdef", 64) };
}
