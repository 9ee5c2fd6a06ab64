// The simulated KuCoin: everything the shared simulator asks of a dialect (../dialect.ts), and its
// REST server (dialect.ts in this folder) with KuCoin's request-weight pools. KuCoin keys hold
// trades only (spot, cross and isolated margin fills).

import type { Dialect } from "../dialect";
import { isKucoinRequest, KucoinDialect } from "./dialect";
import type { KucoinLimit } from "./limits";
import { KUCOIN_LISTING, kucoinCredentials, kucoinMarginMarkets } from "./listing";
import { kucoinTrade } from "./records";

export const kucoinDialect: Dialect<"kucoin", KucoinLimit, undefined> = {
  id: "kucoin",
  name: "KuCoin",
  // KuCoin's /api/v1 and /api/v3 overlap Binance's: its requests are told by their KC-API
  // headers or their public path, never by a prefix.
  ownsPath: () => false,
  claimsRequest: (req) => isKucoinRequest(req),
  newCredentials: (chars) => kucoinCredentials(chars),
  spotListing: () => KUCOIN_LISTING,
  marketId: (m) => `${m.base}-${m.quote}`,
  // spot fills (hf/fills) and margin fills (hf/margin/fills, cross and isolated)
  products: ["spot", "margin", "isolated_margin"],
  productMarkets: (product, spot) => (product === "margin" || product === "isolated_margin" ? kucoinMarginMarkets(spot) : []),
  defaultHistoryDays: 180,
  accountWideIds: false,
  tradeRecord: (h, t) => kucoinTrade(h, t),
  ledger: () => {
    throw new Error("the simulator keeps no ledger for KuCoin keys: trades only");
  },
  samples: [
    {
      label: "MyITS KuCoin bot",
      permissions: { marginTrade: true },
      ipWhitelist: ["127.0.0.1"],
      trades: { count: 1200, markets: 4, products: { spot: { count: 1200, markets: 4 }, margin: { count: 300, markets: 2 } } },
    },
  ],
  start: (keys, options) => {
    const dialect = new KucoinDialect(keys, options);
    return { handle: (req) => dialect.handle(req), resetRateLimits: () => dialect.resetRateLimits(), resetStats: () => {}, stats: () => undefined };
  },
};
