// What the simulated Kraken lists and how its keys look. Kraken names its oldest assets with an
// X (crypto) or Z (fiat) prefix and an altname (XXBT / XBT for bitcoin, XXDG / XDG for dogecoin,
// XETH / ETH); newer assets have one code. A pair's id joins the two prefixed codes when both
// assets are prefixed (XETHXXBT) and the altnames otherwise (XBTUSDT, SOLXBT), as in Kraken's
// AssetPairs. Margin trades on the USDT pairs. A key is 56 base64 characters; its secret is
// 64 random bytes in base64 (88 characters), which ccxt base64-decodes before signing.
// https://docs.kraken.com/api-reference/market-data/get-tradable-asset-pairs

import type { MarketSpec } from "../catalogue";

/** Quote -> bases (catalogue assets). */
export const KRAKEN_LISTING: Record<string, string[]> = {
  USDT: ["BTC", "ETH", "SOL", "XRP", "ADA", "DOGE", "DOT", "LTC", "LINK", "AVAX", "ATOM", "XLM", "USDC"],
  USDC: ["BTC", "ETH", "SOL"],
  BTC: ["ETH", "SOL", "LTC", "XRP"],
};

/** Kraken's asset codes where they differ from the common one: [code, altname]. */
const LEGACY: Record<string, [string, string]> = {
  BTC: ["XXBT", "XBT"],
  ETH: ["XETH", "ETH"],
  LTC: ["XLTC", "LTC"],
  XRP: ["XXRP", "XRP"],
  DOGE: ["XXDG", "XDG"],
  XLM: ["XXLM", "XLM"],
  ETC: ["XETC", "ETC"],
};

/** The asset's code in Kraken's answers (Balance keys, AssetPairs base/quote). */
export function krakenAsset(asset: string): string {
  return LEGACY[asset]?.[0] ?? asset;
}

export function krakenAltname(asset: string): string {
  return LEGACY[asset]?.[1] ?? asset;
}

export function krakenPairId(m: Pick<MarketSpec, "base" | "quote">): string {
  return LEGACY[m.base] && LEGACY[m.quote] ? krakenAsset(m.base) + krakenAsset(m.quote) : krakenAltname(m.base) + krakenAltname(m.quote);
}

/** Margin trades on the USDT pairs (not the stablecoin one). */
export function krakenMarginMarkets(spot: MarketSpec[]): MarketSpec[] {
  return spot.filter((m) => m.quote === "USDT" && m.base !== "USDC");
}

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

export function krakenCredentials(chars: (alphabet: string, n: number) => string): { apiKey: string; secret: string } {
  // 86 base64 digits and "==" encode 64 bytes when the last digit's low 4 bits are zero
  const body = chars(B64, 85) + chars("AQgw", 1);
  return { apiKey: chars(B64, 56), secret: `${body}==` };
}
