// The simulated Binance: everything the shared simulator asks of a dialect (dialect.ts), and the
// REST server (dialect.ts in this folder) with its weight pools.

import type { Dialect } from "../dialect";
import { ALNUM } from "../keys";
import { inverseMarkets, linearMarkets, premiumOptions } from "../products";
import type { SimWeightPool } from "../types";
import { binanceBook } from "./book";
import { BinanceDialect } from "./dialect";
import { binanceLedger } from "./ledger";
import { BinancePools, type BinancePool, type PoolLimits } from "./pools";
import { binanceProductTrade } from "./product-records";

const DAY = 86_400_000;

/** What sim.stats().binance reports: the spot pool (/api + /sapi IP weight) at the top, every pool below. */
export interface BinanceStats extends SimWeightPool {
  pools: Record<BinancePool, SimWeightPool>;
}

export const binanceDialect: Dialect<"binance", PoolLimits, BinanceStats> = {
  id: "binance",
  name: "Binance",
  // /binance-statements/: the pre-signed links of its history files (statements.ts)
  ownsPath: (path) => path.startsWith("/binance-statements/") || /^\/(api\/v[13]|sapi\/v[1-4]|fapi\/v[1-3]|dapi\/v[12]|eapi\/v1|papi\/v[12]|futures\/data)\//.test(path),
  // 64 alphanumerics each, like Binance's HMAC keys
  newCredentials: (chars) => ({ apiKey: chars(ALNUM, 64), secret: chars(ALNUM, 64) }),
  spotListing: (bases) => ({
    USDT: [...bases, "USDC", "FDUSD"],
    BTC: ["ETH", "BNB", "SOL", "XRP", "ADA", "DOGE", "DOT", "LTC", "LINK", "AVAX", "TRX", "ATOM", "UNI", "ETC", "XLM", "FIL", "NEAR", "APT", "INJ", "AAVE"],
    ETH: ["BNB", "SOL", "XRP", "ADA", "DOT", "LTC", "LINK", "AVAX", "TRX", "ATOM"],
    FDUSD: ["BTC", "ETH", "BNB", "SOL", "XRP", "DOGE", "LINK", "AVAX", "SUI", "PEPE"],
    USDC: ["BTC", "ETH", "SOL", "XRP", "DOGE"],
  }),
  marketId: (m) => `${m.base}${m.quote}`,
  products: ["spot", "margin", "isolated_margin", "usdm", "coinm", "option"],
  productMarkets: (product, spot) => {
    switch (product) {
      case "margin":
      case "isolated_margin":
        // Binance lends on its USDT and BTC pairs (exchangeInfo isMarginTradingAllowed).
        return spot.filter((m) => m.quote === "USDT" || m.quote === "BTC");
      case "usdm":
        return linearMarkets();
      case "coinm":
        return inverseMarkets();
      case "option":
        return premiumOptions("USDT");
    }
  },
  defaultHistoryDays: 180,
  accountWideIds: false,
  tradeRecord: (h, t) => binanceProductTrade(h, t),
  ledger: (r, tradeRecord, isDelisted) => binanceLedger(r, tradeRecord, isDelisted),
  completeAccountFacts: (r) => binanceBook(r).facts,
  samples: [
    { label: "MyITS bot (read + spot)", trades: { count: 5000, markets: 8 } },
    {
      label: "Old key with withdrawals",
      permissions: { withdraw: true, transfer: true },
      createdAt: new Date(Date.now() - 400 * DAY),
      trades: { count: 800, markets: 5 },
    },
    {
      // every product a complete backup covers, with balances that follow from the records
      label: "Complete account (spot, margin, futures, convert, dust)",
      permissions: { marginTrade: true, futuresTrade: true },
      trades: {
        count: 3000,
        markets: 6,
        products: { margin: { count: 800, markets: 3 }, isolated_margin: { count: 200, markets: 2 }, usdm: { count: 1500, markets: 4 }, coinm: { count: 400, markets: 2 } },
      },
      ledger: { converts: 30, dust: 4, income: 150, delisted: 1 },
    },
  ],
  start: (keys, options) => {
    const pools = new BinancePools(options);
    const dialect = new BinanceDialect(keys, pools);
    const spot = pools.limiters.spot;
    return {
      handle: (req) => dialect.handle(req),
      resetRateLimits: () => pools.reset(),
      resetStats: () => pools.resetCounters(),
      stats: (now) => ({ usedWeight: spot.usedWeight(now), rateLimited429: spot.rateLimited429, banned418: spot.banned418, windowPeaks: spot.windowPeaks(), pools: pools.stats(now) }),
    };
  },
};
