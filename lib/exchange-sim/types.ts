// The simulator's public contract (re-exported by index.ts). The exchange adapters and their
// tests are written against these names: extend, never rename.

export type SimExchange = "binance" | "okx" | "bybit";

export const SIM_EXCHANGES: readonly SimExchange[] = ["binance", "okx", "bybit"];

/** Normalised permissions; each dialect maps them onto its own vocabulary. */
export interface SimPermissions {
  read: boolean;
  spotTrade: boolean;
  marginTrade: boolean;
  futuresTrade: boolean;
  withdraw: boolean;
  transfer: boolean;
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

export interface ExchangeSimOptions {
  host?: string;
  /** 0 = random free port. */
  port?: number;
  /** Seeds key material and default trade seeds; without it keys are random. */
  seed?: number;
  binance?: { weightLimitPerMinute?: number; windowMs?: number };
  /** Extension: per key and endpoint request limit (answer 429, code 50011). Off by default. */
  okx?: { requestsPerWindow: number; windowMs: number };
  /** Extension: per key and endpoint request limit (answer retCode 10006). Off by default. */
  bybit?: { requestsPerWindow: number; windowMs: number };
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
}

/** Which markets a key traded, and which of them leave no trace in balances, deposits or withdrawals. */
export interface SimKeyMarkets {
  /** Exchange market ids, in the order they were drawn. */
  traded: string[];
  /** Traded markets whose base asset appears in no balance, deposit or withdrawal. */
  hidden: string[];
  /** Assets with a non-zero balance, a deposit or a withdrawal. */
  visibleAssets: string[];
}

export interface SimStats {
  requests: number;
  byPath: Record<string, number>;
  binance: { usedWeight: number; rateLimited429: number; banned418: number };
}

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
  trades(exchange: SimExchange, apiKey: string, range?: { offset?: number; limit?: number }): SimTrade[];
  /** Extension: number of trades in the history without materialising it. */
  tradeCount(exchange: SimExchange, apiKey: string): number;
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
