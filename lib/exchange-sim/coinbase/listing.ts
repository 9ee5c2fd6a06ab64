// What the simulated Coinbase Advanced Trade lists and how its keys look: spot products named
// BTC-USDC (the catalogue has no USD; USDC stands in for it, as Coinbase lists both), INTX
// perpetuals named BTC-PERP-INTX, and CDP API keys: a key name organizations/{org}/apiKeys/{id}
// with an EC P-256 private key in PEM (SEC1, "BEGIN EC PRIVATE KEY") as the secret, the two
// things the CDP portal hands out when a key is created.

import { createECDH, createPrivateKey } from "node:crypto";
import { buildMarket, type MarketSpec } from "../catalogue";

/** Quote -> bases. */
export const COINBASE_LISTING: Record<string, string[]> = {
  USDC: ["BTC", "ETH", "SOL", "XRP", "ADA", "DOGE", "DOT", "LTC", "LINK", "AVAX", "ATOM", "UNI", "XLM", "FIL", "NEAR", "APT", "ARB", "OP", "SHIB", "SUI", "AAVE", "USDT"],
  USDT: ["BTC", "ETH", "SOL", "XRP", "DOGE"],
  BTC: ["ETH", "SOL", "LTC", "LINK"],
};

/** The quote of a perpetual's id: Coinbase International's perpetuals, margined and settled in USDC. */
export const PERP_SUFFIX = "PERP-INTX";
export const PERP_SETTLEMENT = "USDC";

const PERP_BASES = ["BTC", "ETH", "SOL", "XRP", "DOGE", "LTC", "LINK", "AVAX"];

/** INTX perpetuals: priced in USDC, sized in the coin; the id's "quote" carries PERP-INTX. */
export function coinbasePerpMarkets(): MarketSpec[] {
  return PERP_BASES.map((base, i) => ({ ...buildMarket(i, base, PERP_SETTLEMENT), quote: PERP_SUFFIX }));
}

const HEX = "0123456789abcdef";
/** The order of the P-256 group: a private scalar must lie in [1, N - 1]. */
const N = BigInt("0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551");

function uuid(chars: (alphabet: string, n: number) => string): string {
  const h = chars(HEX, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20)}`;
}

/** The SEC1 PEM of the P-256 private key with scalar `d` (64 hex digits), public key included as CDP's are. */
export function ecPrivateKeyPem(dHex: string): string {
  const ecdh = createECDH("prime256v1");
  ecdh.setPrivateKey(Buffer.from(dHex, "hex"));
  const point = ecdh.getPublicKey(); // 0x04 || x || y
  const b64 = (b: Buffer) => b.toString("base64url");
  const key = createPrivateKey({ key: { kty: "EC", crv: "P-256", d: b64(Buffer.from(dHex, "hex")), x: b64(point.subarray(1, 33)), y: b64(point.subarray(33)) }, format: "jwk" });
  return key.export({ type: "sec1", format: "pem" }).toString();
}

export function coinbaseCredentials(chars: (alphabet: string, n: number) => string): { apiKey: string; secret: string } {
  const apiKey = `organizations/${uuid(chars)}/apiKeys/${uuid(chars)}`;
  // drawn from the simulator's seed, so a seeded simulator makes the same keys every time
  let d = chars(HEX, 64);
  while (BigInt(`0x${d}`) === 0n || BigInt(`0x${d}`) >= N) d = chars(HEX, 64);
  return { apiKey, secret: ecPrivateKeyPem(d) };
}
