// The one contract every simulated exchange fulfils. A dialect is a folder (lib/exchange-sim/<id>/)
// whose index.ts exports one Dialect; dialects.ts lists the folders. Everything the shared
// simulator (keys, catalogue, products, ledger, server, admin) needs to know about an exchange is
// asked of its dialect here, so no shared module names an exchange.

import type { AccountFacts } from "./account";
import type { MarketSpec } from "./catalogue";
import type { SimRequest, SimResponse } from "./http";
import type { KeyRecord, KeyStore } from "./keys";
import type { TradeCore, TradeHistory } from "./trades";
import type { SimKeyOptions, SimLedger, SimPermissions, SimProduct, SimTrade } from "./types";

/**
 * Who may call an endpoint, declared the same way by every dialect: "public" (no key), "signed"
 * (any live key: a key may always describe itself) or the normalised permission the key needs.
 * Each dialect answers a refusal in its exchange's own words (Binance -2015, OKX 50120, Bybit 10005).
 */
export type RouteAccess = "public" | "signed" | keyof SimPermissions;

/** Whether a key may call an endpoint with this access. */
export function permits(access: RouteAccess, key: KeyRecord): boolean {
  return access === "public" || access === "signed" || key.key.permissions[access];
}

/** A signed endpoint of a dialect whose public endpoints sit in a table of their own (OKX, Bybit). */
export interface PrivateRoute {
  access: Exclude<RouteAccess, "public">;
  run(req: SimRequest, key: KeyRecord): SimResponse;
}

/** A running dialect: the HTTP side, with whatever limiter state it keeps. */
export interface DialectServer<Stats = undefined> {
  handle(req: SimRequest): SimResponse | Promise<SimResponse>;
  /** Forget used weight, request counts, 429 state and bans. */
  resetRateLimits(): void;
  /** Zero the counters stats() reports (not the limits' state). */
  resetStats(): void;
  /** What sim.stats() reports under the dialect's id (undefined: nothing). */
  stats(now: number): Stats;
}

export interface Dialect<Id extends string = string, Options = unknown, Stats = unknown> {
  /** The ccxt id: also the key of the dialect's options (ExchangeSimOptions) and stats. */
  id: Id;
  /** The exchange's name, for the admin page. */
  name: string;
  /** Whether a request path belongs to this exchange's API. Dialects' path spaces do not overlap. */
  ownsPath(path: string): boolean;
  /**
   * For an exchange whose paths overlap another's (KuCoin's /api/v1 and /api/v3 are Binance's
   * too): whether a request is this exchange's by what only its requests carry (its signing
   * headers, its own public paths). Asked of every dialect before any ownsPath.
   */
  claimsRequest?(req: Pick<SimRequest, "method" | "path" | "headers">): boolean;
  /** Fresh key material shaped like the exchange's; `chars(alphabet, n)` draws from the simulator's seed. */
  newCredentials(chars: (alphabet: string, n: number) => string): { apiKey: string; secret: string; passphrase?: string };
  /**
   * Spot pairs by quote asset, roughly the shape of the exchange's real spot listing; `bases` is
   * every non-stablecoin asset of the catalogue.
   */
  spotListing(bases: readonly string[]): Record<string, string[]>;
  /** The exchange's own id of a market ("BTCUSDT", "BTC-USDT"). */
  marketId(m: Pick<MarketSpec, "base" | "quote">): string;
  /** The products it serves a history for (spot first). */
  products: readonly SimProduct[];
  /** The markets of a non-spot product, in a fixed order. */
  productMarkets(product: Exclude<SimProduct, "spot">, spot: MarketSpec[]): MarketSpec[];
  /** Span of a key's default history, days (OKX: inside the 3 months its fills endpoints serve). */
  defaultHistoryDays: number;
  /** Trade ids that order across an account's products (OKX billId), for complete accounts. */
  accountWideIds: boolean;
  /** One trade of the ground truth, with `raw` exactly as the exchange's API serves it. */
  tradeRecord(h: TradeHistory, t: TradeCore): SimTrade;
  /** The ground truth beyond trades (sim.ledger). */
  ledger(r: KeyRecord, tradeRecord: (h: TradeHistory, t: TradeCore) => SimTrade, isDelisted: (symbol: string) => boolean): SimLedger;
  /** A complete account's balances from its records; undefined keeps the independently drawn account. */
  completeAccountFacts?(r: KeyRecord): AccountFacts;
  /** Sample keys `npm run sim` creates. */
  samples: Omit<SimKeyOptions, "exchange">[];
  start(keys: KeyStore, options: Options | undefined): DialectServer<Stats>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any dialect, whatever its options and stats
export type AnyDialect = Dialect<string, any, any>;
