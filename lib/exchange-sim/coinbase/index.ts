// The simulated Coinbase Advanced Trade: everything the shared simulator asks of a dialect
// (../dialect.ts), and its REST server (dialect.ts in this folder) with Coinbase's per-key
// request limit. Coinbase keys hold trades only: spot fills and INTX perpetual fills (usdm),
// both served by the one fills endpoint.

import type { Dialect } from "../dialect";
import { RequestLimiter, type RequestLimit } from "../request-limiter";
import { CoinbaseDialect, isCoinbaseRequest } from "./dialect";
import { COINBASE_LISTING, coinbaseCredentials, coinbasePerpMarkets } from "./listing";
import { coinbaseFill } from "./records";

export const coinbaseDialect: Dialect<"coinbase", RequestLimit, undefined> = {
  id: "coinbase",
  name: "Coinbase Advanced Trade",
  // /api/v3 is Binance's too: Coinbase's requests are told by their /api/v3/brokerage path
  ownsPath: () => false,
  claimsRequest: (req) => isCoinbaseRequest(req),
  newCredentials: (chars) => coinbaseCredentials(chars),
  spotListing: () => COINBASE_LISTING,
  marketId: (m) => `${m.base}-${m.quote}`,
  products: ["spot", "usdm"],
  productMarkets: (product) => (product === "usdm" ? coinbasePerpMarkets() : []),
  defaultHistoryDays: 180,
  accountWideIds: false,
  tradeRecord: (h, t) => coinbaseFill(h, t),
  ledger: () => {
    throw new Error("the simulator keeps no ledger for Coinbase keys: trades only");
  },
  samples: [{ label: "MyITS Coinbase bot", ipWhitelist: ["127.0.0.1"], trades: { count: 1000, markets: 4 } }],
  start: (keys, options) => {
    const limiter = new RequestLimiter(options);
    const dialect = new CoinbaseDialect(keys, limiter);
    return { handle: (req) => dialect.handle(req), resetRateLimits: () => limiter.reset(), resetStats: () => {}, stats: () => undefined };
  },
};
