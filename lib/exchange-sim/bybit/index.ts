// The simulated Bybit: everything the shared simulator asks of a dialect (../dialect.ts), and its
// REST server (dialect.ts in this folder) with Bybit's per-UID request limits.

import type { Dialect } from "../dialect";
import { ALNUM } from "../keys";
import { inverseMarkets, linearMarkets, premiumOptions } from "../products";
import { RequestLimiter, type RequestLimit } from "../request-limiter";
import { BybitDialect } from "./dialect";
import { bybitLedger } from "./ledger";
import { bybitProductTrade } from "./product-records";

const DAY = 86_400_000;

export const bybitDialect: Dialect<"bybit", RequestLimit, undefined> = {
  id: "bybit",
  name: "Bybit",
  ownsPath: (path) => path.startsWith("/v5/"),
  newCredentials: (chars) => ({ apiKey: chars(ALNUM, 18), secret: chars(ALNUM, 36) }),
  spotListing: (bases) => ({
    USDT: [...bases, "USDC"],
    USDC: ["BTC", "ETH", "SOL", "XRP", "DOGE"],
    BTC: ["ETH", "SOL", "XRP"],
  }),
  marketId: (m) => `${m.base}${m.quote}`,
  products: ["spot", "usdm", "coinm", "option"],
  // linear perpetuals in the coin (BTCUSDT), inverse in USD contracts (BTCUSD), USDC options
  productMarkets: (product) => {
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
  },
  defaultHistoryDays: 180,
  accountWideIds: false,
  tradeRecord: (h, t) => bybitProductTrade(h, t),
  ledger: (r) => bybitLedger(r),
  samples: [
    {
      label: "MyITS Bybit bot",
      permissions: { transfer: true },
      expiresAt: new Date(Date.now() + 20 * DAY),
      trades: { count: 1500, markets: 5 },
    },
  ],
  start: (keys, options) => {
    const limiter = new RequestLimiter(options);
    const dialect = new BybitDialect(keys, limiter);
    return { handle: (req) => dialect.handle(req), resetRateLimits: () => limiter.reset(), resetStats: () => {}, stats: () => undefined };
  },
};
