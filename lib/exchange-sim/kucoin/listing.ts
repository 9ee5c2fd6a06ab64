// What the simulated KuCoin lists and how its keys look: spot pairs named BTC-USDT, cross and
// isolated margin on the USDT pairs (KuCoin's symbols list says isMarginEnabled), an API key of
// 24 hex digits (KuCoin's key ids are MongoDB ObjectIds), a UUID secret and the passphrase chosen
// at creation.

import type { MarketSpec } from "../catalogue";
import { ALNUM } from "../keys";

/** Quote -> bases. Kept small: every fill query names one symbol and one 7-day window. */
export const KUCOIN_LISTING: Record<string, string[]> = {
  USDT: ["BTC", "ETH", "SOL", "XRP", "ADA", "DOGE", "DOT", "LTC", "LINK", "AVAX", "TRX", "ATOM", "NEAR", "SUI", "TON", "USDC"],
  BTC: ["ETH", "SOL", "XRP", "LTC"],
};

/** Cross and isolated margin trade on the USDT pairs (not the stablecoin one). */
export function kucoinMarginMarkets(spot: MarketSpec[]): MarketSpec[] {
  return spot.filter((m) => m.quote === "USDT" && m.base !== "USDC");
}

export function kucoinCredentials(chars: (alphabet: string, n: number) => string): { apiKey: string; secret: string; passphrase: string } {
  const apiKey = chars("0123456789abcdef", 24);
  const h = chars("0123456789abcdef", 32);
  const secret = `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20)}`;
  return { apiKey, secret, passphrase: `Sim-${chars(ALNUM, 10)}` };
}
