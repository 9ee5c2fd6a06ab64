// The simulated Gate (APIv4): everything the shared simulator asks of a dialect (../dialect.ts),
// and its REST server (dialect.ts in this folder) with Gate's per-key endpoint limits. Gate keys
// hold trades only (spot, cross and isolated margin).

import type { Dialect } from "../dialect";
import { RequestLimiter, type RequestLimit } from "../request-limiter";
import { GateDialect } from "./dialect";
import { GATE_LISTING, gateCredentials, gateMarginMarkets } from "./listing";
import { gateTrade } from "./records";

export const gateDialect: Dialect<"gate", RequestLimit, undefined> = {
  id: "gate",
  name: "Gate",
  ownsPath: (path) => path.startsWith("/api/v4/"),
  newCredentials: (chars) => gateCredentials(chars),
  spotListing: () => GATE_LISTING,
  marketId: (m) => `${m.base}_${m.quote}`,
  // spot/my_trades: account=spot, cross_margin (margin) and margin (isolated_margin)
  products: ["spot", "margin", "isolated_margin"],
  productMarkets: (product, spot) => (product === "margin" || product === "isolated_margin" ? gateMarginMarkets(spot) : []),
  defaultHistoryDays: 180,
  accountWideIds: false,
  tradeRecord: (h, t) => gateTrade(h, t),
  ledger: () => {
    throw new Error("the simulator keeps no ledger for Gate keys: trades only");
  },
  samples: [{ label: "MyITS Gate bot", ipWhitelist: ["127.0.0.1"], trades: { count: 1200, markets: 4 } }],
  start: (keys, options) => {
    const limiter = new RequestLimiter(options);
    const dialect = new GateDialect(keys, limiter);
    return { handle: (req) => dialect.handle(req), resetRateLimits: () => limiter.reset(), resetStats: () => {}, stats: () => undefined };
  },
};
