// What the simulated Gate lists and how its keys look: spot pairs named BTC_USDT, isolated and
// cross margin on the USDT pairs, an APIv4 key of 32 hex digits with a 64-hex-digit secret.

import type { MarketSpec } from "../catalogue";

/** Quote -> bases. */
export const GATE_LISTING: Record<string, string[]> = {
  USDT: ["BTC", "ETH", "SOL", "XRP", "ADA", "DOGE", "DOT", "LTC", "LINK", "AVAX", "TRX", "ATOM", "NEAR", "SUI", "TON", "PEPE", "SHIB", "USDC"],
  BTC: ["ETH", "SOL", "LTC"],
};

/** Cross and isolated margin trade on the USDT pairs (not the stablecoin one). */
export function gateMarginMarkets(spot: MarketSpec[]): MarketSpec[] {
  return spot.filter((m) => m.quote === "USDT" && m.base !== "USDC");
}

export function gateCredentials(chars: (alphabet: string, n: number) => string): { apiKey: string; secret: string } {
  return { apiKey: chars("0123456789abcdef", 32), secret: chars("0123456789abcdef", 64) };
}
