// The simulator's public contract (re-exported by index.ts). The exchange adapters and their
// tests are written against these names: extend, never rename.

import type { Dialect } from "./dialect";
import type { dialects, SimExchange } from "./dialects";

export type { SimExchange } from "./dialects";

type Folder = ReturnType<typeof dialects>[number];
type OptionsOf<D> = D extends Dialect<string, infer O, unknown> ? O : never;
type StatsOf<D> = D extends Dialect<string, unknown, infer S> ? S : never;

/** Each dialect's own options, under its id (e.g. a weight limit, a request limit). */
export type SimDialectOptions = { [D in Folder as D["id"]]?: OptionsOf<D> };

/** What each dialect counts, under its id (dialects that count nothing are absent). */
export type SimDialectStats = { [D in Folder as [StatsOf<D>] extends [undefined] ? never : D["id"]]: StatsOf<D> };

/** Normalised permissions; each dialect maps them onto its own vocabulary. */
export interface SimPermissions {
  read: boolean;
  spotTrade: boolean;
  marginTrade: boolean;
  futuresTrade: boolean;
  withdraw: boolean;
  transfer: boolean;
}

/**
 * The products an account can hold a history in. Binance serves all six; OKX all but
 * isolated_margin; Bybit spot, usdm, coinm and option (README, "Products").
 */
export type SimProduct = "spot" | "margin" | "isolated_margin" | "usdm" | "coinm" | "option";

export const SIM_PRODUCTS: readonly SimProduct[] = ["spot", "margin", "isolated_margin", "usdm", "coinm", "option"];

/** One product's history: its own deterministic TradeHistory, seeded from the key seed + product. */
export interface SimProductOptions {
  count: number;
  markets: number;
  /** Default: the key's spot startTime. Older starts let tests reach past an endpoint's retention. */
  startTime?: Date;
}

export interface SimTradeOptions {
  /** Number of trades in the history (1,000,000 is fine: generated lazily). */
  count: number;
  /** Number of distinct markets the trades are spread over. */
  markets: number;
  /** Same seed + same options = same history. Default: derived from the sim seed and key ordinal. */
  seed?: number;
  /** Default: endTime - 180 days (OKX: - 80 days, so fills-history's 3 months cover it). */
  startTime?: Date;
  /**
   * Default: the time createKey is called (pass both bounds for reproducible timestamps).
   * Trades later than "now" are not served until their time comes.
   */
  endTime?: Date;
  /**
   * Extension: histories per product. Absent = spot only, from count/markets, exactly as before.
   * `products.spot`, when given, replaces count/markets for spot. A key with `products` (or
   * `ledger`) is a complete account: its balances follow from its records (README, "Balances").
   */
  products?: Partial<Record<SimProduct, SimProductOptions>>;
}

/** Extension: how many non-trade records a complete account has (all default to 0). */
export interface SimLedgerOptions {
  /** Binance convert trades (sapi/v1/convert/tradeFlow). */
  converts?: number;
  /** Binance dust conversions to BNB (sapi/v1/asset/dribblet), each with 1-3 assets. */
  dust?: number;
  /** Funding-fee income rows per futures product (REALIZED_PNL and COMMISSION rows come from trades). */
  income?: number;
  /**
   * Traded spot markets that the exchange has delisted: myTrades answers -1121, exchangeInfo
   * and the margin pair lists omit them. Exchange-wide: every key of the simulator sees it.
   */
  delisted?: number;
}

export interface SimKeyOptions {
  exchange: SimExchange;
  label?: string;
  permissions?: Partial<SimPermissions>;
  /** Empty = unrestricted. The test client is always 127.0.0.1; another IP simulates "IP not allowed". */
  ipWhitelist?: string[];
  createdAt?: Date;
  /** Binance: end of the trading authority (tradingAuthorityExpirationTime); OKX and Bybit: key expiry. */
  expiresAt?: Date | null;
  /** OKX only; generated when absent. (Extension of the contract.) */
  passphrase?: string;
  /** Fixed credentials (the demo recreates its keys on every start); generated when absent. */
  apiKey?: string;
  secret?: string;
  trades?: SimTradeOptions;
  /** Extension: records beyond trades; makes the key a complete account (as `trades.products` does). */
  ledger?: SimLedgerOptions;
}

export interface SimKey {
  exchange: SimExchange;
  apiKey: string;
  secret: string;
  passphrase?: string;
  label: string;
  permissions: SimPermissions;
  ipWhitelist: string[];
  createdAt: Date;
  expiresAt: Date | null;
}

export interface SimFault {
  exchange?: SimExchange;
  pathPrefix?: string;
  kind: "latency" | "error" | "timeout" | "malformed";
  /** latency: delay; timeout: how long the socket is held before it is destroyed (default: until close). */
  ms?: number;
  /** error: HTTP status (default 503). */
  status?: number;
  /** How many requests it hits; default unlimited. */
  count?: number;
}

/** Each dialect's options under its id (SimDialectOptions; e.g. the Binance weight pools, lib/exchange-sim/binance/pools.ts). */
export interface ExchangeSimOptions extends SimDialectOptions {
  host?: string;
  /** 0 = random free port. */
  port?: number;
  /** Seeds key material and default trade seeds; without it keys are random. */
  seed?: number;
  /** The token /__admin asks for (admin/access.ts); random unless given. */
  adminToken?: string;
}

/**
 * One trade of the ground truth. `raw` is exactly the record the exchange's API serves for it
 * (Binance myTrades item, OKX fills-history item, Bybit execution/list item); the other fields are
 * a normalised view with canonical decimal strings (no exponent, no trailing zeros).
 */
export interface SimTrade {
  exchange: SimExchange;
  /** Binance `id`, OKX `tradeId`, Bybit `execId`. */
  id: string;
  orderId: string;
  /** The exchange's market id: BTCUSDT, BTC-USDT. */
  symbol: string;
  base: string;
  quote: string;
  side: "buy" | "sell";
  takerOrMaker: "taker" | "maker";
  price: string;
  amount: string;
  cost: string;
  /** Positive amount of fee paid. */
  fee: string;
  feeCurrency: string;
  timestamp: number;
  raw: Record<string, unknown>;
  /** Extension: which product's history the trade belongs to ("spot" for the original histories). */
  product: SimProduct;
  /** Extension: present (true) when the market was delisted: the exchange no longer serves it. */
  delisted?: true;
}

/** Which markets a key traded, and which of them leave no trace in balances, deposits or withdrawals. */
export interface SimKeyMarkets {
  /** Exchange market ids, in the order they were drawn. */
  traded: string[];
  /** Traded markets whose base asset appears in no balance, deposit or withdrawal. */
  hidden: string[];
  /** Assets with a non-zero balance, a deposit or a withdrawal. */
  visibleAssets: string[];
  /** Extension: traded spot markets the exchange delisted (ledger.delisted). */
  delisted: string[];
}

/** Extension: one pool's weight figures (Binance). */
export interface SimWeightPool {
  usedWeight: number;
  rateLimited429: number;
  banned418: number;
  /** Extension: window start (ms) -> the highest weight one IP reached in that window (the recent windows, since the last resetStats). */
  windowPeaks: Record<string, number>;
}

/** A non-trade balance movement of the ground truth (see README, "Balances"). */
export interface SimLedgerEntry {
  kind: "deposit" | "withdrawal" | "convert" | "dust" | "income";
  /** Which wallet it moves: spot, margin, isolated:<symbol>, usdm, coinm, option (Binance); trading, funding (OKX); unified (Bybit). */
  wallet: string;
  id: string;
  time: number;
  /** Exactly the record the exchange serves (a dust entry is one dribblet with its details). */
  raw: Record<string, unknown>;
  /** Its effect per asset, canonical decimal strings (signed). */
  effects: Record<string, string>;
  /** Synthetic initial deposit the simulator added so no wallet is ever negative. */
  synthetic?: true;
}

/** Extension: everything a complete backup must hold besides trades, and the balances it explains. */
export interface SimLedger {
  exchange: SimExchange;
  /** False for keys created without `trades.products` / `ledger`: their balances are drawn independently. */
  balancesFollowEffects: boolean;
  deposits: SimLedgerEntry[];
  withdrawals: SimLedgerEntry[];
  /** Convert trades and dust conversions. */
  conversions: SimLedgerEntry[];
  /** Futures income rows (REALIZED_PNL, COMMISSION, FUNDING_FEE). */
  income: SimLedgerEntry[];
  delisted: { product: SimProduct; symbol: string; trades: number; delisted: true }[];
  /** Served totals per asset across wallets (canonical strings; zero assets omitted). */
  balances: Record<string, string>;
  /** The same totals per wallet (spot, margin, isolated:<symbol>, usdm, coinm, option; OKX trading, funding; Bybit unified). */
  wallets: Record<string, Record<string, string>>;
  /** Sum of every record's effect (trades of every product and the entries above), computed from the served records. */
  effectsTotal: Record<string, string>;
}

export type SimStats = {
  requests: number;
  byPath: Record<string, number>;
} & SimDialectStats;

export interface ExchangeSim {
  origin: string;
  /** Send as `Authorization: Bearer <adminToken>` to /__admin (admin/access.ts). */
  adminToken: string;
  /** The admin page's URL with the token: what to print for the person who started the simulator. */
  adminUrl: string;
  createKey(o: SimKeyOptions): SimKey;
  deleteKey(exchange: SimExchange, apiKey: string): void;
  restrictKey(
    exchange: SimExchange,
    apiKey: string,
    change: { permissions?: Partial<SimPermissions>; ipWhitelist?: string[]; expiresAt?: Date | null },
  ): void;
  listKeys(exchange?: SimExchange): SimKey[];
  /**
   * Ground truth, oldest first, including trades the exchange no longer serves (e.g. OKX fills
   * older than 3 months). Without a range it materialises the whole history: mind the size.
   * (`range` is an extension of the contract.)
   */
  trades(exchange: SimExchange, apiKey: string, range?: { offset?: number; limit?: number; product?: SimProduct }): SimTrade[];
  /** Extension: number of trades in the history (default spot) without materialising it. */
  tradeCount(exchange: SimExchange, apiKey: string, product?: SimProduct): number;
  /** Extension: the products the key has a history in (always includes "spot"). */
  products(exchange: SimExchange, apiKey: string): SimProduct[];
  /** Extension: non-trade records, balances and the effects total (README, "Balances"). */
  ledger(exchange: SimExchange, apiKey: string): SimLedger;
  /** Extension: the markets behind a key's history. */
  markets(exchange: SimExchange, apiKey: string): SimKeyMarkets;
  setFault(f: SimFault): void;
  clearFaults(): void;
  /** Extension: the active faults, with their remaining counts. */
  faults(): SimFault[];
  stats(): SimStats;
  resetStats(): void;
  /** Extension: forget Binance used weight, 429 state and bans (and OKX/Bybit request counts). */
  resetRateLimits(): void;
  close(): Promise<void>;
}
