import "server-only";
import type { Exchange } from "ccxt";
import { z } from "zod";
import { callExchange, describeOrClassify, malformed } from "./call";
import { createExchange } from "./ccxt-client";
import { spotTradeEffects } from "./effects";
import { classifyWith, verdict as v, type ExchangeErrorTable } from "./classify";
import { isExchangeAdapterError } from "./errors";
import { bybitGuide } from "./guides/bybit";
import { badCursor, decimalString, toDate } from "./normalize";
import type {
  AdapterContext,
  ClassifiedError,
  ExchangeAdapter,
  ExportCursor,
  ExportOptions,
  KeyCredentials,
  KeyDescription,
  NormalizedPermissions,
  NormalizedTrade,
  RevokeSelfResult,
  HistoryPage,
} from "./types";

const ID = "bybit";

// --- classification -------------------------------------------------------------------------

// 10003: Bybit does not know the key. 33004: the key has expired and can never be used again,
// which is as good as deleted. 10010 (IP mismatch) and 10005 (permission denied) are answered
// for a key Bybit found: it is alive. 10004 (bad signature) is answered for a known key id
// with the wrong secret: ambiguous, never revoked.
export const bybitErrors: ExchangeErrorTable = {
  codes: {
    "10003": v("revoked", "key_not_found"),
    "33004": v("revoked", "key_expired"),
    "10004": v("ambiguous", "bad_signature"),
    "10007": v("ambiguous", "unknown"),
    "10008": v("ambiguous", "key_frozen"),
    "10010": v("valid", "ip_not_allowed"),
    "10005": v("valid", "permission_denied"),
    "10002": v("unreachable", "clock_skew"),
    "10006": v("unreachable", "rate_limited"),
    "10009": v("unreachable", "rate_limited"),
    "10018": v("unreachable", "rate_limited"),
    "10000": v("unreachable", "exchange_unavailable"),
    "10016": v("unreachable", "exchange_unavailable"),
  },
  messages: [],
  unknownAuthentication: v("ambiguous", "unknown"),
};

export function classifyBybitError(error: unknown): ClassifiedError {
  return classifyWith(bybitErrors, error);
}

// Spot only: an export maps spot symbols, and ccxt's currency list is a private call that a
// restricted key may fail.
export const BYBIT_CCXT_OPTIONS = { fetchMarkets: { types: ["spot"] } };

function bybitClient(credentials: KeyCredentials, context: AdapterContext): Exchange {
  return createExchange(ID, credentials, { ...context, options: BYBIT_CCXT_OPTIONS });
}

/** Bybit wraps every answer in { retCode, retMsg, result }; retCode 0 is success. */
function bybitResult(raw: unknown, what: string): Record<string, unknown> {
  const parsed = z.looseObject({ retCode: z.union([z.number(), z.string()]), result: z.record(z.string(), z.unknown()) }).safeParse(raw);
  if (!parsed.success || String(parsed.data.retCode) !== "0") throw malformed(ID, what);
  return parsed.data.result;
}

// --- describeKey ------------------------------------------------------------------------------

const queryApiSchema = z.looseObject({
  note: z.string().optional(),
  readOnly: z.union([z.number(), z.string()]),
  permissions: z.record(z.string(), z.array(z.string()).nullable()),
  ips: z.array(z.string()).optional(),
  expiredAt: z.string().optional().nullable(),
  createdAt: z.string().optional().nullable(),
});

const has = (permissions: Record<string, string[] | null>, group: string, name: string) =>
  (permissions[group] ?? []).includes(name);

const MAPPED = new Set([
  "Spot:SpotTrade",
  "ContractTrade:Order",
  "ContractTrade:Position",
  "Derivatives:DerivativesTrade",
  "Wallet:AccountTransfer",
  "Wallet:SubMemberTransfer",
  "Wallet:Withdraw",
]);

/**
 * query-api's permissions in the common words. Bybit has no separate margin permission: spot
 * margin orders ride on SpotTrade. readOnly=1 overrides any trade permission. Pure.
 */
export function bybitPermissions(readOnly: number | string, permissions: Record<string, string[] | null>): NormalizedPermissions {
  const writable = String(readOnly) === "0";
  const spot = writable && has(permissions, "Spot", "SpotTrade");
  const other = Object.entries(permissions)
    .flatMap(([group, names]) => (names ?? []).map((name) => `${group}:${name}`))
    .filter((name) => !MAPPED.has(name))
    .sort();
  return {
    read: true,
    spotTrade: spot,
    marginTrade: spot,
    futuresTrade:
      writable &&
      (has(permissions, "ContractTrade", "Order") ||
        has(permissions, "ContractTrade", "Position") ||
        has(permissions, "Derivatives", "DerivativesTrade")),
    withdraw: writable && has(permissions, "Wallet", "Withdraw"),
    transfer: writable && (has(permissions, "Wallet", "AccountTransfer") || has(permissions, "Wallet", "SubMemberTransfer")),
    other,
  };
}

async function describeBybitKey(credentials: KeyCredentials, context: AdapterContext): Promise<KeyDescription> {
  return describeOrClassify(classifyBybitError, async () => {
    const exchange = bybitClient(credentials, context);
    const raw = await callExchange({ exchange, pacer: context.pacer, classify: classifyBybitError, request: { endpoint: "user/query-api", weight: 1 } }, () =>
      exchange.privateGetV5UserQueryApi(),
    );
    const parsed = queryApiSchema.safeParse(bybitResult(raw, "GET /v5/user/query-api"));
    if (!parsed.success) throw malformed(ID, "GET /v5/user/query-api");
    const key = parsed.data;
    // "*" (or nothing) means any IP may use the key
    const ipWhitelist = (key.ips ?? []).filter((ip) => ip !== "*" && ip.trim() !== "");
    return {
      status: "valid",
      permissions: bybitPermissions(key.readOnly, key.permissions),
      rawPermissions: key.permissions,
      ipRestricted: ipWhitelist.length > 0,
      ipWhitelist,
      createdAt: toDate(key.createdAt),
      expiresAt: toDate(key.expiredAt),
      label: key.note ?? null,
      permissionsKnown: true,
      raw,
    };
  });
}

// --- revokeSelf -------------------------------------------------------------------------------

/** POST /v5/user/delete-api: the calling key deletes itself (needs a transfer or withdrawal permission). */
async function revokeBybitKey(credentials: KeyCredentials, context: AdapterContext): Promise<RevokeSelfResult> {
  try {
    const exchange = bybitClient(credentials, context);
    const raw = await callExchange({ exchange, pacer: context.pacer, classify: classifyBybitError, request: { endpoint: "user/delete-api", weight: 1 } }, () =>
      exchange.privatePostV5UserDeleteApi(),
    );
    bybitResult(raw, "POST /v5/user/delete-api");
    return { status: "deleted" };
  } catch (error) {
    const classified = isExchangeAdapterError(error) ? error.classified : classifyBybitError(error);
    if (classified.reason === "permission_denied") {
      return {
        status: "not_permitted",
        reason: classified.reason,
        message: "Bybit lets a key delete itself only when it holds Account Transfer, Subaccount Transfer or Withdrawal permission.",
        ...(classified.code !== undefined ? { code: classified.code } : {}),
      };
    }
    return { status: "failed", error: classified };
  }
}

// --- exportHistory -----------------------------------------------------------------------------

export const BYBIT_EXECUTIONS_LIMIT = 100;
export const BYBIT_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;
/** execution/list serves two years of history. */
export const BYBIT_HISTORY_MS = 730 * 24 * 60 * 60 * 1000;
/** A later run starts this much before the previous run's end: late-arriving executions are not lost (duplicates are, by trade id, the store's job). */
export const BYBIT_RUN_OVERLAP_MS = 60_000;

/**
 * Windows of at most 7 days walk forward from `windowStart` to the run's end.
 * - windowStart: start (ms, inclusive) of the window being read
 * - pageCursor: Bybit's nextPageCursor inside that window, null for its first page
 * - runEnd: the instant this run reads up to (fixed at its start), null between runs
 */
export interface BybitCursor extends ExportCursor {
  exchange: "bybit";
  version: 1;
  windowStart: number | null;
  pageCursor: string | null;
  runEnd: number | null;
  /** Where this run's first window started (progress); null between runs. */
  runStart?: number | null;
}

const cursorSchema = z.object({
  exchange: z.literal(ID),
  version: z.literal(1),
  windowStart: z.number().int().nonnegative().nullable(),
  pageCursor: z.string().min(1).nullable(),
  runEnd: z.number().int().nonnegative().nullable(),
  runStart: z.number().int().nonnegative().nullable().optional(),
});

function parseCursor(cursor: ExportCursor | null): BybitCursor {
  if (cursor === null) return { exchange: ID, version: 1, windowStart: null, pageCursor: null, runEnd: null };
  const parsed = cursorSchema.safeParse(cursor);
  if (!parsed.success) throw badCursor(ID);
  return parsed.data;
}

const decimal = decimalString();
const executionSchema = z.looseObject({
  symbol: z.string(),
  execId: z.string().min(1),
  orderId: z.string(),
  side: z.enum(["Buy", "Sell"]),
  execPrice: decimal,
  execQty: decimal,
  execValue: decimal,
  execFee: decimal,
  feeCurrency: z.string().optional(),
  execTime: z.string().regex(/^\d+$/),
  isMaker: z.boolean().optional(),
});

/** What an export knows of a market: ccxt's unified symbol and Bybit's coin names. */
export interface BybitMarketInfo {
  symbol: string | null;
  baseId: string | null;
  quoteId: string | null;
}

/** A raw execution/list record in the common shape; Bybit's execFee is positive when paid. */
export function normalizeBybitExecution(raw: unknown, marketOf: (marketId: string) => BybitMarketInfo | null = () => null): NormalizedTrade {
  const parsed = executionSchema.safeParse(raw);
  if (!parsed.success) throw malformed(ID, "GET /v5/execution/list");
  const e = parsed.data;
  const market = marketOf(e.symbol);
  const side = e.side === "Buy" ? "buy" : "sell";
  const fee = { cost: e.execFee, currency: e.feeCurrency || null };
  return {
    id: e.execId,
    orderId: e.orderId || null,
    product: "spot",
    market: e.symbol,
    symbol: market?.symbol ?? null,
    side,
    timestamp: Number(e.execTime),
    price: e.execPrice,
    amount: e.execQty,
    cost: e.execValue,
    fee,
    maker: e.isMaker ?? null,
    exact: true,
    effects: spotTradeEffects({ base: market?.baseId ?? null, quote: market?.quoteId ?? null, side, amount: e.execQty, cost: e.execValue, fee }),
    raw: raw as Record<string, unknown>,
  };
}

const executionPageSchema = z.looseObject({ list: z.array(z.unknown()), nextPageCursor: z.string().optional().nullable() });

async function* exportBybitTrades(
  credentials: KeyCredentials,
  cursor: ExportCursor | null,
  options: ExportOptions,
  context: AdapterContext,
): AsyncGenerator<HistoryPage> {
  let state = parseCursor(cursor);
  const exchange = bybitClient(credentials, context);
  const now = (options.now ?? Date.now)();
  const earliest = now - BYBIT_HISTORY_MS;
  const runEnd = state.runEnd ?? now;
  const requested = options.since?.getTime() ?? earliest;
  let windowStart = Math.max(state.windowStart ?? requested, earliest);
  state = { ...state, runEnd };
  // public instrument list, for unified symbols (BTCUSDT -> BTC/USDT)
  const markets = await callExchange(
    { exchange, pacer: options.pacer ?? context.pacer, classify: classifyBybitError, request: { endpoint: "market/instruments-info", weight: 1 } },
    () => exchange.fetchMarkets(),
  );
  const byId = new Map<string, BybitMarketInfo>(
    markets.flatMap((m) => (m ? [[String(m.id), { symbol: m.symbol ?? null, baseId: m.baseId ?? null, quoteId: m.quoteId ?? null }] as const] : [])),
  );
  const marketOf = (marketId: string) => byId.get(marketId) ?? null;
  // Windows walk forward from where this run began: progress is how far they have got.
  const runStart = state.runStart ?? windowStart;
  state = { ...state, runStart };

  for (;;) {
    const windowEnd = Math.min(windowStart + BYBIT_WINDOW_MS - 1, runEnd);
    const request: Record<string, string | number> = {
      category: "spot",
      startTime: windowStart,
      endTime: windowEnd,
      limit: BYBIT_EXECUTIONS_LIMIT,
    };
    if (state.pageCursor !== null) request.cursor = state.pageCursor;
    const raw = await callExchange(
      { exchange, pacer: options.pacer ?? context.pacer, classify: classifyBybitError, request: { endpoint: "execution/list", weight: 1 } },
      () => exchange.privateGetV5ExecutionList(request),
    );
    const page = executionPageSchema.safeParse(bybitResult(raw, "GET /v5/execution/list"));
    if (!page.success) throw malformed(ID, "GET /v5/execution/list");
    const trades = page.data.list.map((row) => normalizeBybitExecution(row, marketOf));
    const next = page.data.nextPageCursor || null;
    let done = false;
    if (next !== null && trades.length > 0) {
      state = { ...state, windowStart, pageCursor: next };
    } else if (windowEnd >= runEnd) {
      done = true;
      state = { ...state, windowStart: Math.max(runEnd - BYBIT_RUN_OVERLAP_MS, windowStart), pageCursor: null, runEnd: null, runStart: null };
    } else {
      windowStart = windowEnd + 1;
      state = { ...state, windowStart, pageCursor: null };
    }
    const reached = done ? runEnd : windowStart;
    const progress = runEnd > runStart ? { done: reached - runStart, total: runEnd - runStart, unit: "time" as const, current: null } : null;
    yield { market: null, trades, nextCursor: state, done, progress };
    if (done) return;
  }
}

// --- adapter ----------------------------------------------------------------------------------

export function createBybitAdapter(context: AdapterContext = {}): ExchangeAdapter {
  return {
    id: ID,
    displayName: "Bybit",
    requiresPassphrase: false,
    full: true,
    guide: bybitGuide,
    history: { products: ["spot"], records: [], fullScan: false, pacing: "cooldown" },
    describeKey: (credentials) => describeBybitKey(credentials, context),
    classifyError: classifyBybitError,
    classifyRevocation: (error) => classifyBybitError(error).status,
    exportHistory: (credentials, cursor, options = {}) => exportBybitTrades(credentials, cursor, options, context),
    revokeSelf: (credentials) => revokeBybitKey(credentials, context),
  };
}
