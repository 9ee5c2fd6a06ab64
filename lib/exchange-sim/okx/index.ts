// The simulated OKX: everything the shared simulator asks of a dialect (../dialect.ts), and its
// REST server (dialect.ts in this folder) with OKX's per-key request limits.

import type { Dialect } from "../dialect";
import { ALNUM, HEX } from "../keys";
import { contractMarkets, inverseMarkets, LINEAR_BASES, optionMarkets } from "../products";
import { RequestLimiter, type RequestLimit } from "../request-limiter";
import { OkxDialect } from "./dialect";
import { okxLedger } from "./ledger";
import { okxProductTrade } from "./product-records";

export const okxDialect: Dialect<"okx", RequestLimit, undefined> = {
  id: "okx",
  name: "OKX",
  ownsPath: (path) => path.startsWith("/api/v5/") || path.startsWith("/okx-archive/"),
  // a UUID as the key, 32 hex digits as the secret, and the passphrase chosen at creation
  newCredentials: (chars) => {
    const h = chars("0123456789abcdef", 32);
    const apiKey = `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20)}`;
    return { apiKey, secret: chars(HEX, 32), passphrase: `Sim-${chars(ALNUM, 10)}` };
  },
  spotListing: (bases) => ({
    USDT: [...bases, "USDC"],
    USDC: ["BTC", "ETH", "SOL", "XRP", "DOGE"],
    BTC: ["ETH", "SOL", "XRP", "LTC", "DOT", "LINK"],
  }),
  marketId: (m) => `${m.base}-${m.quote}`,
  products: ["spot", "margin", "usdm", "coinm", "option"],
  // MARGIN on the USDT pairs, SWAP (usdm) linear in contracts, FUTURES (coinm) inverse, OPTION
  productMarkets: (product, spot) => {
    switch (product) {
      case "margin":
        return spot.filter((m) => m.quote === "USDT");
      case "usdm":
        return contractMarkets(LINEAR_BASES);
      case "coinm":
        return inverseMarkets();
      case "option":
        return optionMarkets();
      default:
        return [];
    }
  },
  // OKX serves three months of fills: keep the default history inside them.
  defaultHistoryDays: 80,
  // billId orders across every instType of an account
  accountWideIds: true,
  tradeRecord: (h, t) => okxProductTrade(h, t),
  ledger: (r) => okxLedger(r),
  samples: [{ label: "MyITS OKX bot", ipWhitelist: ["127.0.0.1"], trades: { count: 1500, markets: 5 } }],
  start: (keys, options) => {
    const limiter = new RequestLimiter(options);
    const dialect = new OkxDialect(keys, limiter);
    return { handle: (req) => dialect.handle(req), resetRateLimits: () => limiter.reset(), resetStats: () => {}, stats: () => undefined };
  },
};
