// The contract every exchange adapter fulfils. Callers (key verification, the unbind wizard,
// the export job) see only these types: never a ccxt instance, never a raw ccxt exception.
// This module imports nothing from ccxt, so client components may import its types.

import type { ExchangeLook } from "./looks";

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
 * words. `key_ip_or_permission` is Binance's -2015, which cannot be told apart further;
 * `key_refused` is a refusal that says nothing at all (Coinbase's bare 401 "Unauthorized": a
 * deleted key, a wrong private key, an expired signature or an IP outside the allowlist).
 */
export type ProblemReason =
  | "key_not_found"
  | "key_expired"
  | "bad_signature"
  | "bad_passphrase"
  | "ip_not_allowed"
  | "permission_denied"
  | "key_ip_or_permission"
  | "key_refused"
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

/**
 * A fact about a key that the exchange's API does not report at all (Coinbase: the IP allowlist
 * and the expiry it keeps in its portal). Shown as "not reported by the exchange", never as
 * "none".
 */
export type UnreportedFact = "ipWhitelist" | "expiry";

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
  /** Facts the exchange does not report: their fields above hold no information. */
  unreported?: UnreportedFact[];
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

/**
 * The products a trade can belong to, in the same words for every exchange: spot, cross margin,
 * isolated margin, USDⓈ-M futures (linear), COIN-M futures (inverse), options.
 */
export const PRODUCTS = ["spot", "margin", "isolated_margin", "usdm", "coinm", "option"] as const;
export type Product = (typeof PRODUCTS)[number];

/** The other kinds of history a backup keeps beside trades. */
export const RECORD_STREAMS = ["transfers", "conversions", "income"] as const;
export type RecordStream = (typeof RECORD_STREAMS)[number];

/** A part of an account's history: a product's trades, or one of the other record streams. */
export type HistoryPart = Product | RecordStream;

/**
 * What one record did to the account's balances, as the exchange books it: asset -> signed
 * exact decimal string (one entry per asset). The adapter decides, because only it knows its
 * exchange's rules (a Binance futures trade books nothing itself: its P&L and commission come
 * as income rows). The reconciliation adds these up and compares them with the balances.
 */
export type BalanceEffects = Record<string, string>;

export interface NormalizedTrade {
  /** The exchange's trade id (Binance id, OKX tradeId, Bybit execId). */
  id: string;
  orderId: string | null;
  /** Spot unless the adapter knows better. */
  product: Product;
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
  /** Empty when the adapter cannot tell (generic adapter without market info). */
  effects: BalanceEffects;
  raw: Record<string, unknown>;
}

/** A deposit into or a withdrawal from the account. */
export interface NormalizedTransfer {
  id: string;
  direction: "deposit" | "withdrawal";
  asset: string;
  /** Exact decimal string, positive. */
  amount: string;
  /** Network fee of a withdrawal, when the exchange says it. */
  fee: string | null;
  network: string | null;
  address: string | null;
  txId: string | null;
  /** The exchange's own status, in words ("success", "completed", "6"...). */
  status: string;
  timestamp: number;
  effects: BalanceEffects;
  raw: Record<string, unknown>;
}

/** An exchange-side conversion of one asset into another (Binance Convert, dust to BNB). */
export interface NormalizedConversion {
  id: string;
  kind: "convert" | "dust";
  fromAsset: string;
  fromAmount: string;
  toAsset: string;
  toAmount: string;
  fee: string | null;
  feeAsset: string | null;
  timestamp: number;
  effects: BalanceEffects;
  raw: Record<string, unknown>;
}

/** A booking on a derivatives account that is not a trade: funding, realized P&L, commission. */
export interface NormalizedIncome {
  id: string;
  product: Product;
  kind: "funding" | "realized_pnl" | "commission" | "other";
  /** The exchange's own type name ("FUNDING_FEE"). */
  exchangeType: string;
  asset: string;
  /** Signed exact decimal string: negative when paid. */
  amount: string;
  market: string | null;
  timestamp: number;
  effects: BalanceEffects;
  raw: Record<string, unknown>;
}

/**
 * What a backup does not hold, and why, as the adapter learns it while exporting. These notes
 * go into coverage.json and decide whether the backup is complete as far as the exchange allows.
 * - retention: the exchange's API no longer serves this part before `availableFrom`.
 * - not_checked: markets of this product that were not asked about (a discovery export).
 * - delisted: a market the exchange no longer answers for (Binance -1121).
 * - unavailable: the account does not have this part (no futures account), or the key may not read it.
 * - failed: a request for this part failed for good; what it would have returned is missing.
 */
export type CoverageNote =
  | { kind: "retention"; part: HistoryPart; availableFrom: number; message: string }
  | { kind: "not_checked"; part: Product; markets: number; message: string }
  | { kind: "delisted"; part: Product; market: string; message: string }
  | { kind: "unavailable"; part: HistoryPart; message: string }
  | { kind: "failed"; part: HistoryPart; market: string | null; from: number | null; to: number | null; message: string };

/** How far an export run has got, by the adapter's own measure of its work. */
export interface ExportProgress {
  /** Work done and planned for this run: parts (markets, windows) or time (ms); done <= total. */
  done: number;
  total: number;
  unit: "parts" | "time";
  /** What is being read now, in words ("USDⓈ-M BTCUSDT"); null when nothing in particular. */
  current: string | null;
}

/**
 * Where an export stands. Opaque to callers: store it as JSON after every page and pass it
 * back to resume. `null` starts from the beginning.
 */
export type ExportCursor = { exchange: string; version: number } & Record<string, unknown>;

export interface HistoryPage {
  /** The market this page belongs to; null when a page spans markets (OKX, Bybit). */
  market: string | null;
  trades: NormalizedTrade[];
  transfers?: NormalizedTransfer[];
  conversions?: NormalizedConversion[];
  income?: NormalizedIncome[];
  /** Gaps learnt while reading this page: stored with it, reported in the coverage. */
  notes?: CoverageNote[];
  /**
   * The account's balances now, totalled over every wallet the adapter read (asset -> exact
   * decimal string), on the page that read them: the reconciliation compares them with the
   * sum of every record's effects.
   */
  balances?: Record<string, string>;
  /** Null when the adapter cannot tell (the UI shows an indeterminate bar). */
  progress: ExportProgress | null;
  /** Persist this with the records in the same transaction; resume from it. */
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
  /**
   * The exchange stated its limit for the request's pool (Binance: exchangeInfo's rateLimits,
   * REQUEST_WEIGHT per minute). A pacer that otherwise learns the limit by probing may trust it.
   */
  declareLimit?(request: PacedRequest, limit: number): void;
}

export interface PacedRequest {
  exchange: string;
  /** Short name of the endpoint ("myTrades", "account"). */
  endpoint: string;
  /** The exchange's request weight, where it has one (Binance). */
  weight: number;
  /**
   * The budget the exchange counts this request against, where it keeps several (Binance:
   * "spot" for /api and /sapi IP weight, "fapi", "dapi", "uid" for UID-weighted endpoints).
   * Absent: the exchange's main one.
   */
  pool?: string;
  /**
   * Who waits for the answer: "interactive" (a user: live check, bind, unbind confirmation) goes
   * ahead of "background" (scheduled re-checks, exports) and may use a reserve that background
   * work leaves in every window (lib/exchanges/pacing/weight-pacer.ts). Absent: background.
   */
  priority?: PacedPriority;
  /** Whose work it is (an export's job id): waiters of one priority take turns by owner, so no single export starves the others. */
  owner?: string;
}

export type PacedPriority = "interactive" | "background";

export interface PacedOutcome {
  /** Response headers, lower-cased names. Empty when no response arrived. */
  headers: Record<string, string>;
  error?: ClassifiedError;
}

export interface ExportOptions {
  /** Earliest time to look back to (Binance deposits/withdrawals scan; Bybit windows). */
  since?: Date;
  /** End of the binding's last completed export, if any: adapters read only what is newer where they can. */
  lastSyncedAt?: Date;
  /** Ask about every market, not only those the account's balances and transfers point to. */
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
  /** What the drawings of the exchange's pages show (components/unbind/illustrations). */
  look: ExchangeLook;
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
  /** For getPacedAdapter: whether a user waits for these requests (default) or a schedule does. */
  priority?: PacedPriority;
}

/** What an adapter's export reads, and how its requests are paced. */
export interface ExportCapabilities {
  /** The products whose trades it exports. */
  products: readonly Product[];
  /** The other record streams it exports. */
  records: readonly RecordStream[];
  /**
   * Whether it can tell the markets worth asking about from the account (a discovery export)
   * and also offers a full scan of every market. False: every export reads everything.
   */
  fullScan: boolean;
  /** weight: an IP weight budget per window (Binance); cooldown: back off when told (others). */
  pacing: "weight" | "cooldown";
}

/**
 * An exchange's own asynchronous history file for a part its API no longer serves (Binance:
 * the futures trade history download, `fapi/v1/trade/asyn`). The exchange prepares it in its
 * own time; MyITS asks for it, polls, and stores the file as delivered: its layout is the
 * exchange's, not an API contract, so it is not read into the backup's CSVs.
 */
export interface StatementKind {
  /** Stable id ("usdm-trades"). */
  id: string;
  /** The coverage part it fills in ("usdm", "coinm", "income"). */
  part: string;
  /** What the file holds, for the page ("USDⓈ-M trade history"). */
  title: string;
  /** Longest window one request may cover. */
  maxWindowMs: number;
  /** Nothing is kept before this (the product's launch). */
  earliest: Date;
  /** The exchange's own quota, in words for the page ("5 a month, shared with binance.com's download page"). */
  quota: string;
  /** What one request costs in the exchange's terms ("1,000 request weight"). */
  cost: string;
}

export type StatementPoll =
  | { state: "processing" }
  | { state: "ready"; url: string; expiresAt: Date | null }
  | { state: "expired" };

export interface StatementFile {
  bytes: Uint8Array;
  /** The exchange's file name, or one made from the kind and window. */
  fileName: string;
}

export interface StatementCapability {
  kinds: readonly StatementKind[];
  /** Asks the exchange to prepare the file; returns its id and, if the exchange says, how long it usually takes. */
  request(credentials: KeyCredentials, kind: string, from: Date, to: Date): Promise<{ downloadId: string; typicalMs: number | null }>;
  poll(credentials: KeyCredentials, kind: string, downloadId: string): Promise<StatementPoll>;
  /** Fetches a ready file (at most maxBytes). */
  download(credentials: KeyCredentials, url: string, maxBytes: number): Promise<StatementFile>;
}

/** The bind form's words and secret format for one exchange (Coinbase: a key name and a PEM private key). */
export interface CredentialForm {
  apiKeyLabel?: string;
  apiKeyHint?: string;
  secretLabel?: string;
  secretHint?: string;
  /** "pem": a multi-line private key, asked for in a text area. Default "token": one line. */
  secretFormat?: "token" | "pem";
}

export interface ExchangeAdapter {
  /** The ccxt id: the exchange's folder name for a full adapter. */
  id: string;
  displayName: string;
  requiresPassphrase: boolean;
  /**
   * True for the full adapters (lib/exchanges/full-adapters.ts): permissions, IP and dates come
   * from the exchange (as far as it reports them: ValidKeyDescription.unreported), and its error
   * table can prove a key deleted unless unprovableDeletion says why not.
   */
  full: boolean;
  /**
   * Set when no answer of this exchange proves a key deleted, saying why in words for the unbind
   * wizard (Coinbase: one bare 401 for a deleted key and a refused one). Its unbind then
   * completes on the user's acknowledgement, as the generic adapter's does. Absent: a full
   * adapter's error table can prove a deletion.
   */
  unprovableDeletion?: string;
  /** How the bind form asks for this exchange's credentials, where it differs from an API key and a one-line secret. */
  credentials?: CredentialForm;
  guide: ExchangeGuide;
  history: ExportCapabilities;
  describeKey(credentials: KeyCredentials): Promise<KeyDescription>;
  classifyRevocation(error: unknown): RevocationStatus;
  /** classifyRevocation with the reasoning kept. */
  classifyError(error: unknown): ClassifiedError;
  /** Everything the key can read of the account's history, page by page, resumable from the cursor. */
  exportHistory(credentials: KeyCredentials, cursor: ExportCursor | null, options?: ExportOptions): AsyncIterable<HistoryPage>;
  revokeSelf?(credentials: KeyCredentials): Promise<RevokeSelfResult>;
  /** The exchange's asynchronous history files, where it offers them for parts its API cuts off. */
  statements?: StatementCapability;
}
