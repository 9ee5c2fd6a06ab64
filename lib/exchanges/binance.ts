import "server-only";
import type { Exchange } from "ccxt";
import { z } from "zod";
import { callExchange, describeOrClassify, malformed } from "./call";
import { createExchange } from "./ccxt-client";
import { isExchangeAdapterError } from "./errors";
import { spotTradeEffects } from "./effects";
import { classifyWith, verdict as v, type ExchangeErrorTable } from "./classify";
import { binanceGuide } from "./guides/binance";
import { badCursor, decimalString, emptyPage, isNonZero, toDate } from "./normalize";
import type {
  AdapterContext,
  ClassifiedError,
  CoverageNote,
  ExchangeAdapter,
  ExportCursor,
  ExportOptions,
  KeyCredentials,
  KeyDescription,
  NormalizedPermissions,
  NormalizedTrade,
  Product,
  RequestPacer,
  HistoryPage,
} from "./types";

const ID = "binance";

// --- classification -------------------------------------------------------------------------

// -2008 / -2014: the key id does not exist (deleted, or never was). -2015 covers an invalid
// key, a disallowed IP and a missing permission alike: it cannot prove deletion. -1022 (bad
// signature) means Binance found the key id but our secret does not match it: the key may
// well be alive, so it is never "revoked".
export const binanceErrors: ExchangeErrorTable = {
  codes: {
    "-2008": v("revoked", "key_not_found"),
    "-2014": v("revoked", "key_not_found"),
    "-2015": v("ambiguous", "key_ip_or_permission"),
    "-1022": v("ambiguous", "bad_signature"),
    "-1002": v("ambiguous", "permission_denied"),
    "-1099": v("ambiguous", "key_ip_or_permission"),
    "-1003": v("unreachable", "rate_limited"),
    "-1015": v("unreachable", "rate_limited"),
    "-1021": v("unreachable", "clock_skew"),
    "-1000": v("unreachable", "exchange_unavailable"),
    "-1001": v("unreachable", "exchange_unavailable"),
    "-1004": v("unreachable", "exchange_unavailable"),
    "-1006": v("unreachable", "exchange_unavailable"),
    "-1007": v("unreachable", "timeout"),
    "-1008": v("unreachable", "exchange_unavailable"),
    "-3000": v("unreachable", "exchange_unavailable"),
  },
  messages: [
    [/Invalid Api-Key ID/i, { ...v("revoked", "key_not_found"), code: "-2008" }],
    [/API-key format invalid/i, { ...v("revoked", "key_not_found"), code: "-2014" }],
    [/Invalid API-key, IP, or permissions/i, { ...v("ambiguous", "key_ip_or_permission"), code: "-2015" }],
    [/Signature for this request is not valid/i, { ...v("ambiguous", "bad_signature"), code: "-1022" }],
  ],
  unknownAuthentication: v("ambiguous", "unknown"),
};

export function classifyBinanceError(error: unknown): ClassifiedError {
  return classifyWith(binanceErrors, error);
}

// --- ccxt instance ----------------------------------------------------------------------------

// With keys set, ccxt's loadMarkets also calls signed endpoints (currencies, margin pairs):
// a restricted key would break it. Spot markets from exchangeInfo are all an export needs.
export const BINANCE_CCXT_OPTIONS = {
  fetchCurrencies: false,
  fetchMargins: false,
  fetchMarkets: { types: ["spot"] },
};

function binanceClient(credentials: KeyCredentials, context: AdapterContext): Exchange {
  return createExchange(ID, credentials, { ...context, options: BINANCE_CCXT_OPTIONS });
}

// --- describeKey ------------------------------------------------------------------------------

const apiRestrictionsSchema = z.looseObject({
  ipRestrict: z.boolean(),
  createTime: z.union([z.number(), z.string()]).optional(),
  enableReading: z.boolean().optional(),
  enableSpotAndMarginTrading: z.boolean().optional(),
  enableWithdrawals: z.boolean().optional(),
  enableInternalTransfer: z.boolean().optional(),
  enableMargin: z.boolean().optional(),
  enableFutures: z.boolean().optional(),
  permitsUniversalTransfer: z.boolean().optional(),
  enableVanillaOptions: z.boolean().optional(),
  enablePortfolioMarginTrading: z.boolean().optional(),
  enableFixApiTrade: z.boolean().optional(),
  enableFixReadOnly: z.boolean().optional(),
  tradingAuthorityExpirationTime: z.union([z.number(), z.string()]).optional(),
});

const MAPPED_FLAGS = new Set([
  "enableReading",
  "enableSpotAndMarginTrading",
  "enableWithdrawals",
  "enableInternalTransfer",
  "enableMargin",
  "enableFutures",
  "permitsUniversalTransfer",
]);

/** Binance's apiRestrictions answer in the common words. Pure. */
export function binancePermissions(raw: z.infer<typeof apiRestrictionsSchema>): NormalizedPermissions {
  // Any further flag Binance adds (options, portfolio margin, FIX...) is kept by name.
  const other = Object.entries(raw)
    .filter(([name, value]) => /^(enable|permits)/.test(name) && !MAPPED_FLAGS.has(name) && value === true)
    .map(([name]) => name)
    .sort();
  return {
    read: raw.enableReading === true,
    spotTrade: raw.enableSpotAndMarginTrading === true,
    marginTrade: raw.enableMargin === true,
    futuresTrade: raw.enableFutures === true,
    withdraw: raw.enableWithdrawals === true,
    transfer: raw.enableInternalTransfer === true || raw.permitsUniversalTransfer === true,
    other,
  };
}

async function describeBinanceKey(credentials: KeyCredentials, context: AdapterContext): Promise<KeyDescription> {
  return describeOrClassify(classifyBinanceError, async () => {
    const exchange = binanceClient(credentials, context);
    const raw = await callExchange({ exchange, pacer: context.pacer, classify: classifyBinanceError, request: { endpoint: "apiRestrictions", weight: 1 } }, () =>
      exchange.sapiGetAccountApiRestrictions(),
    );
    const parsed = apiRestrictionsSchema.safeParse(raw);
    if (!parsed.success) throw malformed(ID, "GET /sapi/v1/account/apiRestrictions");
    const restrictions = parsed.data;
    return {
      status: "valid",
      permissions: binancePermissions(restrictions),
      rawPermissions: restrictions,
      ipRestricted: restrictions.ipRestrict,
      // Binance says whether a whitelist exists, not what is on it.
      ipWhitelist: [],
      createdAt: toDate(restrictions.createTime),
      // Binance keys themselves do not expire; the only end date it reports is when the
      // key's trading authority lapses, which is what stops a bot: shown as the expiry.
      expiresAt: toDate(restrictions.tradingAuthorityExpirationTime),
      permissionsKnown: true,
      raw,
    };
  });
}

// --- exportHistory -----------------------------------------------------------------------------

export const BINANCE_TRADES_LIMIT = 1000;
/** Binance's deposit and withdrawal history accept windows of at most 90 days. */
export const BINANCE_HISTORY_WINDOW_MS = 90 * 24 * 60 * 60 * 1000;
/** Binance opened in July 2017: nothing to look for before. */
export const BINANCE_DEFAULT_SINCE = new Date("2017-07-01T00:00:00Z");
const HISTORY_PAGE = 1000;
/** A later run reads transfers from this much before the last sync (late bookings). */
const INCREMENTAL_SINCE_MARGIN_MS = 7 * 86_400_000;

// Request weights (Binance docs), for the pacer.
const WEIGHT = { exchangeInfo: 20, account: 20, myTrades: 20, deposits: 1, withdrawals: 18 } as const;

/**
 * - markets: per exchange symbol, the next `fromId` to ask for (inclusive). Survives runs, so
 *   a later run only fetches newer trades.
 * - remaining: symbols still to visit in this run; null before candidates are discovered.
 */
export interface BinanceCursor extends ExportCursor {
  exchange: "binance";
  version: 1;
  remaining: string[] | null;
  /** How many markets this run set out to visit (progress); null between runs. */
  planned?: number | null;
  markets: Record<string, { fromId: string }>;
}

const cursorSchema = z.object({
  exchange: z.literal(ID),
  version: z.literal(1),
  remaining: z.array(z.string()).nullable(),
  planned: z.number().int().nonnegative().nullable().optional(),
  markets: z.record(z.string(), z.object({ fromId: z.string().regex(/^\d+$/) })),
});

function parseCursor(cursor: ExportCursor | null): BinanceCursor {
  if (cursor === null) return { exchange: ID, version: 1, remaining: null, markets: {} };
  const parsed = cursorSchema.safeParse(cursor);
  if (!parsed.success) throw badCursor(ID);
  return parsed.data;
}

const decimal = decimalString();
const idSchema = z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/)]).transform(String);
const myTradeSchema = z.looseObject({
  symbol: z.string(),
  id: idSchema,
  orderId: idSchema,
  price: decimal,
  qty: decimal,
  quoteQty: decimal,
  commission: decimal,
  commissionAsset: z.string().nullable(),
  time: z.union([z.number(), z.string().regex(/^\d+$/)]).transform(Number),
  isBuyer: z.boolean(),
  isMaker: z.boolean(),
});

/** What an export knows of a market: ccxt's unified symbol and Binance's asset names. */
export interface BinanceMarketInfo {
  symbol: string | null;
  baseId: string | null;
  quoteId: string | null;
}

/** A raw /api/v3/myTrades record in the common shape; amounts are Binance's own strings. */
export function normalizeBinanceTrade(raw: unknown, market: BinanceMarketInfo | null, product: Product = "spot"): NormalizedTrade {
  const parsed = myTradeSchema.safeParse(raw);
  if (!parsed.success) throw malformed(ID, "GET /api/v3/myTrades");
  const t = parsed.data;
  const side = t.isBuyer ? "buy" : "sell";
  const fee = { cost: t.commission, currency: t.commissionAsset };
  return {
    id: t.id,
    orderId: t.orderId,
    product,
    market: t.symbol,
    symbol: market?.symbol ?? null,
    side,
    timestamp: t.time,
    price: t.price,
    amount: t.qty,
    cost: t.quoteQty,
    fee,
    maker: t.isMaker,
    exact: true,
    effects: spotTradeEffects({ base: market?.baseId ?? null, quote: market?.quoteId ?? null, side, amount: t.qty, cost: t.quoteQty, fee }),
    raw: raw as Record<string, unknown>,
  };
}

interface ExportDeps {
  exchange: Exchange;
  pacer: RequestPacer | undefined;
}

function call<T>({ exchange, pacer }: ExportDeps, endpoint: keyof typeof WEIGHT, fn: () => Promise<T>): Promise<T> {
  return callExchange({ exchange, pacer, classify: classifyBinanceError, request: { endpoint, weight: WEIGHT[endpoint] } }, fn);
}

const rowsWithAsset = (key: string) => z.array(z.looseObject({ [key]: z.string() }));

/** Assets the account holds now or moved in or out since `since`: where its trades can be. */
async function accountAssets(deps: ExportDeps, since: number, now: number): Promise<Set<string>> {
  const assets = new Set<string>();
  const account = await call(deps, "account", () => deps.exchange.privateGetAccount({ omitZeroBalances: true }));
  const balances = z.object({ balances: z.array(z.looseObject({ asset: z.string(), free: z.string(), locked: z.string() })) }).safeParse(account);
  if (!balances.success) throw malformed(ID, "GET /api/v3/account");
  for (const b of balances.data.balances) if (isNonZero(b.free) || isNonZero(b.locked)) assets.add(b.asset);

  for (let start = since; start < now; start += BINANCE_HISTORY_WINDOW_MS) {
    const end = Math.min(start + BINANCE_HISTORY_WINDOW_MS - 1, now);
    for (const [endpoint, fetch] of [
      ["deposits", (p: object) => deps.exchange.sapiGetCapitalDepositHisrec(p)],
      ["withdrawals", (p: object) => deps.exchange.sapiGetCapitalWithdrawHistory(p)],
    ] as const) {
      for (let offset = 0; ; offset += HISTORY_PAGE) {
        const rows = await call(deps, endpoint, () => fetch({ startTime: start, endTime: end, offset, limit: HISTORY_PAGE }));
        const parsed = rowsWithAsset("coin").safeParse(rows);
        if (!parsed.success) throw malformed(ID, `${endpoint} history`);
        for (const row of parsed.data) assets.add(row.coin as string);
        if (parsed.data.length < HISTORY_PAGE) break;
      }
    }
  }
  return assets;
}

/** Exchange symbols worth asking myTrades about. Pure given markets and assets. */
export function candidateSymbols(
  markets: Array<{ id: string; baseId: string; quoteId: string; spot: boolean }>,
  assets: Set<string>,
  known: Iterable<string>,
  fullScan: boolean,
): string[] {
  const result = new Set<string>(known);
  for (const market of markets) {
    if (!market.spot) continue;
    // A trade on BASE/QUOTE moves both assets; one of them shows up in balances or transfers.
    if (fullScan || assets.has(market.baseId) || assets.has(market.quoteId)) result.add(market.id);
  }
  return [...result].sort();
}

async function* exportBinanceTrades(
  credentials: KeyCredentials,
  cursor: ExportCursor | null,
  options: ExportOptions,
  context: AdapterContext,
): AsyncGenerator<HistoryPage> {
  let state = parseCursor(cursor);
  const exchange = binanceClient(credentials, context);
  const deps: ExportDeps = { exchange, pacer: options.pacer ?? context.pacer };
  const now = options.now ?? Date.now;

  const notes: CoverageNote[] = [];
  const loaded = await call(deps, "exchangeInfo", () => exchange.loadMarkets());
  const marketOf = (marketId: string): BinanceMarketInfo | null => {
    const market = exchange.markets_by_id?.[marketId]?.[0];
    return market ? { symbol: market.symbol ?? null, baseId: market.baseId ?? null, quoteId: market.quoteId ?? null } : null;
  };

  if (state.remaining === null) {
    // Candidates come from balances and from deposits and withdrawals since `since` (2017 by
    // default: ~75 requests). After a completed export every market found then is remembered
    // in the cursor, so a later run only needs the transfers since (a margin before) the last sync.
    const incremental = options.lastSyncedAt ? options.lastSyncedAt.getTime() - INCREMENTAL_SINCE_MARGIN_MS : Number.NEGATIVE_INFINITY;
    const since = Math.max((options.since ?? BINANCE_DEFAULT_SINCE).getTime(), incremental);
    const assets = await accountAssets(deps, since, now());
    const markets = Object.values(loaded).flatMap((m) =>
      m ? [{ id: String(m.id), baseId: String(m.baseId), quoteId: String(m.quoteId), spot: m.spot === true }] : [],
    );
    const remaining = candidateSymbols(markets, assets, Object.keys(state.markets), options.fullScan === true);
    state = { ...state, remaining, planned: remaining.length };
    const spot = markets.filter((m) => m.spot).length;
    const skipped = spot - remaining.filter((id) => markets.some((m) => m.spot && m.id === id)).length;
    if (skipped > 0) {
      notes.push({
        kind: "not_checked",
        part: "spot",
        markets: skipped,
        message: `${skipped} spot markets were not asked about: Binance lists no account's traded markets, and this export asked only where the balances and transfers point. A market bought and sold in full, with neither asset still held or transferred, is missed that way; a full scan asks about every market.`,
      });
    }
  }

  if (state.remaining === null || state.remaining.length === 0) {
    yield { ...emptyPage({ ...state, remaining: null, planned: null }), notes: notes.splice(0) };
    return;
  }

  while (state.remaining !== null && state.remaining.length > 0) {
    const [marketId, ...rest] = state.remaining as [string, ...string[]];
    const fromId = state.markets[marketId]?.fromId ?? "0";
    let rows: unknown;
    try {
      rows = await call(deps, "myTrades", () => exchange.privateGetMyTrades({ symbol: marketId, fromId, limit: BINANCE_TRADES_LIMIT }));
    } catch (error) {
      // -1121: a symbol remembered from an earlier run that Binance no longer knows. Nothing
      // more can come from it; the rest of the export must not stop for it.
      if (!(isExchangeAdapterError(error) && error.classified.code === "-1121")) throw error;
      notes.push({
        kind: "delisted",
        part: "spot",
        market: marketId,
        message: `${marketId}: Binance no longer knows this market (delisted), so ${state.markets[marketId] ? "its trades since the last export" : "its trades"} cannot be read any more; trades stored before are kept.`,
      });
      rows = [];
    }
    if (!Array.isArray(rows)) throw malformed(ID, "GET /api/v3/myTrades");
    const market = marketOf(marketId);
    const trades = rows.map((row) => normalizeBinanceTrade(row, market));
    const last = trades.at(-1);
    const nextFromId = last ? (BigInt(last.id) + 1n).toString() : fromId;
    const finished = rows.length < BINANCE_TRADES_LIMIT;
    const remaining = finished ? rest : state.remaining;
    const done = remaining.length === 0;
    const planned = Math.max(state.planned ?? 0, state.remaining.length);
    state = {
      ...state,
      markets: { ...state.markets, [marketId]: { fromId: nextFromId } },
      // the next run discovers candidates afresh (new assets, new markets)
      remaining: done ? null : remaining,
      planned: done ? null : planned,
    };
    const progress = { done: planned - remaining.length, total: planned, unit: "parts" as const, current: marketId };
    // the run's notes go with its first page, once
    yield { market: marketId, trades, nextCursor: state, done, progress, notes: notes.splice(0) };
  }
}

// --- adapter ----------------------------------------------------------------------------------

export function createBinanceAdapter(context: AdapterContext = {}): ExchangeAdapter {
  return {
    id: ID,
    displayName: "Binance",
    requiresPassphrase: false,
    full: true,
    guide: binanceGuide,
    history: { products: ["spot"], records: [], fullScan: true, pacing: "weight" },
    describeKey: (credentials) => describeBinanceKey(credentials, context),
    classifyError: classifyBinanceError,
    classifyRevocation: (error) => classifyBinanceError(error).status,
    exportHistory: (credentials, cursor, options = {}) => exportBinanceTrades(credentials, cursor, options, context),
  };
}
