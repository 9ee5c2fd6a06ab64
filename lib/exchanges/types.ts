// The contract every exchange adapter fulfils. Callers (key verification, the unbind wizard,
// the export job) see only these types: never a ccxt instance, never a raw ccxt exception.
// This module imports nothing from ccxt, so client components may import its types.

export interface KeyCredentials {
  apiKey: string;
  secret: string;
  /** OKX (and a few others) call it passphrase; ccxt calls it `password`. */
  passphrase?: string;
}

/** What a key may do, in the same words for every exchange. */
export interface NormalizedPermissions {
  read: boolean;
  spotTrade: boolean;
  marginTrade: boolean;
  futuresTrade: boolean;
  withdraw: boolean;
  transfer: boolean;
  /** Permissions the exchange grants that have no column above, in the exchange's words. */
  other: string[];
}

/**
 * Why a check did not end in a plain "valid". A machine-readable token; `message` says it in
 * words. `key_ip_or_permission` is Binance's -2015, which cannot be told apart further.
 */
export type ProblemReason =
  | "key_not_found"
  | "key_expired"
  | "bad_signature"
  | "bad_passphrase"
  | "ip_not_allowed"
  | "permission_denied"
  | "key_ip_or_permission"
  | "key_frozen"
  | "rate_limited"
  | "exchange_unavailable"
  | "timeout"
  | "network"
  | "clock_skew"
  | "malformed_response"
  | "configuration"
  | "unknown";

/**
 * Answer to "is this key still alive on the exchange?".
 * - revoked: the exchange says the key does not exist (deleted, expired). Only this completes
 *   an unbind.
 * - valid: the exchange recognises the key (it may still refuse a given call).
 * - ambiguous: the exchange answered, but the answer fits both (e.g. Binance -2015, a wrong
 *   secret for an existing key id).
 * - unreachable: no usable answer (timeout, 5xx, DNS, rate limit, malformed body); retry later.
 */
export type RevocationStatus = "revoked" | "valid" | "ambiguous" | "unreachable";

/** A classified failure: what classifyRevocation returns, with the details kept. */
export interface ClassifiedError {
  status: RevocationStatus;
  reason: ProblemReason;
  /** The exchange's own error code when it gave one ("-2015", "50111", "10003"). */
  code?: string;
  message: string;
  /** From Retry-After on a 429/418, when the response carried one. */
  retryAfterMs?: number;
}

export interface ValidKeyDescription {
  status: "valid";
  permissions: NormalizedPermissions;
  /** The exchange's own permission answer, untouched (object or string). */
  rawPermissions: unknown;
  ipRestricted: boolean;
  /** Empty when the exchange does not disclose the list (Binance) or has none. */
  ipWhitelist: string[];
  createdAt: Date | null;
  expiresAt: Date | null;
  label?: string | null;
  /** Whether the exchange told us the permissions (false for the generic adapter). */
  permissionsKnown: boolean;
  /** The whole response the description was made from. */
  raw: unknown;
}

export type KeyDescription =
  | ValidKeyDescription
  | { status: "revoked"; reason: ProblemReason; code?: string; message: string }
  | {
      status: "ambiguous";
      reason: ProblemReason;
      code?: string;
      message: string;
      /**
       * True when the error itself proves the exchange knows the key (OKX 50110 IP not
       * allowed, Bybit 10010 / 10005): classifyRevocation says "valid" for those, but no
       * permissions could be read.
       */
      keyExists?: boolean;
    }
  | { status: "unreachable"; reason: ProblemReason; message: string; retryAfterMs?: number };

export interface NormalizedTrade {
  /** The exchange's trade id (Binance id, OKX tradeId, Bybit execId). */
  id: string;
  orderId: string | null;
  /** The exchange's market id as it appears in the raw record ("BTCUSDT", "BTC-USDT"). */
  market: string;
  /** ccxt's unified symbol ("BTC/USDT") when known. */
  symbol: string | null;
  side: "buy" | "sell";
  /** Milliseconds since the epoch. */
  timestamp: number;
  /** Exact decimal strings from the raw record (or exact decimal arithmetic on it). */
  price: string;
  amount: string;
  cost: string;
  /** Fee paid as a positive decimal string (negative for a rebate). */
  fee: { cost: string; currency: string | null } | null;
  maker: boolean | null;
  /** False only when the amounts had to be rebuilt from ccxt's floats (generic adapter). */
  exact: boolean;
  raw: Record<string, unknown>;
}

/**
 * Where an export stands. Opaque to callers: store it as JSON after every page and pass it
 * back to resume. `null` starts from the beginning.
 */
export type ExportCursor = { exchange: string; version: number } & Record<string, unknown>;

export interface TradePage {
  /** The market this page belongs to; null when a page spans markets (OKX, Bybit). */
  market: string | null;
  trades: NormalizedTrade[];
  /** Persist this with the trades in the same transaction; resume from it. */
  nextCursor: ExportCursor;
  /** True on the last page of this run. Its cursor resumes incrementally later. */
  done: boolean;
}

/**
 * Hook for pacing requests against an exchange's weight limits, shared between instances
 * (and, through its implementation, between processes). Adapters call `beforeRequest` before
 * every request they make while exporting and `afterResponse` after it, with the response
 * headers (e.g. X-MBX-USED-WEIGHT-1M, Retry-After). The default does nothing.
 */
export interface RequestPacer {
  beforeRequest(request: PacedRequest): Promise<void>;
  afterResponse(request: PacedRequest, outcome: PacedOutcome): void;
}

export interface PacedRequest {
  exchange: string;
  /** Short name of the endpoint ("myTrades", "account"). */
  endpoint: string;
  /** The exchange's request weight, where it has one (Binance). */
  weight: number;
}

export interface PacedOutcome {
  /** Response headers, lower-cased names. Empty when no response arrived. */
  headers: Record<string, string>;
  error?: ClassifiedError;
}

export interface ExportOptions {
  /** Earliest time to look back to (Binance deposits/withdrawals scan; Bybit windows). */
  since?: Date;
  /** Binance: also scan every spot symbol, not only the candidates. */
  fullScan?: boolean;
  pacer?: RequestPacer;
  /** Injected clock for tests. */
  now?: () => number;
}

/**
 * The unbind journey, the same seven steps on every exchange, in this order. The wizard and the
 * drawings of the exchange's pages key off these ids; the words differ per exchange.
 */
export type GuideStepId =
  | "login"
  | "open-api-management"
  | "find-key-list"
  | "locate-key"
  | "delete"
  | "verify"
  | "confirm";

export interface GuideStep {
  id: GuideStepId;
  title: string;
  instructions: string;
}

export interface ExchangeGuide {
  exchangeId: string;
  displayName: string;
  /** The exchange's API-management page. */
  apiManagementUrl: string;
  steps: GuideStep[];
  /** What the exchange asks for before it deletes a key. */
  verification: string[];
  /**
   * Whether a key can delete itself through the API, and which of its permissions make that
   * possible (any one of them). Null when the exchange has no such call.
   */
  selfRevoke: { requiresAnyOf: Array<keyof Omit<NormalizedPermissions, "other">>; note: string } | null;
}

export type RevokeSelfResult =
  | { status: "deleted" }
  | { status: "not_permitted"; reason: ProblemReason; code?: string; message: string }
  | { status: "failed"; error: ClassifiedError };

export interface AdapterContext {
  /** Where EXCHANGE_ORIGIN_* / EXCHANGE_SANDBOX_* / EXCHANGE_TIMEOUT_MS are read; default process.env. */
  env?: Record<string, string | undefined>;
  timeoutMs?: number;
  /**
   * ccxt's own per-instance request pacing (default on). Turn it off only where something
   * else paces the requests: a shared RequestPacer, or a test against the simulator.
   */
  enableRateLimit?: boolean;
  /** Paces every request of this adapter (ExportOptions.pacer overrides it for an export). */
  pacer?: RequestPacer;
}

export interface ExchangeAdapter {
  /** ccxt id ("binance", "okx", "bybit", ...). */
  id: string;
  displayName: string;
  requiresPassphrase: boolean;
  /** True for Binance, OKX and Bybit: permissions, IP and dates come from the exchange. */
  full: boolean;
  guide: ExchangeGuide;
  describeKey(credentials: KeyCredentials): Promise<KeyDescription>;
  classifyRevocation(error: unknown): RevocationStatus;
  /** classifyRevocation with the reasoning kept. */
  classifyError(error: unknown): ClassifiedError;
  exportTrades(credentials: KeyCredentials, cursor: ExportCursor | null, options?: ExportOptions): AsyncIterable<TradePage>;
  revokeSelf?(credentials: KeyCredentials): Promise<RevokeSelfResult>;
}
