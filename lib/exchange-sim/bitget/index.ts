// The simulated Bitget (v2 API): everything the shared simulator asks of a dialect
// (../dialect.ts), and its REST server (dialect.ts in this folder) with Bitget's per-endpoint
// frequency limits. Bitget keys hold trades only: spot fills and USDT-M / COIN-M futures fills.

import type { Dialect } from "../dialect";
import { BitgetDialect, isBitgetPath, type BitgetLimits } from "./dialect";
import { BITGET_LISTING, bitgetCredentials, bitgetInverseMarkets, bitgetLinearMarkets } from "./listing";
import { bitgetTrade } from "./records";

export const bitgetDialect: Dialect<"bitget", BitgetLimits, undefined> = {
  id: "bitget",
  name: "Bitget",
  // /api/v2/<section>/: KuCoin's /api/v2/symbols is claimed by its own headers and path first
  ownsPath: (path) => isBitgetPath(path),
  newCredentials: (chars) => bitgetCredentials(chars),
  spotListing: () => BITGET_LISTING,
  marketId: (m) => `${m.base}${m.quote}`,
  // spot fills (spot/trade/fills) and futures fills (mix/order/fill-history: USDT-M, COIN-M)
  products: ["spot", "usdm", "coinm"],
  productMarkets: (product) => (product === "usdm" ? bitgetLinearMarkets() : product === "coinm" ? bitgetInverseMarkets() : []),
  defaultHistoryDays: 80,
  accountWideIds: false,
  tradeRecord: (h, t) => bitgetTrade(h, t),
  ledger: () => {
    throw new Error("the simulator keeps no ledger for Bitget keys: trades only");
  },
  samples: [
    {
      label: "MyITS Bitget bot",
      permissions: { futuresTrade: true },
      ipWhitelist: ["127.0.0.1"],
      trades: { count: 1000, markets: 4, products: { spot: { count: 1000, markets: 4 }, usdm: { count: 400, markets: 2 } } },
    },
  ],
  start: (keys, options) => {
    const dialect = new BitgetDialect(keys, options);
    return { handle: (req) => dialect.handle(req), resetRateLimits: () => dialect.resetRateLimits(), resetStats: () => {}, stats: () => undefined };
  },
};
