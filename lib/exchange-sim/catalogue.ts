// The markets the simulated exchanges list. One set of assets with reference USD prices; each
// exchange lists its own subset of pairs and names them its own way (BTCUSDT, BTC-USDT).
// Precisions are chosen so that price decimals + quantity decimals <= 8: the product
// price * qty (Binance quoteQty, Bybit execValue) is then exact at the 8 decimals exchanges show.

import { integerDigits, leadingFractionZeros, parseDecimal, pow10 } from "./decimal";
import { GATE_LISTING } from "./gate/listing";
import { KUCOIN_LISTING } from "./kucoin/listing";
import type { SimExchange } from "./types";

interface AssetSpec {
  name: string;
  /** Reference price in USD, as a decimal string. */
  usd: string;
  /** Quantity step decimals when this asset is the base. */
  qtyDecimals: number;
}

const ASSETS: Record<string, AssetSpec> = {
  BTC: { name: "Bitcoin", usd: "67250.15", qtyDecimals: 5 },
  ETH: { name: "Ethereum", usd: "3480.42", qtyDecimals: 4 },
  BNB: { name: "BNB", usd: "585.30", qtyDecimals: 3 },
  SOL: { name: "Solana", usd: "152.37", qtyDecimals: 3 },
  XRP: { name: "XRP", usd: "0.5234", qtyDecimals: 1 },
  ADA: { name: "Cardano", usd: "0.4512", qtyDecimals: 1 },
  DOGE: { name: "Dogecoin", usd: "0.15870", qtyDecimals: 0 },
  DOT: { name: "Polkadot", usd: "6.842", qtyDecimals: 2 },
  LTC: { name: "Litecoin", usd: "83.45", qtyDecimals: 3 },
  LINK: { name: "Chainlink", usd: "14.62", qtyDecimals: 2 },
  AVAX: { name: "Avalanche", usd: "34.18", qtyDecimals: 2 },
  TRX: { name: "TRON", usd: "0.1213", qtyDecimals: 1 },
  POL: { name: "Polygon", usd: "0.5821", qtyDecimals: 1 },
  ATOM: { name: "Cosmos", usd: "7.91", qtyDecimals: 2 },
  UNI: { name: "Uniswap", usd: "9.87", qtyDecimals: 2 },
  ETC: { name: "Ethereum Classic", usd: "26.34", qtyDecimals: 2 },
  XLM: { name: "Stellar", usd: "0.1092", qtyDecimals: 0 },
  FIL: { name: "Filecoin", usd: "5.67", qtyDecimals: 2 },
  NEAR: { name: "NEAR Protocol", usd: "6.21", qtyDecimals: 1 },
  APT: { name: "Aptos", usd: "8.93", qtyDecimals: 2 },
  ARB: { name: "Arbitrum", usd: "0.9820", qtyDecimals: 1 },
  OP: { name: "Optimism", usd: "2.214", qtyDecimals: 2 },
  SHIB: { name: "Shiba Inu", usd: "0.00002345", qtyDecimals: 0 },
  PEPE: { name: "Pepe", usd: "0.00001187", qtyDecimals: 0 },
  SUI: { name: "Sui", usd: "1.043", qtyDecimals: 1 },
  INJ: { name: "Injective", usd: "24.87", qtyDecimals: 2 },
  AAVE: { name: "Aave", usd: "92.40", qtyDecimals: 3 },
  TON: { name: "Toncoin", usd: "6.87", qtyDecimals: 2 },
  USDT: { name: "TetherUS", usd: "1", qtyDecimals: 2 },
  USDC: { name: "USD Coin", usd: "1.0001", qtyDecimals: 2 },
  FDUSD: { name: "First Digital USD", usd: "0.9998", qtyDecimals: 2 },
};

const ALL_BASES = Object.keys(ASSETS).filter((a) => !["USDT", "USDC", "FDUSD"].includes(a));

/** Pairs per exchange, by quote: roughly the shape of each exchange's real spot listing. */
const LISTINGS: Record<SimExchange, Record<string, string[]>> = {
  binance: {
    USDT: [...ALL_BASES, "USDC", "FDUSD"],
    BTC: ["ETH", "BNB", "SOL", "XRP", "ADA", "DOGE", "DOT", "LTC", "LINK", "AVAX", "TRX", "ATOM", "UNI", "ETC", "XLM", "FIL", "NEAR", "APT", "INJ", "AAVE"],
    ETH: ["BNB", "SOL", "XRP", "ADA", "DOT", "LTC", "LINK", "AVAX", "TRX", "ATOM"],
    FDUSD: ["BTC", "ETH", "BNB", "SOL", "XRP", "DOGE", "LINK", "AVAX", "SUI", "PEPE"],
    USDC: ["BTC", "ETH", "SOL", "XRP", "DOGE"],
  },
  okx: {
    USDT: [...ALL_BASES, "USDC"],
    USDC: ["BTC", "ETH", "SOL", "XRP", "DOGE"],
    BTC: ["ETH", "SOL", "XRP", "LTC", "DOT", "LINK"],
  },
  bybit: {
    USDT: [...ALL_BASES, "USDC"],
    USDC: ["BTC", "ETH", "SOL", "XRP", "DOGE"],
    BTC: ["ETH", "SOL", "XRP"],
  },
  kucoin: KUCOIN_LISTING,
  gate: GATE_LISTING,
};

/** Scale of reference prices: enough digits for SHIB/BTC-like ratios. */
const REF_SCALE = 18;

export interface MarketSpec {
  /** Index in the exchange's listing; stable, used to seed per-market ids. */
  index: number;
  base: string;
  quote: string;
  priceDecimals: number;
  qtyDecimals: number;
  /** Reference price in units of 10^-priceDecimals of the quote. */
  refPriceUnits: bigint;
  /** Smallest order quantity (about 5 USD), in units of 10^-qtyDecimals of the base. */
  minQtyUnits: bigint;
  /** Listing time, for exchanges that report it. */
  listTime: number;
  /** Peak-to-peak price swing over the simulated history, in parts per million. */
  swingPpm: number;
}

const STABLECOINS = new Set(["USDT", "USDC", "FDUSD"]);

function usdUnits(asset: string): bigint {
  const spec = ASSETS[asset];
  if (!spec) throw new Error(`unknown asset ${asset}`);
  const { units, scale } = parseDecimal(spec.usd);
  return units * pow10(REF_SCALE - scale);
}

export function buildMarket(index: number, base: string, quote: string): MarketSpec {
  const baseSpec = ASSETS[base];
  if (!baseSpec) throw new Error(`unknown asset ${base}`);
  const ratio = (usdUnits(base) * pow10(REF_SCALE)) / usdUnits(quote); // price at REF_SCALE
  // About six significant digits, like real tick sizes; at least 2 decimals, at most 8.
  const priceDecimals =
    ratio >= pow10(REF_SCALE)
      ? Math.min(8, Math.max(2, 6 - integerDigits(ratio, REF_SCALE)))
      : Math.min(8, leadingFractionZeros(ratio, REF_SCALE) + 4);
  const qtyDecimals = Math.max(0, Math.min(baseSpec.qtyDecimals, 8 - priceDecimals));
  const refPriceUnits = ratio / pow10(REF_SCALE - priceDecimals) || 1n;
  // ceil(5 USD / usd(base)) at qtyDecimals
  const fiveUsd = 5n * pow10(REF_SCALE);
  const num = fiveUsd * pow10(qtyDecimals);
  const den = usdUnits(base);
  const minQtyUnits = (num + den - 1n) / den || 1n;
  return {
    index,
    base,
    quote,
    priceDecimals,
    qtyDecimals,
    refPriceUnits,
    minQtyUnits,
    listTime: Date.UTC(2019, 0, 1) + index * 86_400_000 * 13,
    // a stablecoin pair barely moves; everything else swings +-15 %
    swingPpm: STABLECOINS.has(base) && STABLECOINS.has(quote) ? 2_000 : 300_000,
  };
}

const cache = new Map<SimExchange, MarketSpec[]>();

/** The exchange's spot markets, in a fixed order. */
export function listMarkets(exchange: SimExchange): MarketSpec[] {
  let markets = cache.get(exchange);
  if (!markets) {
    markets = [];
    for (const [quote, bases] of Object.entries(LISTINGS[exchange])) {
      for (const base of bases) markets.push(buildMarket(markets.length, base, quote));
    }
    cache.set(exchange, markets);
  }
  return markets;
}

/** The exchange's own id of a market. */
export function marketId(exchange: SimExchange, m: Pick<MarketSpec, "base" | "quote">): string {
  if (exchange === "gate") return `${m.base}_${m.quote}`;
  return exchange === "okx" || exchange === "kucoin" ? `${m.base}-${m.quote}` : `${m.base}${m.quote}`;
}

export function findMarket(exchange: SimExchange, id: string): MarketSpec | undefined {
  return listMarkets(exchange).find((m) => marketId(exchange, m) === id);
}

/** Every asset the exchange lists in some market, sorted. */
export function listAssets(exchange: SimExchange): string[] {
  const set = new Set<string>();
  for (const m of listMarkets(exchange)) {
    set.add(m.base);
    set.add(m.quote);
  }
  return [...set].sort();
}

export function assetName(asset: string): string {
  return ASSETS[asset]?.name ?? asset;
}

/** Reference USD price of an asset at `scale` decimals (for balances that look plausible). */
export function assetUsdUnits(asset: string, scale: number): bigint {
  return usdUnits(asset) / pow10(REF_SCALE - scale);
}
