// The simulated Kraken (Spot REST, /0/public and /0/private): everything the shared simulator
// asks of a dialect (../dialect.ts), and its REST server (dialect.ts in this folder) with Kraken's
// signatures, nonces and decaying rate-limit counter. Kraken keys hold trades only (spot and
// margin, which TradesHistory serves together).

import type { Dialect } from "../dialect";
import { KrakenDialect } from "./dialect";
import type { KrakenLimit } from "./limits";
import { KRAKEN_LISTING, krakenCredentials, krakenMarginMarkets, krakenPairId } from "./listing";
import { krakenTrade } from "./records";

export const krakenDialect: Dialect<"kraken", KrakenLimit, undefined> = {
  id: "kraken",
  name: "Kraken",
  ownsPath: (path) => path.startsWith("/0/"),
  newCredentials: (chars) => krakenCredentials(chars),
  spotListing: () => KRAKEN_LISTING,
  marketId: (m) => krakenPairId(m),
  // TradesHistory: spot and margin trades in one list
  products: ["spot", "margin"],
  productMarkets: (product, spot) => (product === "margin" ? krakenMarginMarkets(spot) : []),
  defaultHistoryDays: 180,
  accountWideIds: false,
  tradeRecord: (h, t) => krakenTrade(h, t),
  ledger: () => {
    throw new Error("the simulator keeps no ledger for Kraken keys: trades only");
  },
  samples: [
    {
      label: "MyITS Kraken bot",
      permissions: { marginTrade: true },
      ipWhitelist: ["127.0.0.1"],
      trades: { count: 1200, markets: 4, products: { spot: { count: 1200, markets: 4 }, margin: { count: 200, markets: 2 } } },
    },
  ],
  start: (keys, options) => {
    const dialect = new KrakenDialect(keys, options);
    return { handle: (req) => dialect.handle(req), resetRateLimits: () => dialect.resetRateLimits(), resetStats: () => {}, stats: () => undefined };
  },
};
