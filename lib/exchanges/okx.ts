import "server-only";
import { Precise, type Exchange } from "ccxt";
import { z } from "zod";
import { callExchange, describeOrClassify, malformed } from "./call";
import { createExchange } from "./ccxt-client";
import { spotTradeEffects } from "./effects";
import { classifyWith, verdict as v, type ExchangeErrorTable } from "./classify";
import { okxGuide } from "./guides/okx";
import { badCursor, compareIntegerStrings, decimalString, negateDecimal } from "./normalize";
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
  HistoryPage,
} from "./types";

const ID = "okx";

// --- classification -------------------------------------------------------------------------

// OKX looks the key up before anything else: 50111 / 50119 mean it does not exist. 50110 (IP
// not on the key's whitelist) and 50120 (permission missing) can only be answered for a key
// OKX found, so the key is alive ("valid" for a revocation check). A wrong secret (50113) or
// passphrase (50105) is answered for an existing key id too, but proves nothing about whether
// our stored key is the one the user sees: ambiguous, never revoked.
export const okxErrors: ExchangeErrorTable = {
  codes: {
    "50111": v("revoked", "key_not_found"),
    "50119": v("revoked", "key_not_found"),
    "50113": v("ambiguous", "bad_signature"),
    "50105": v("ambiguous", "bad_passphrase"),
    "50114": v("ambiguous", "unknown"),
    "50100": v("ambiguous", "key_frozen"),
    "50101": v("ambiguous", "configuration"),
    "50103": v("ambiguous", "configuration"),
    "50104": v("ambiguous", "configuration"),
    "50106": v("ambiguous", "configuration"),
    "50107": v("ambiguous", "configuration"),
    "50121": v("ambiguous", "ip_not_allowed"),
    "50110": v("valid", "ip_not_allowed"),
    "50120": v("valid", "permission_denied"),
    "50102": v("unreachable", "clock_skew"),
    "50112": v("unreachable", "clock_skew"),
    "50011": v("unreachable", "rate_limited"),
    "50040": v("unreachable", "rate_limited"),
    "50061": v("unreachable", "rate_limited"),
    "50001": v("unreachable", "exchange_unavailable"),
    "50004": v("unreachable", "timeout"),
    "50013": v("unreachable", "exchange_unavailable"),
    "50026": v("unreachable", "exchange_unavailable"),
  },
  messages: [],
  unknownAuthentication: v("ambiguous", "unknown"),
};

export function classifyOkxError(error: unknown): ClassifiedError {
  return classifyWith(okxErrors, error);
}

function okxClient(credentials: KeyCredentials, context: AdapterContext): Exchange {
  return createExchange(ID, credentials, context);
}

/** OKX wraps every answer in { code, msg, data: [...] }; code "0" is success. */
function okxData(raw: unknown, what: string): unknown[] {
  const parsed = z.looseObject({ code: z.union([z.string(), z.number()]), data: z.array(z.unknown()) }).safeParse(raw);
  if (!parsed.success || String(parsed.data.code) !== "0") throw malformed(ID, what);
  return parsed.data.data;
}

// --- describeKey ------------------------------------------------------------------------------

const configSchema = z.looseObject({
  perm: z.string(),
  ip: z.string().optional(),
  label: z.string().optional(),
});

/** "read_only,trade,withdraw" in the common words. OKX's trade permission covers spot, margin, derivatives and funds transfer. Pure. */
export function okxPermissions(perm: string): NormalizedPermissions {
  const granted = new Set(
    perm
      .split(",")
      .map((p) => p.trim())
      .filter(Boolean),
  );
  const trade = granted.has("trade");
  return {
    read: granted.has("read_only") || granted.size > 0,
    spotTrade: trade,
    marginTrade: trade,
    futuresTrade: trade,
    withdraw: granted.has("withdraw"),
    transfer: trade,
    other: [...granted].filter((p) => !["read_only", "trade", "withdraw"].includes(p)).sort(),
  };
}

async function describeOkxKey(credentials: KeyCredentials, context: AdapterContext): Promise<KeyDescription> {
  return describeOrClassify(classifyOkxError, async () => {
    const exchange = okxClient(credentials, context);
    const raw = await callExchange({ exchange, pacer: context.pacer, classify: classifyOkxError, request: { endpoint: "account/config", weight: 1 } }, () =>
      exchange.privateGetAccountConfig(),
    );
    const parsed = configSchema.safeParse(okxData(raw, "GET /api/v5/account/config")[0]);
    if (!parsed.success) throw malformed(ID, "GET /api/v5/account/config");
    const config = parsed.data;
    const ipWhitelist = (config.ip ?? "")
      .split(",")
      .map((ip) => ip.trim())
      .filter(Boolean);
    return {
      status: "valid",
      permissions: okxPermissions(config.perm),
      rawPermissions: config.perm,
      ipRestricted: ipWhitelist.length > 0,
      ipWhitelist,
      // OKX does not report when a key was created or when it expires (keys without an IP
      // whitelist lapse after 14 days unused; that is not in the API).
      createdAt: null,
      expiresAt: null,
      label: config.label ?? null,
      permissionsKnown: true,
      raw,
    };
  });
}

// --- exportHistory -----------------------------------------------------------------------------

export const OKX_FILLS_LIMIT = 100;
/** fills-history serves the last 3 months. */
export const OKX_FILLS_HISTORY_MS = 90 * 86_400_000;

/**
 * fills-history answers newest first; `after=<billId>` pages towards older fills.
 * - after: where this run continues (null: from the newest fill)
 * - newest: billId of the newest fill seen in this run
 * - stopAt: newest billId of the last completed run; older fills were exported then
 */
export interface OkxCursor extends ExportCursor {
  exchange: "okx";
  version: 1;
  after: string | null;
  newest: string | null;
  stopAt: string | null;
}

const billId = z.string().regex(/^\d+$/);
const cursorSchema = z.object({
  exchange: z.literal(ID),
  version: z.literal(1),
  after: billId.nullable(),
  newest: billId.nullable(),
  stopAt: billId.nullable(),
});

function parseCursor(cursor: ExportCursor | null): OkxCursor {
  if (cursor === null) return { exchange: ID, version: 1, after: null, newest: null, stopAt: null };
  const parsed = cursorSchema.safeParse(cursor);
  if (!parsed.success) throw badCursor(ID);
  return parsed.data;
}

const decimal = decimalString();
const fillSchema = z.looseObject({
  instId: z.string(),
  tradeId: z.string().min(1),
  ordId: z.string(),
  billId,
  fillPx: decimal,
  fillSz: decimal,
  side: z.enum(["buy", "sell"]),
  execType: z.string().optional(),
  fee: decimal,
  feeCcy: z.string().optional(),
  ts: z.string().regex(/^\d+$/),
});

/**
 * A raw fills-history record in the common shape, with its billId (the paging key). OKX
 * writes fees paid as negatives.
 */
export function normalizeOkxFill(raw: unknown): { trade: NormalizedTrade; billId: string } {
  const parsed = fillSchema.safeParse(raw);
  if (!parsed.success) throw malformed(ID, "GET /api/v5/trade/fills-history");
  const f = parsed.data;
  const [base, quote] = f.instId.split("-");
  const side = f.side;
  // OKX does not send the quote amount; a product of two exact decimals is exact.
  const cost = Precise.stringMul(f.fillPx, f.fillSz) ?? "0";
  const fee = { cost: negateDecimal(f.fee), currency: f.feeCcy || null };
  const trade: NormalizedTrade = {
    id: f.tradeId,
    orderId: f.ordId || null,
    product: "spot",
    market: f.instId,
    symbol: base && quote ? `${base}/${quote}` : null,
    side,
    timestamp: Number(f.ts),
    price: f.fillPx,
    amount: f.fillSz,
    cost,
    fee,
    maker: f.execType === "M" ? true : f.execType === "T" ? false : null,
    exact: true,
    effects: spotTradeEffects({ base: base ?? null, quote: quote ?? null, side, amount: f.fillSz, cost, fee }),
    raw: raw as Record<string, unknown>,
  };
  return { trade, billId: f.billId };
}

async function* exportOkxTrades(
  credentials: KeyCredentials,
  cursor: ExportCursor | null,
  options: ExportOptions,
  context: AdapterContext,
): AsyncGenerator<HistoryPage> {
  let state = parseCursor(cursor);
  const exchange = okxClient(credentials, context);
  const now = (options.now ?? Date.now)();
  // Pages come newest first: progress is how far back this run has read, towards the last
  // sync or the 3 months fills-history keeps.
  const horizon = Math.max(options.lastSyncedAt?.getTime() ?? 0, now - OKX_FILLS_HISTORY_MS);
  let newestTime: number | null = null;
  for (;;) {
    const request: Record<string, string> = { instType: "SPOT", limit: String(OKX_FILLS_LIMIT) };
    if (state.after !== null) request.after = state.after;
    const raw = await callExchange(
      { exchange, pacer: options.pacer ?? context.pacer, classify: classifyOkxError, request: { endpoint: "trade/fills-history", weight: 1 } },
      () => exchange.privateGetTradeFillsHistory(request),
    );
    const rows = okxData(raw, "GET /api/v5/trade/fills-history");
    const fills = rows.map(normalizeOkxFill);
    const stopAt = state.stopAt;
    const fresh = stopAt === null ? fills : fills.filter((f) => compareIntegerStrings(f.billId, stopAt) > 0);
    const reachedKnown = fresh.length < fills.length;
    const oldest = fills.at(-1);
    const newest = state.newest ?? fills[0]?.billId ?? null;
    const done = reachedKnown || fills.length < OKX_FILLS_LIMIT || oldest === undefined;
    state = done
      ? { ...state, after: null, newest: null, stopAt: newest ?? state.stopAt }
      : { ...state, after: oldest.billId, newest };
    const trades = fresh.map((f) => f.trade);
    const oldestTime = fills.at(-1)?.trade.timestamp;
    newestTime ??= fills[0]?.trade.timestamp ?? null;
    const progress =
      newestTime !== null && oldestTime !== undefined && newestTime > horizon
        ? { done: Math.min(newestTime - oldestTime, newestTime - horizon), total: newestTime - horizon, unit: "time" as const, current: null }
        : null;
    yield { market: null, trades, nextCursor: state, done, progress };
    if (done) return;
  }
}

// --- adapter ----------------------------------------------------------------------------------

export function createOkxAdapter(context: AdapterContext = {}): ExchangeAdapter {
  return {
    id: ID,
    displayName: "OKX",
    requiresPassphrase: true,
    full: true,
    guide: okxGuide,
    history: { products: ["spot"], records: [], fullScan: false, pacing: "cooldown" },
    describeKey: (credentials) => describeOkxKey(credentials, context),
    classifyError: classifyOkxError,
    classifyRevocation: (error) => classifyOkxError(error).status,
    exportHistory: (credentials, cursor, options = {}) => exportOkxTrades(credentials, cursor, options, context),
  };
}
