import "server-only";
import { ArgumentsRequired, type Exchange, type Trade } from "ccxt";
import { z } from "zod";
import { callExchange, describeOrClassify } from "./call";
import { createExchange, exchangeClass } from "./ccxt-client";
import { classifyWith, verdict as v, type ExchangeErrorTable } from "./classify";
import { ExchangeAdapterError, exchangeCause } from "./errors";
import { genericGuide } from "./generic-guide";
import { badCursor, DECIMAL, isNonZero, plainNumber } from "./normalize";
import type {
  AdapterContext,
  ClassifiedError,
  ExchangeAdapter,
  ExportCursor,
  ExportOptions,
  KeyCredentials,
  KeyDescription,
  NormalizedTrade,
  CoverageNote,
  HistoryPage,
} from "./types";

// Any other ccxt exchange, through ccxt's unified methods only. We know none of its error
// codes, and ccxt's classes cannot tell a deleted key from a refused one: on many exchanges an
// AuthenticationError is also what an IP restriction or a missing permission raises (KuCoin
// answers an IP-restricted key that way). So this table never says "revoked": a refusal is
// "ambiguous", and the unbind wizard completes only on the user's re-authenticated
// acknowledgement, then keeps checking the key for a week (lib/unbind/watch-unprovable.ts).

export const genericErrors: ExchangeErrorTable = {
  codes: {},
  messages: [],
  unknownAuthentication: v("ambiguous", "unknown"),
};

export function classifyGenericError(error: unknown): ClassifiedError {
  return classifyWith(genericErrors, error);
}

// --- exact amounts from the raw record ------------------------------------------------------

const HINTS = {
  price: ["price", "px", "fillPx", "execPrice", "rate", "tradePrice", "fill_price", "executed_price", "p"],
  amount: ["amount", "qty", "quantity", "size", "sz", "fillSz", "execQty", "filled", "vol", "volume", "q", "base_amount"],
  cost: ["cost", "quoteQty", "quote_qty", "value", "execValue", "funds", "total", "quote_amount", "notional"],
  fee: ["fee", "commission", "execFee", "fees", "fee_amount", "feeAmount", "trade_fee"],
} as const;

/**
 * The exchange's own text for a number ccxt parsed from `info`: the first hinted field whose
 * decimal string has exactly that value. Unknown layouts fall back to ccxt's float (exact=false).
 */
export function exactFromInfo(info: Record<string, unknown>, value: number | undefined, hints: readonly string[]): { text: string; exact: boolean } | null {
  if (value === undefined || value === null || Number.isNaN(value)) return null;
  for (const key of hints) {
    const raw = info[key];
    const text = typeof raw === "string" ? raw.trim() : undefined;
    if (text !== undefined && DECIMAL.test(text) && Math.abs(Number(text)) === Math.abs(value)) {
      return { text: text.replace(/^-/, value < 0 ? "-" : ""), exact: true };
    }
  }
  return { text: plainNumber(value), exact: false };
}

export function normalizeCcxtTrade(trade: Trade): NormalizedTrade | null {
  const info = (trade.info ?? {}) as Record<string, unknown>;
  const price = exactFromInfo(info, trade.price, HINTS.price);
  const amount = exactFromInfo(info, trade.amount, HINTS.amount);
  if (!trade.id || !price || !amount || trade.timestamp === undefined || (trade.side !== "buy" && trade.side !== "sell")) return null;
  const cost = exactFromInfo(info, trade.cost, HINTS.cost);
  const fee = trade.fee?.cost !== undefined ? exactFromInfo(info, trade.fee.cost, HINTS.fee) : null;
  return {
    id: String(trade.id),
    orderId: trade.order ? String(trade.order) : null,
    product: "spot",
    market: typeof info.symbol === "string" ? info.symbol : String(trade.symbol),
    symbol: trade.symbol ?? null,
    side: trade.side,
    timestamp: trade.timestamp,
    price: price.text,
    amount: amount.text,
    cost: cost?.text ?? "0",
    fee: fee ? { cost: fee.text, currency: trade.fee?.currency ?? null } : null,
    maker: trade.takerOrMaker === "maker" ? true : trade.takerOrMaker === "taker" ? false : null,
    exact: price.exact && amount.exact && (cost?.exact ?? false) && (fee?.exact ?? true),
    // Without the exchange's own asset names and balances there is nothing to reconcile with.
    effects: {},
    raw: info,
  };
}

// --- describeKey ------------------------------------------------------------------------------

async function describeGenericKey(exchangeId: string, credentials: KeyCredentials, context: AdapterContext): Promise<KeyDescription> {
  const classify = classifyGenericError;
  return describeOrClassify(classify, async () => {
    const exchange = createExchange(exchangeId, credentials, context);
    const raw = await callExchange({ exchange, classify, pacer: context.pacer, request: { endpoint: "fetchBalance", weight: 1 } }, () => exchange.fetchBalance());
    return {
      status: "valid",
      // It could read the balance; everything else is unknown.
      permissions: { read: true, spotTrade: false, marginTrade: false, futuresTrade: false, withdraw: false, transfer: false, other: [] },
      rawPermissions: null,
      ipRestricted: false,
      ipWhitelist: [],
      createdAt: null,
      expiresAt: null,
      permissionsKnown: false,
      raw: raw.info ?? null,
    };
  });
}

// --- exportHistory -----------------------------------------------------------------------------

const PAGE_LIMIT = 100;
const DEFAULT_LOOKBACK_MS = 2 * 365 * 24 * 60 * 60 * 1000;

/**
 * Best effort, for exchanges without a full adapter: walks fetchMyTrades forward by `since`
 * and stops at the first page with nothing new. Exchanges that cap a request's time window or
 * answer newest-first beyond the limit can leave gaps; they deserve a full adapter. Trades
 * sharing the boundary timestamp are asked for again and skipped by id (`seen`), so none is
 * lost between pages.
 * - symbols: null when the exchange answers for all markets at once, else the markets to visit
 */
export interface GenericCursor extends ExportCursor {
  version: 1;
  symbols: string[] | null;
  bySymbol: Record<string, { since: number; seen: string[] }>;
  /** Markets left in this run (per-symbol mode); null before discovery. */
  remaining: string[] | null;
}

const ALL = "*";

function parseCursor(exchangeId: string, cursor: ExportCursor | null): GenericCursor {
  if (cursor === null) return { exchange: exchangeId, version: 1, symbols: null, bySymbol: {}, remaining: null };
  const parsed = z
    .object({
      exchange: z.literal(exchangeId),
      version: z.literal(1),
      symbols: z.array(z.string()).nullable(),
      bySymbol: z.record(z.string(), z.object({ since: z.number(), seen: z.array(z.string()) })),
      remaining: z.array(z.string()).nullable(),
    })
    .safeParse(cursor);
  if (!parsed.success) throw badCursor(exchangeId);
  return parsed.data;
}

async function* exportGenericTrades(
  exchangeId: string,
  credentials: KeyCredentials,
  cursor: ExportCursor | null,
  options: ExportOptions,
  context: AdapterContext,
): AsyncGenerator<HistoryPage> {
  let state = parseCursor(exchangeId, cursor);
  const exchange: Exchange = createExchange(exchangeId, credentials, context);
  const classify = classifyGenericError;
  const call = <T>(endpoint: string, fn: () => Promise<T>) => callExchange({ exchange, classify, pacer: options.pacer ?? context.pacer, request: { endpoint, weight: 1 } }, fn);
  if (exchange.has.fetchMyTrades !== true) {
    throw new ExchangeAdapterError(exchangeId, { status: "ambiguous", reason: "configuration", message: "ccxt cannot fetch this exchange's trades" });
  }
  // From a fixed start: without `since` most exchanges answer with their newest trades, and
  // walking forward from those would skip everything older.
  const start = options.since?.getTime() ?? (options.now ?? Date.now)() - DEFAULT_LOOKBACK_MS;
  const runNotes: CoverageNote[] = [
    {
      kind: "retention",
      part: "spot",
      availableFrom: start,
      message: `Trades before ${new Date(start).toISOString().slice(0, 10)} were not asked for: MyITS has no full adapter for ${exchangeId} and reads two years back through ccxt.`,
    },
  ];

  if (state.remaining === null) {
    const markets = await call("loadMarkets", () => exchange.loadMarkets());
    // One call for all markets where the exchange allows it; per market otherwise.
    let perSymbol = false;
    try {
      await call("fetchMyTrades", () => exchange.fetchMyTrades(undefined, start, 1));
    } catch (error) {
      if (!(error instanceof ExchangeAdapterError && exchangeCause(error) instanceof ArgumentsRequired)) throw error;
      perSymbol = true;
    }
    let remaining = [ALL];
    if (perSymbol) {
      const balance = await call("fetchBalance", () => exchange.fetchBalance());
      const held = new Set(Object.entries(balance.total ?? {}).filter(([, amount]) => isNonZero(String(amount ?? 0))).map(([code]) => code));
      const fromMarkets = Object.values(markets)
        .filter((m) => m && m.spot && (held.has(m.base) || held.has(m.quote)))
        .map((m) => m!.symbol);
      remaining = [...new Set([...fromMarkets, ...Object.keys(state.bySymbol).filter((s) => s !== ALL)])].sort();
    }
    state = { ...state, symbols: perSymbol ? remaining : null, remaining };
    const spotMarkets = Object.values(markets).filter((m) => m?.spot).length;
    if (perSymbol && spotMarkets > remaining.length) {
      runNotes.push({
        kind: "not_checked",
        part: "spot",
        markets: spotMarkets - remaining.length,
        message: `${spotMarkets - remaining.length} markets whose assets the account does not hold were not asked about: ${exchangeId} answers per market, and MyITS asks only where the balances point.`,
      });
    }
  }

  if (!state.remaining || state.remaining.length === 0) {
    yield { market: null, trades: [], nextCursor: { ...state, remaining: null }, done: true, progress: null, notes: runNotes };
    return;
  }

  while (state.remaining && state.remaining.length > 0) {
    const [symbol, ...rest] = state.remaining as [string, ...string[]];
    const position = state.bySymbol[symbol] ?? { since: start, seen: [] };
    const page = await call("fetchMyTrades", () =>
      exchange.fetchMyTrades(symbol === ALL ? undefined : symbol, position.since, PAGE_LIMIT),
    );
    const seen = new Set(position.seen);
    const fresh = page.filter((t) => t.id !== undefined && !seen.has(String(t.id)));
    const trades = fresh.map(normalizeCcxtTrade).filter((t): t is NormalizedTrade => t !== null);
    const latest = Math.max(position.since, ...trades.map((t) => t.timestamp));
    const atLatest = trades.filter((t) => t.timestamp === latest).map((t) => t.id);
    const nextPosition = { since: latest, seen: latest === position.since ? [...position.seen, ...atLatest] : atLatest };
    const finished = fresh.length === 0 || page.length < PAGE_LIMIT;
    const remaining = finished ? rest : state.remaining;
    const done = remaining.length === 0;
    const planned = state.symbols?.length ?? 1;
    state = { ...state, bySymbol: { ...state.bySymbol, [symbol]: nextPosition }, remaining: done ? null : remaining };
    const progress = { done: planned - remaining.length, total: planned, unit: "parts" as const, current: remaining[0] ?? null };
    // the notes of the run go with its first page, once
    yield { market: symbol === ALL ? null : symbol, trades, nextCursor: state, done, progress, notes: runNotes.splice(0) };
  }
}

// --- adapter ----------------------------------------------------------------------------------

export function createGenericAdapter(exchangeId: string, context: AdapterContext = {}): ExchangeAdapter {
  const Class = exchangeClass(exchangeId);
  if (!Class) throw new ExchangeAdapterError(exchangeId, { status: "ambiguous", reason: "configuration", message: "not a ccxt exchange" });
  const probe = new Class();
  const displayName = String(probe.name ?? exchangeId);
  const www = probe.urls?.www;
  return {
    id: exchangeId,
    displayName,
    requiresPassphrase: probe.requiredCredentials?.password === true,
    full: false,
    guide: genericGuide(exchangeId, displayName, typeof www === "string" ? www : null),
    history: { products: ["spot"], records: [], fullScan: false, pacing: "cooldown" },
    describeKey: (credentials) => describeGenericKey(exchangeId, credentials, context),
    classifyError: classifyGenericError,
    classifyRevocation: (error) => classifyGenericError(error).status,
    exportHistory: (credentials, cursor, options = {}) => exportGenericTrades(exchangeId, credentials, cursor, options, context),
  };
}
