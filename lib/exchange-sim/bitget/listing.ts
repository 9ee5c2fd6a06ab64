// What the simulated Bitget lists and how its keys look: spot pairs named BTCUSDT, USDT-M
// perpetuals (BTCUSDT, margined in USDT) and COIN-M perpetuals (BTCUSD, margined in the coin,
// amounts in the coin), an HMAC key of "bg_" and 32 hex digits, a 64-hex-digit secret and the
// passphrase chosen at creation.

import { buildMarket, type MarketSpec } from "../catalogue";
import { ALNUM } from "../keys";

/** Quote -> bases. Kept small: spot fills are asked for one symbol at a time. */
export const BITGET_LISTING: Record<string, string[]> = {
  USDT: ["BTC", "ETH", "SOL", "XRP", "ADA", "DOGE", "DOT", "LTC", "LINK", "AVAX", "TRX", "SUI", "TON", "PEPE", "USDC"],
  BTC: ["ETH", "SOL", "LTC"],
};

const LINEAR = ["BTC", "ETH", "SOL", "XRP", "DOGE", "LTC", "LINK", "AVAX", "SUI", "TON"];
const INVERSE = ["BTC", "ETH", "SOL", "XRP", "LTC"];

/** USDT-M perpetuals: size in the coin, price in USDT. */
export function bitgetLinearMarkets(): MarketSpec[] {
  return LINEAR.map((b, i) => buildMarket(i, b, "USDT"));
}

/** COIN-M perpetuals: size in the coin, price in USD (USDT's reference price stands in). */
export function bitgetInverseMarkets(): MarketSpec[] {
  return INVERSE.map((b, i) => ({ ...buildMarket(i, b, "USDT"), quote: "USD" }));
}

export function bitgetCredentials(chars: (alphabet: string, n: number) => string): { apiKey: string; secret: string; passphrase: string } {
  return { apiKey: `bg_${chars("0123456789abcdef", 32)}`, secret: chars("0123456789abcdef", 64), passphrase: `Sim${chars(ALNUM, 12)}` };
}
