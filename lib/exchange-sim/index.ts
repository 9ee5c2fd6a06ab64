// The local exchange simulator: one HTTP server speaking enough of each exchange's REST dialect
// (one folder per exchange, listed in dialects.ts) for unmodified ccxt classes, with keys, faults and ground-truth trade histories
// controlled from here (programmatically) or over HTTP under /__admin. See README.md.

export { startExchangeSim } from "./server";
export type {
  ExchangeSim,
  ExchangeSimOptions,
  SimExchange,
  SimFault,
  SimKey,
  SimKeyMarkets,
  SimKeyOptions,
  SimLedger,
  SimLedgerEntry,
  SimLedgerOptions,
  SimPermissions,
  SimProduct,
  SimProductOptions,
  SimStats,
  SimTrade,
  SimTradeOptions,
  SimWeightPool,
} from "./types";
export { SIM_PRODUCTS } from "./types";
export { dialectOf, simExchanges } from "./dialects";
export type { Dialect, RouteAccess } from "./dialect";
export { binancePayload, binanceSignature, bybitSignature, okxSignature } from "./signing";
