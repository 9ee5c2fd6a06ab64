// Which markets each product trades on each exchange, and how a key's product options become
// one deterministic TradeHistory per product. Spot keeps the key's original seed and options,
// so keys created without `trades.products` have exactly the history they always had.

import { buildMarket, listMarkets, type MarketSpec } from "./catalogue";
import { hashInts, hashString } from "./hash";
import { GATE_PRODUCTS, gateProductMarkets } from "./gate/listing";
import { KUCOIN_PRODUCTS, kucoinProductMarkets } from "./kucoin/listing";
import { TradeHistory } from "./trades";
import type { SimExchange, SimProduct, SimProductOptions } from "./types";

/** Perpetuals quoted in USDT (Binance USDⓈ-M, OKX/Bybit linear swaps). */
const LINEAR_BASES = ["BTC", "ETH", "BNB", "SOL", "XRP", "ADA", "DOGE", "DOT", "LTC", "LINK", "AVAX", "TRX", "ATOM", "UNI", "ETC", "FIL", "NEAR", "APT", "ARB", "OP", "SUI", "INJ", "AAVE", "TON"];
/** Inverse perpetuals, margined and settled in the base coin (Binance COIN-M). */
const INVERSE_BASES = ["BTC", "ETH", "BNB", "SOL", "XRP", "ADA", "DOGE", "DOT", "LTC", "LINK", "ETC", "FIL"];

/** OKX options: a few strikes per coin, calls and puts, premium quoted in the coin. */
export const OPTION_STRIKES: Record<string, number[]> = { BTC: [60000, 70000, 80000], ETH: [3000, 3500, 4000] };

/** Binance COIN-M contract size in USD: 100 for BTC, 10 for every other coin (as Binance lists them). */
export function inverseContractUsd(base: string): number {
  return base === "BTC" ? 100 : 10;
}

const cache = new Map<string, MarketSpec[]>();

function linearMarkets(): MarketSpec[] {
  return LINEAR_BASES.map((b, i) => buildMarket(i, b, "USDT"));
}

function inverseMarkets(): MarketSpec[] {
  // Quantities are whole contracts; the price is the coin's USD price (USDT stands in for USD).
  return INVERSE_BASES.map((b, i) => ({ ...buildMarket(i, b, "USDT"), quote: "USD", qtyDecimals: 0, minQtyUnits: 1n }));
}

/** Linear swaps in whole contracts (OKX): the contract value is in contractValue(). */
function contractMarkets(bases: string[]): MarketSpec[] {
  return bases.map((b, i) => ({ ...buildMarket(i, b, "USDT"), qtyDecimals: 0, minQtyUnits: 1n }));
}

function optionMarkets(): MarketSpec[] {
  const out: MarketSpec[] = [];
  for (const [base, strikes] of Object.entries(OPTION_STRIKES)) {
    for (const strike of strikes) {
      for (const kind of ["C", "P"]) {
        // premium in the coin, 4 decimals, around 0.05 coin; strike and kind live in the id
        out.push({ index: out.length, base, quote: `USD-${strike}-${kind}`, priceDecimals: 4, qtyDecimals: 0, refPriceUnits: 500n, minQtyUnits: 1n, listTime: Date.UTC(2025, 0, 1), swingPpm: 300_000 });
      }
    }
  }
  return out;
}

/** The markets a product trades on, in a fixed order (index = stable id seed). */
export function productMarkets(exchange: SimExchange, product: SimProduct): MarketSpec[] {
  const id = `${exchange}:${product}`;
  let markets = cache.get(id);
  if (!markets) {
    if (exchange !== "binance" && product !== "spot") {
      markets = exchange === "okx" ? okxProductMarkets(product) : exchange === "kucoin" ? kucoinProductMarkets(product) : exchange === "gate" ? gateProductMarkets(product) : bybitProductMarkets(product);
      cache.set(id, markets);
      return markets;
    }
    switch (product) {
      case "spot":
        markets = listMarkets(exchange);
        break;
      case "margin":
      case "isolated_margin":
        // Binance lends on its USDT and BTC pairs (exchangeInfo isMarginTradingAllowed).
        markets = listMarkets(exchange).filter((m) => m.quote === "USDT" || m.quote === "BTC");
        break;
      case "usdm":
        markets = linearMarkets();
        break;
      case "coinm":
        markets = inverseMarkets();
        break;
      case "option":
        markets = premiumOptions("USDT");
        break;
    }
    cache.set(id, markets);
  }
  return markets;
}

/** OKX: MARGIN on the USDT pairs, SWAP (usdm) linear in contracts, FUTURES (coinm) inverse, OPTION. */
function okxProductMarkets(product: SimProduct): MarketSpec[] {
  switch (product) {
    case "margin":
      return listMarkets("okx").filter((m) => m.quote === "USDT");
    case "usdm":
      return contractMarkets(LINEAR_BASES);
    case "coinm":
      return inverseMarkets();
    case "option":
      return optionMarkets();
    default:
      return [];
  }
}

/**
 * Options with the premium in a stablecoin (Binance: USDT, Bybit: USDC): 0.1 steps, size in the
 * coin (0.01 steps); the strike and kind ride in `quote` ("USDT-70000-C") for the symbol.
 */
function premiumOptions(stable: string): MarketSpec[] {
  const out: MarketSpec[] = [];
  for (const [base, strikes] of Object.entries(OPTION_STRIKES)) {
    for (const strike of strikes) {
      for (const kind of ["C", "P"]) {
        const ref = base === "BTC" ? 20_000n : 1_500n;
        out.push({ index: out.length, base, quote: `${stable}-${strike}-${kind}`, priceDecimals: 1, qtyDecimals: 2, refPriceUnits: ref, minQtyUnits: 1n, listTime: Date.UTC(2025, 0, 1), swingPpm: 300_000 });
      }
    }
  }
  return out;
}

/** Bybit: linear perpetuals in the coin (BTCUSDT), inverse in USD contracts (BTCUSD), USDC options. */
function bybitProductMarkets(product: SimProduct): MarketSpec[] {
  switch (product) {
    case "usdm":
      return linearMarkets();
    case "coinm":
      return inverseMarkets();
    case "option":
      return premiumOptions("USDC");
    default:
      return [];
  }
}

/** Products each dialect can serve a history for. */
export const SERVED_PRODUCTS: Record<SimExchange, readonly SimProduct[]> = {
  binance: ["spot", "margin", "isolated_margin", "usdm", "coinm", "option"],
  okx: ["spot", "margin", "usdm", "coinm", "option"],
  bybit: ["spot", "usdm", "coinm", "option"],
  kucoin: KUCOIN_PRODUCTS,
  gate: GATE_PRODUCTS,
};

export function chooseMarkets(all: MarketSpec[], seed: number, n: number, what: string): MarketSpec[] {
  if (n > all.length) throw new Error(`${what}: only ${all.length} markets are listed`);
  // Fisher-Yates driven by the seed: the same seed always picks the same markets in the same order.
  const order = all.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = hashInts(seed, i, 0x5ed) % (i + 1);
    [order[i], order[j]] = [order[j] ?? 0, order[i] ?? 0];
  }
  return order.slice(0, n).map((i) => all[i]!);
}

/** A non-spot product's seed: derived from the key's trade seed and the product's name. */
export function productSeed(tradeSeed: number, product: SimProduct): number {
  return product === "spot" ? tradeSeed : hashInts(tradeSeed, hashString(product));
}

export function buildProductHistory(
  exchange: SimExchange,
  product: SimProduct,
  tradeSeed: number,
  o: SimProductOptions,
  defaultStart: number,
  endTime: number,
): TradeHistory {
  if (!SERVED_PRODUCTS[exchange].includes(product)) throw new Error(`trades.products.${product}: the ${exchange} dialect does not serve it`);
  const seed = productSeed(tradeSeed, product);
  const markets = chooseMarkets(productMarkets(exchange, product), seed, o.markets, `trades.products.${product}.markets (${exchange})`);
  const startTime = o.startTime?.getTime() ?? defaultStart;
  return new TradeHistory({ seed, count: o.count, markets, startTime, endTime, product, accountWideIds: exchange === "okx" });
}
