import "server-only";
import type { Exchange } from "ccxt";
import { z } from "zod";
import { callExchange, malformed } from "../call";
import { effectsOf } from "../effects";
import { isExchangeAdapterError } from "../errors";
import { mergeStreams } from "../merge-streams";
import { badCursor, isNonZero } from "../normalize";
import type { ClassifiedError, CoverageNote, ExportCursor, ExportOptions, HistoryPage, RequestPacer } from "../types";
import {
  normalizeBinanceConvert,
  normalizeBinanceDeposit,
  normalizeBinanceDust,
  normalizeBinanceFuturesTrade,
  normalizeBinanceIncome,
  normalizeBinanceTrade,
  normalizeBinanceWithdrawal,
  type BinanceMarketInfo,
} from "./records";

// Everything a Binance key can read of the account's history, as one resumable export:
// spot, cross and isolated margin trades (per market, by fromId), USDⓈ-M and COIN-M trades
// (per market) and income, convert and dust history, deposits and withdrawals, and at the end
// the balances of every wallet for the reconciliation.
//
// Binance counts four budgets separately (/api+/sapi IP weight, /fapi, /dapi, and the UID
// weight of convert/tradeFlow), so the work is four streams run at once (merge-streams.ts),
// each a list of tasks kept in the cursor. A stream changes the cursor only when its page is
// handed on, so whenever the process dies the cursor and the stored records agree.
//
// Binance lists no account's traded markets. A full scan asks about every spot (and margin)
// market; otherwise only the markets whose assets the balances and transfers show, and the
// coverage says how many were not asked about. Futures markets are few and cheap: all of them
// are always asked about.

const ID = "binance";
const DAY = 86_400_000;

export const BINANCE_TRADES_LIMIT = 1000;
/** Deposit and withdrawal history accept windows of at most 90 days. */
export const BINANCE_HISTORY_WINDOW_MS = 90 * DAY;
/** Binance opened in July 2017: nothing to look for before. */
export const BINANCE_DEFAULT_SINCE = new Date("2017-07-01T00:00:00Z");
/** Convert launched later; its history is read from here. */
const CONVERT_SINCE = Date.parse("2019-01-01T00:00:00Z");
/** asset/dribblet serves nothing before this day. */
const DUST_SINCE = Date.parse("2020-12-01T00:00:00Z");
/** fapi/dapi userTrades serve the last 6 months; fapi income the last 3. */
const FUTURES_TRADES_MS = 180 * DAY;
const USDM_INCOME_MS = 90 * DAY;
/** A later run reads time-ordered history from this much before the last run (late bookings). */
const OVERLAP_MS = 7 * DAY;
const HISTORY_PAGE = 1000;
const INCOME_LIMIT = 1000;
const CONVERT_WINDOW_MS = 30 * DAY;
const CONVERT_LIMIT = 1000;
const DUST_WINDOW_MS = 90 * DAY;
const DUST_PAGE = 100;
const INCOME_WINDOW_MS = 30 * DAY;

type TradeProduct = "spot" | "margin" | "isolated_margin" | "usdm" | "coinm";
type StreamId = "spot" | "fapi" | "dapi" | "uid";

// Request weights (Binance docs) and the pool each counts against, for the pacer.
const REQUESTS = {
  exchangeInfo: { weight: 20, pool: "spot" },
  account: { weight: 20, pool: "spot" },
  myTrades: { weight: 20, pool: "spot" },
  deposits: { weight: 1, pool: "spot" },
  withdrawals: { weight: 18, pool: "spot" },
  marginAccount: { weight: 10, pool: "spot" },
  marginPairs: { weight: 1, pool: "spot" },
  isolatedAccount: { weight: 10, pool: "spot" },
  isolatedPairs: { weight: 10, pool: "spot" },
  marginTrades: { weight: 10, pool: "spot" },
  dust: { weight: 1, pool: "spot" },
  convert: { weight: 3000, pool: "uid" },
  fapiExchangeInfo: { weight: 1, pool: "fapi" },
  fapiBalance: { weight: 5, pool: "fapi" },
  fapiTrades: { weight: 5, pool: "fapi" },
  fapiIncome: { weight: 30, pool: "fapi" },
  dapiExchangeInfo: { weight: 1, pool: "dapi" },
  dapiBalance: { weight: 1, pool: "dapi" },
  dapiTrades: { weight: 20, pool: "dapi" },
  dapiIncome: { weight: 20, pool: "dapi" },
} as const;
type RequestName = keyof typeof REQUESTS;

// --- cursor -----------------------------------------------------------------------------------

const taskSchema = z.discriminatedUnion("t", [
  z.object({ t: z.literal("transfers"), kind: z.enum(["deposits", "withdrawals"]), from: z.number(), offset: z.number().int().nonnegative() }),
  z.object({ t: z.literal("plan"), product: z.enum(["spot", "margin", "isolated_margin", "usdm", "coinm"]) }),
  z.object({ t: z.literal("trades"), product: z.enum(["spot", "margin", "isolated_margin", "usdm", "coinm"]), market: z.string() }),
  z.object({ t: z.literal("income"), product: z.enum(["usdm", "coinm"]), from: z.number(), page: z.number().int().positive() }),
  z.object({ t: z.literal("convert"), from: z.number(), to: z.number().nullable() }),
  z.object({ t: z.literal("dust"), from: z.number(), to: z.number().nullable() }),
]);
type Task = z.infer<typeof taskSchema>;

const runSchema = z.object({
  startedAt: z.number(),
  tasks: z.record(z.enum(["spot", "fapi", "dapi", "uid"]), z.array(taskSchema)),
  /** Assets seen in balances and transfers (discovery); markets known to exist per product. */
  assets: z.array(z.string()),
  /** Accounts the key could read (margin, isolated, usdm, coinm): where balances are read. */
  accounts: z.array(z.string()),
  planned: z.number().int().nonnegative(),
  completed: z.number().int().nonnegative(),
});

const cursorSchema = z.object({
  exchange: z.literal(ID),
  version: z.literal(2),
  /** Per product and market, the next trade id to ask for (inclusive): survives runs. */
  fromIds: z.record(z.string(), z.record(z.string(), z.string().regex(/^\d+$/))),
  /** Where the next run reads time-ordered history from (transfers, income, convert, dust). */
  since: z.record(z.string(), z.number()),
  run: runSchema.nullable(),
});

export type BinanceCursor = z.infer<typeof cursorSchema> & ExportCursor;
type Run = z.infer<typeof runSchema>;

/** The stored cursor, a version 1 one (spot only: remaining markets, fromId per market) carried over. */
export function parseBinanceCursor(cursor: ExportCursor | null): BinanceCursor {
  if (cursor === null) return { exchange: ID, version: 2, fromIds: {}, since: {}, run: null };
  if ((cursor as { version?: unknown }).version === 1) {
    const v1 = z.object({ markets: z.record(z.string(), z.object({ fromId: z.string().regex(/^\d+$/) })) }).safeParse(cursor);
    if (!v1.success) throw badCursor(ID);
    const spot = Object.fromEntries(Object.entries(v1.data.markets).map(([market, { fromId }]) => [market, fromId]));
    return { exchange: ID, version: 2, fromIds: { spot }, since: {}, run: null };
  }
  const parsed = cursorSchema.safeParse(cursor);
  if (!parsed.success) throw badCursor(ID);
  return parsed.data as BinanceCursor;
}

// --- the export -------------------------------------------------------------------------------

interface Deps {
  exchange: Exchange;
  pacer: RequestPacer | undefined;
  classify: (error: unknown) => ClassifiedError;
  fullScan: boolean;
  now: number;
  since: number;
}

/** What a stream hands on: records of one page, and its task list after them. */
interface Step {
  page: Omit<HistoryPage, "nextCursor" | "done" | "progress">;
  tasks: Task[];
  /** Tasks this page finished (progress), tasks it added (a plan step), assets and accounts learnt. */
  completed: number;
  added: number;
  assets?: string[];
  accounts?: string[];
  fromIds?: { product: TradeProduct; market: string; fromId: string };
  since?: Record<string, number>;
}

function call<T>(deps: Deps, name: RequestName, fn: () => Promise<T>): Promise<T> {
  return callExchange({ exchange: deps.exchange, pacer: deps.pacer, classify: deps.classify, request: { endpoint: name, ...REQUESTS[name] } }, fn);
}

const rateLimitsSchema = z.looseObject({
  rateLimits: z.array(z.looseObject({ rateLimitType: z.string(), interval: z.string(), intervalNum: z.number(), limit: z.number() })),
});

/**
 * exchangeInfo states the pool's request weight per minute: handed to the pacer, which then
 * need not find the limit one request at a time (lib/exchanges/pacing/weight-pacer.ts).
 */
function declareWeightLimit(deps: Deps, pool: "spot" | "fapi" | "dapi", info: unknown): void {
  const parsed = rateLimitsSchema.safeParse(info);
  const weight = parsed.data?.rateLimits.find((r) => r.rateLimitType === "REQUEST_WEIGHT" && r.interval === "MINUTE" && r.intervalNum === 1);
  if (weight) deps.pacer?.declareLimit?.({ exchange: ID, endpoint: "exchangeInfo", weight: 0, pool }, weight.limit);
}

function codeOf(error: unknown): string | undefined {
  return isExchangeAdapterError(error) ? error.classified.code : undefined;
}

export async function* exportBinanceHistory(
  exchange: Exchange,
  classify: (error: unknown) => ClassifiedError,
  cursor: ExportCursor | null,
  options: ExportOptions,
): AsyncGenerator<HistoryPage> {
  const state = parseBinanceCursor(cursor);
  const now = (options.now ?? Date.now)();
  const incremental = options.lastSyncedAt ? options.lastSyncedAt.getTime() - OVERLAP_MS : Number.NEGATIVE_INFINITY;
  const deps: Deps = {
    exchange,
    pacer: options.pacer,
    classify,
    fullScan: options.fullScan === true,
    now,
    since: Math.max((options.since ?? BINANCE_DEFAULT_SINCE).getTime(), incremental),
  };

  await call(deps, "exchangeInfo", () => exchange.loadMarkets());
  declareWeightLimit(deps, "spot", exchange.last_json_response);
  const run: Run = state.run ?? startRun(state, deps);
  let current: BinanceCursor = { ...state, run };
  const markets = marketsOf(exchange);

  const streams = (Object.keys(run.tasks) as StreamId[])
    .filter((id) => (run.tasks[id] ?? []).length > 0)
    .map((id) => [id, runStream(deps, run.tasks[id] ?? [], current, markets)[Symbol.asyncIterator]()] as const);

  for await (const { stream, item } of mergeStreams(streams)) {
    const r = current.run!;
    const fromIds = { ...current.fromIds };
    if (item.fromIds) fromIds[item.fromIds.product] = { ...(fromIds[item.fromIds.product] ?? {}), [item.fromIds.market]: item.fromIds.fromId };
    current = {
      ...current,
      fromIds,
      since: { ...current.since, ...item.since },
      run: {
        ...r,
        tasks: { ...r.tasks, [stream]: item.tasks },
        assets: item.assets ? [...new Set([...r.assets, ...item.assets])].sort() : r.assets,
        accounts: item.accounts ? [...new Set([...r.accounts, ...item.accounts])].sort() : r.accounts,
        planned: r.planned + item.added,
        completed: r.completed + item.completed,
      },
    };
    const progress = { done: current.run!.completed, total: Math.max(current.run!.planned, current.run!.completed), unit: "parts" as const, current: currentTask(current.run!) };
    yield { ...item.page, nextCursor: current, done: false, progress };
  }

  // Every stream is done: the balances now, for the reconciliation, and the run ends.
  const balances = await readBalances(deps, current.run!.accounts);
  const finished: BinanceCursor = { ...current, run: null };
  yield { market: null, trades: [], balances, nextCursor: finished, done: true, progress: { done: 1, total: 1, unit: "parts", current: null } };
}

function currentTask(run: Run): string | null {
  for (const tasks of Object.values(run.tasks)) {
    const task = tasks?.[0];
    if (task?.t === "trades") return `${task.product} ${task.market}`;
  }
  return null;
}

/** The tasks of a new run, per stream. */
function startRun(state: BinanceCursor, deps: Deps): Run {
  const sinceOf = (what: string, floor: number) => Math.max(state.since[what] ?? Number.NEGATIVE_INFINITY, deps.since, floor);
  const tasks: Record<StreamId, Task[]> = {
    spot: [
      { t: "transfers", kind: "deposits", from: sinceOf("deposits", BINANCE_DEFAULT_SINCE.getTime()), offset: 0 },
      { t: "transfers", kind: "withdrawals", from: sinceOf("withdrawals", BINANCE_DEFAULT_SINCE.getTime()), offset: 0 },
      { t: "plan", product: "spot" },
      { t: "plan", product: "margin" },
      { t: "plan", product: "isolated_margin" },
      { t: "dust", from: sinceOf("dust", DUST_SINCE), to: null },
    ],
    fapi: [{ t: "plan", product: "usdm" }],
    dapi: [{ t: "plan", product: "coinm" }],
    uid: [{ t: "convert", from: sinceOf("convert", CONVERT_SINCE), to: null }],
  };
  const planned = Object.values(tasks).reduce((sum, list) => sum + list.length, 0);
  return { startedAt: deps.now, tasks, assets: [], accounts: [], planned, completed: 0 };
}

interface MarketLists {
  spot: Map<string, BinanceMarketInfo>;
}

function marketsOf(exchange: Exchange): MarketLists {
  const spot = new Map<string, BinanceMarketInfo>();
  for (const market of Object.values(exchange.markets ?? {})) {
    if (market?.spot) spot.set(String(market.id), { symbol: market.symbol ?? null, baseId: market.baseId ?? null, quoteId: market.quoteId ?? null });
  }
  return { spot };
}

// --- one stream: its tasks in order -------------------------------------------------------------

/**
 * Markets whose trades one stream reads at once. Each market's pages follow one another (the
 * next fromId comes from the last page), so a stream of one request at a time is capped by
 * latency alone: at 200 ms a request it sends at most 5 a second, which is all /api's 6000
 * weight a minute allows for myTrades, with nothing left for parsing or storing (the (b)
 * benchmark measured 67% of the bound that way). Three markets at once keep a pool busy up to
 * about 500 ms a request. Pages are handed on as they arrive; each one's task list still holds
 * every market not finished, so the cursor stays true whichever page was last stored.
 */
const TRADE_LANES = 3;

async function* runStream(deps: Deps, initial: Task[], start: BinanceCursor, markets: MarketLists): AsyncGenerator<Step> {
  let tasks = initial;
  // this stream's own view of what it has stored (fromIds advance only with its pages)
  const fromIds: Record<string, Record<string, string>> = JSON.parse(JSON.stringify(start.fromIds));
  const assets = new Set(start.run?.assets ?? []);
  // futures symbols and margin pairs are looked up once per stream
  const lists: Record<string, Map<string, BinanceMarketInfo> | undefined> = { spot: markets.spot };
  const view = (): StreamView => ({ fromIds, since: start.since, assets, lists, runStart: start.run?.startedAt ?? deps.now });
  const learn = (step: Step) => {
    if (step.fromIds) fromIds[step.fromIds.product] = { ...(fromIds[step.fromIds.product] ?? {}), [step.fromIds.market]: step.fromIds.fromId };
    for (const asset of step.assets ?? []) assets.add(asset);
  };
  // trade tasks being read, from the head of the list (never one market twice)
  const reading = new Map<Task, Promise<{ task: Task; step: Step }>>();
  try {
    while (tasks.length > 0) {
      const [task, ...rest] = tasks as [Task, ...Task[]];
      if (task.t !== "trades") {
        const step = await runTask(deps, task, rest, view());
        learn(step);
        tasks = step.tasks;
        yield step;
        continue;
      }
      for (const next of tasks) {
        if (reading.size >= TRADE_LANES || next.t !== "trades") break;
        if (reading.has(next)) continue;
        const page = tradesTask(deps, next, [], view()).then((step) => ({ task: next, step }));
        page.catch(() => undefined); // surfaces through the race below, or is dropped when the stream closes
        reading.set(next, page);
      }
      const { task: done, step } = await Promise.race(reading.values());
      reading.delete(done);
      learn(step);
      // finished (or delisted): the market leaves the list; otherwise it stays where it is
      if (step.completed === 1) tasks = tasks.filter((t) => t !== done);
      yield { ...step, tasks };
    }
  } finally {
    // no request outlives the stream
    await Promise.allSettled(reading.values());
  }
}

interface StreamView {
  fromIds: Record<string, Record<string, string>>;
  /** Where this run reads time-ordered history from, as the cursor had it at the start. */
  since: Record<string, number>;
  assets: Set<string>;
  lists: Record<string, Map<string, BinanceMarketInfo> | undefined>;
  runStart: number;
}

const empty = (rest: Task[], extra: Partial<Step> = {}): Step => ({ page: { market: null, trades: [] }, tasks: rest, completed: 1, added: 0, ...extra });

async function runTask(deps: Deps, task: Task, rest: Task[], view: StreamView): Promise<Step> {
  switch (task.t) {
    case "transfers":
      return transfersTask(deps, task, rest, view);
    case "plan":
      return planTask(deps, task.product, rest, view);
    case "trades":
      return tradesTask(deps, task, rest, view);
    case "income":
      return incomeTask(deps, task, rest, view);
    case "convert":
      return convertTask(deps, task, rest, view);
    case "dust":
      return dustTask(deps, task, rest, view);
  }
}

// --- transfers --------------------------------------------------------------------------------

async function transfersTask(deps: Deps, task: Extract<Task, { t: "transfers" }>, rest: Task[], view: StreamView): Promise<Step> {
  const end = Math.min(task.from + BINANCE_HISTORY_WINDOW_MS - 1, deps.now);
  const params = { startTime: task.from, endTime: end, offset: task.offset, limit: HISTORY_PAGE };
  const rows =
    task.kind === "deposits"
      ? await call(deps, "deposits", () => deps.exchange.sapiGetCapitalDepositHisrec(params))
      : await call(deps, "withdrawals", () => deps.exchange.sapiGetCapitalWithdrawHistory(params));
  if (!Array.isArray(rows)) throw malformed(ID, `${task.kind} history`);
  const transfers = rows.map(task.kind === "deposits" ? normalizeBinanceDeposit : normalizeBinanceWithdrawal);
  const assets = transfers.map((t) => t.asset);
  let next: Task | null;
  if (rows.length === HISTORY_PAGE) next = { ...task, offset: task.offset + HISTORY_PAGE };
  else if (end < deps.now) next = { ...task, from: end + 1, offset: 0 };
  else next = null;
  const page = { market: null, trades: [], transfers };
  if (next) return { page, tasks: [next, ...rest], completed: 0, added: 0, assets };
  return { page, tasks: rest, completed: 1, added: 0, assets, since: { [task.kind]: view.runStart - OVERLAP_MS } };
}

// --- planning: which markets to ask about ------------------------------------------------------

async function planTask(deps: Deps, product: TradeProduct, rest: Task[], view: StreamView): Promise<Step> {
  const known = Object.keys(view.fromIds[product] ?? {});
  const notes: CoverageNote[] = [];
  let candidates: string[];
  let accounts: string[] | undefined;
  const assets: string[] = [];

  if (product === "spot") {
    const account = await call(deps, "account", () => deps.exchange.privateGetAccount({ omitZeroBalances: true }));
    const parsed = z.object({ balances: z.array(z.looseObject({ asset: z.string(), free: z.string(), locked: z.string() })) }).safeParse(account);
    if (!parsed.success) throw malformed(ID, "GET /api/v3/account");
    for (const b of parsed.data.balances) if (isNonZero(b.free) || isNonZero(b.locked)) assets.push(b.asset);
    const held = new Set([...view.assets, ...assets]);
    const all = [...(view.lists.spot ?? new Map()).entries()];
    const pointed = all.filter(([, m]) => deps.fullScan || held.has(m.baseId ?? "") || held.has(m.quoteId ?? "")).map(([id]) => id);
    candidates = [...new Set([...pointed, ...known])].sort();
    const skipped = all.length - all.filter(([id]) => candidates.includes(id)).length;
    if (skipped > 0) notes.push(notCheckedNote("spot", skipped));
  } else if (product === "margin" || product === "isolated_margin") {
    const isolated = product === "isolated_margin";
    let accountAssets: string[];
    try {
      accountAssets = isolated ? await isolatedAssets(deps) : await marginAssets(deps);
    } catch (error) {
      // -3003: no margin account; -11001: isolated margin not opened
      if (codeOf(error) !== (isolated ? "-11001" : "-3003")) throw error;
      notes.push({ kind: "unavailable", part: product, message: `No ${isolated ? "isolated" : "cross"} margin account on Binance: there are no ${isolated ? "isolated" : "cross"} margin trades to back up.` });
      return { page: { market: null, trades: [], notes }, tasks: rest, completed: 1, added: 0 };
    }
    accounts = [product];
    const pairs = await marginPairs(deps, isolated);
    view.lists[product] = pairs;
    const held = new Set([...view.assets, ...accountAssets]);
    const all = [...pairs.entries()];
    const pointed = all.filter(([, m]) => deps.fullScan || held.has(m.baseId ?? "") || held.has(m.quoteId ?? "")).map(([id]) => id);
    candidates = [...new Set([...pointed, ...known])].sort();
    const skipped = all.length - all.filter(([id]) => candidates.includes(id)).length;
    if (skipped > 0) notes.push(notCheckedNote(product, skipped));
  } else {
    const futures = product === "usdm";
    try {
      await call(deps, futures ? "fapiBalance" : "dapiBalance", () => (futures ? deps.exchange.fapiPrivateV2GetBalance() : deps.exchange.dapiPrivateGetBalance()));
    } catch (error) {
      if (codeOf(error) !== "-2015") throw error;
      const name = futures ? "USDⓈ-M" : "COIN-M";
      const message = `Binance refuses this key on ${name} futures (-2015): the account has no ${name} futures account, or the key is not enabled for futures. If you trade ${name} futures, enable "Futures" on the key and back up again.`;
      notes.push({ kind: "unavailable", part: product, message }, { kind: "unavailable", part: "income", message: `${name} futures income: ${message}` });
      return { page: { market: null, trades: [], notes }, tasks: rest, completed: 1, added: 0 };
    }
    accounts = [product];
    const info = await call(deps, futures ? "fapiExchangeInfo" : "dapiExchangeInfo", () => (futures ? deps.exchange.fapiPublicGetExchangeInfo() : deps.exchange.dapiPublicGetExchangeInfo()));
    const parsed = z.object({ symbols: z.array(z.looseObject({ symbol: z.string() })) }).safeParse(info);
    if (!parsed.success) throw malformed(ID, futures ? "GET /fapi/v1/exchangeInfo" : "GET /dapi/v1/exchangeInfo");
    declareWeightLimit(deps, futures ? "fapi" : "dapi", info);
    // every futures market, always: there are few, and a discovery could not see closed positions
    candidates = [...new Set([...parsed.data.symbols.map((s) => s.symbol), ...known])].sort();
    const name = futures ? "USDⓈ-M" : "COIN-M";
    notes.push({
      kind: "retention",
      part: product,
      availableFrom: deps.now - FUTURES_TRADES_MS,
      message: `${name} trades older than 6 months: Binance's API no longer returns them; Binance's own trade-history export on its website may.`,
    });
    if (futures) {
      notes.push({
        kind: "retention",
        part: "income",
        availableFrom: deps.now - USDM_INCOME_MS,
        message: "USDⓈ-M income (funding, realized P&L, commissions) older than 3 months: Binance's API no longer returns it; its website's transaction-history export may.",
      });
    }
    const from = Math.max(deps.since, view.since[`${product}Income`] ?? Number.NEGATIVE_INFINITY, futures ? deps.now - USDM_INCOME_MS : Number.NEGATIVE_INFINITY);
    rest = [...rest, { t: "income", product, from, page: 1 }];
  }

  const tradeTasks: Task[] = candidates.map((market) => ({ t: "trades", product, market }));
  return {
    page: { market: null, trades: [], notes },
    tasks: [...tradeTasks, ...rest],
    completed: 1,
    added: tradeTasks.length + (product === "usdm" || product === "coinm" ? 1 : 0),
    assets,
    ...(accounts ? { accounts } : {}),
  };
}

function notCheckedNote(part: TradeProduct, count: number): CoverageNote {
  const what = part === "spot" ? "spot" : part === "margin" ? "cross margin" : "isolated margin";
  return {
    kind: "not_checked",
    part,
    markets: count,
    message: `${count} ${what} markets were not asked about: Binance lists no account's traded markets, and this export asked only where the balances and transfers point. A market bought and sold in full, with neither asset still held or transferred, is missed that way; a full scan asks about every market.`,
  };
}

async function marginAssets(deps: Deps): Promise<string[]> {
  const raw = await call(deps, "marginAccount", () => deps.exchange.sapiGetMarginAccount());
  const parsed = z.object({ userAssets: z.array(z.looseObject({ asset: z.string(), netAsset: z.string() })) }).safeParse(raw);
  if (!parsed.success) throw malformed(ID, "GET /sapi/v1/margin/account");
  return parsed.data.userAssets.filter((a) => isNonZero(a.netAsset)).map((a) => a.asset);
}

async function isolatedAssets(deps: Deps): Promise<string[]> {
  const raw = await call(deps, "isolatedAccount", () => deps.exchange.sapiGetMarginIsolatedAccount());
  const parsed = z.object({ assets: z.array(z.looseObject({ baseAsset: z.looseObject({ asset: z.string() }), quoteAsset: z.looseObject({ asset: z.string() }) })) }).safeParse(raw);
  if (!parsed.success) throw malformed(ID, "GET /sapi/v1/margin/isolated/account");
  return parsed.data.assets.flatMap((a) => [a.baseAsset.asset, a.quoteAsset.asset]);
}

async function marginPairs(deps: Deps, isolated: boolean): Promise<Map<string, BinanceMarketInfo>> {
  const raw = isolated
    ? await call(deps, "isolatedPairs", () => deps.exchange.sapiGetMarginIsolatedAllPairs())
    : await call(deps, "marginPairs", () => deps.exchange.sapiGetMarginAllPairs());
  const parsed = z.array(z.looseObject({ symbol: z.string(), base: z.string(), quote: z.string() })).safeParse(raw);
  if (!parsed.success) throw malformed(ID, isolated ? "GET /sapi/v1/margin/isolated/allPairs" : "GET /sapi/v1/margin/allPairs");
  return new Map(parsed.data.map((p) => [p.symbol, { symbol: `${p.base}/${p.quote}`, baseId: p.base, quoteId: p.quote }]));
}

// --- trades per market ------------------------------------------------------------------------

async function tradesTask(deps: Deps, task: Extract<Task, { t: "trades" }>, rest: Task[], view: StreamView): Promise<Step> {
  const { product, market } = task;
  const fromId = view.fromIds[product]?.[market] ?? "0";
  const params = { symbol: market, fromId, limit: BINANCE_TRADES_LIMIT };
  let rows: unknown;
  try {
    rows =
      product === "spot"
        ? await call(deps, "myTrades", () => deps.exchange.privateGetMyTrades(params))
        : product === "margin" || product === "isolated_margin"
          ? await call(deps, "marginTrades", () => deps.exchange.sapiGetMarginMyTrades({ ...params, isIsolated: product === "isolated_margin" ? "TRUE" : "FALSE" }))
          : product === "usdm"
            ? await call(deps, "fapiTrades", () => deps.exchange.fapiPrivateGetUserTrades(params))
            : await call(deps, "dapiTrades", () => deps.exchange.dapiPrivateGetUserTrades(params));
  } catch (error) {
    // -1121: a market remembered from an earlier run that Binance no longer knows. Nothing more
    // can come from it; the rest of the export must not stop for it.
    if (codeOf(error) !== "-1121") throw error;
    const note: CoverageNote = {
      kind: "delisted",
      part: product,
      market,
      message: `${market}: Binance no longer knows this market (delisted), so ${fromId !== "0" ? "its trades since the last export" : "its trades"} cannot be read any more; trades stored before are kept.`,
    };
    return empty(rest, { page: { market, trades: [], notes: [note] } });
  }
  if (!Array.isArray(rows)) throw malformed(ID, `${product} trades of ${market}`);
  const info = view.lists[product]?.get(market) ?? view.lists.spot?.get(market) ?? null;
  const trades =
    product === "usdm" || product === "coinm"
      ? rows.map((row) => normalizeBinanceFuturesTrade(row, product, null))
      : rows.map((row) => normalizeBinanceTrade(row, info, product));
  const last = trades.at(-1);
  const nextFromId = last ? (BigInt(last.id) + 1n).toString() : fromId;
  const finished = rows.length < BINANCE_TRADES_LIMIT;
  return {
    page: { market, trades },
    tasks: finished ? rest : [task, ...rest],
    completed: finished ? 1 : 0,
    added: 0,
    fromIds: { product, market, fromId: nextFromId },
  };
}

// --- income, convert, dust: by time -------------------------------------------------------------

async function incomeTask(deps: Deps, task: Extract<Task, { t: "income" }>, rest: Task[], view: StreamView): Promise<Step> {
  const futures = task.product === "usdm";
  const end = Math.min(task.from + INCOME_WINDOW_MS - 1, deps.now);
  const params = { startTime: task.from, endTime: end, page: task.page, limit: INCOME_LIMIT };
  const rows = futures
    ? await call(deps, "fapiIncome", () => deps.exchange.fapiPrivateGetIncome(params))
    : await call(deps, "dapiIncome", () => deps.exchange.dapiPrivateGetIncome(params));
  if (!Array.isArray(rows)) throw malformed(ID, futures ? "GET /fapi/v1/income" : "GET /dapi/v1/income");
  const income = rows.map((row) => normalizeBinanceIncome(row, task.product));
  const page = { market: null, trades: [], income };
  if (rows.length === INCOME_LIMIT) return { page, tasks: [{ ...task, page: task.page + 1 }, ...rest], completed: 0, added: 0 };
  if (end < deps.now) return { page, tasks: [{ ...task, from: end + 1, page: 1 }, ...rest], completed: 0, added: 0 };
  return { page, tasks: rest, completed: 1, added: 0, since: { [`${task.product}Income`]: view.runStart - OVERLAP_MS } };
}

async function convertTask(deps: Deps, task: Extract<Task, { t: "convert" }>, rest: Task[], view: StreamView): Promise<Step> {
  const windowEnd = Math.min(task.from + CONVERT_WINDOW_MS - 1, deps.now);
  const end = task.to ?? windowEnd;
  const raw = await call(deps, "convert", () => deps.exchange.sapiGetConvertTradeFlow({ startTime: task.from, endTime: end, limit: CONVERT_LIMIT }));
  const parsed = z.looseObject({ list: z.array(z.unknown()), moreData: z.boolean().optional() }).safeParse(raw);
  if (!parsed.success) throw malformed(ID, "GET /sapi/v1/convert/tradeFlow");
  const conversions = parsed.data.list.map(normalizeBinanceConvert);
  const page = { market: null, trades: [], conversions };
  // newest first: more of this window lies before the oldest row handed out
  const oldest = Math.min(...conversions.map((c) => c.timestamp));
  if (parsed.data.moreData && conversions.length > 0) return { page, tasks: [{ ...task, to: oldest - 1 }, ...rest], completed: 0, added: 0 };
  if (windowEnd < deps.now) return { page, tasks: [{ t: "convert", from: windowEnd + 1, to: null }, ...rest], completed: 0, added: 0 };
  return { page, tasks: rest, completed: 1, added: 0, since: { convert: view.runStart - OVERLAP_MS } };
}

async function dustTask(deps: Deps, task: Extract<Task, { t: "dust" }>, rest: Task[], view: StreamView): Promise<Step> {
  const windowEnd = Math.min(task.from + DUST_WINDOW_MS - 1, deps.now);
  const end = task.to ?? windowEnd;
  const raw = await call(deps, "dust", () => deps.exchange.sapiGetAssetDribblet({ startTime: task.from, endTime: end }));
  const parsed = z
    .looseObject({ userAssetDribblets: z.array(z.looseObject({ operateTime: z.union([z.number(), z.string()]).transform(Number), userAssetDribbletDetails: z.array(z.unknown()) })).optional() })
    .safeParse(raw);
  if (!parsed.success) throw malformed(ID, "GET /sapi/v1/asset/dribblet");
  const operations = parsed.data.userAssetDribblets ?? [];
  const conversions = operations.flatMap((op) => op.userAssetDribbletDetails.map(normalizeBinanceDust));
  const notes: CoverageNote[] =
    task.from <= DUST_SINCE && task.to === null
      ? [{ kind: "retention", part: "conversions", availableFrom: DUST_SINCE, message: "Dust conversions before 1 December 2020: Binance's API does not serve them." }]
      : [];
  const page = { market: null, trades: [], conversions, notes };
  // the newest 100 operations of a window: when it is full, read what lies before the oldest
  if (operations.length >= DUST_PAGE) {
    const oldest = Math.min(...operations.map((op) => op.operateTime));
    return { page, tasks: [{ ...task, to: oldest - 1 }, ...rest], completed: 0, added: 0 };
  }
  if (windowEnd < deps.now) return { page, tasks: [{ t: "dust", from: windowEnd + 1, to: null }, ...rest], completed: 0, added: 0 };
  return { page, tasks: rest, completed: 1, added: 0, since: { dust: view.runStart - OVERLAP_MS } };
}

// --- balances ---------------------------------------------------------------------------------

/** Every wallet's balance per asset, added up: spot, cross and isolated margin, USDⓈ-M, COIN-M. */
async function readBalances(deps: Deps, accounts: readonly string[]): Promise<Record<string, string>> {
  const movements: Array<readonly [string, string]> = [];
  const account = await call(deps, "account", () => deps.exchange.privateGetAccount({ omitZeroBalances: true }));
  const spot = z.object({ balances: z.array(z.looseObject({ asset: z.string(), free: z.string(), locked: z.string() })) }).safeParse(account);
  if (!spot.success) throw malformed(ID, "GET /api/v3/account");
  for (const b of spot.data.balances) movements.push([b.asset, b.free], [b.asset, b.locked]);
  if (accounts.includes("margin")) {
    const raw = await call(deps, "marginAccount", () => deps.exchange.sapiGetMarginAccount());
    const parsed = z.object({ userAssets: z.array(z.looseObject({ asset: z.string(), netAsset: z.string() })) }).safeParse(raw);
    if (!parsed.success) throw malformed(ID, "GET /sapi/v1/margin/account");
    for (const a of parsed.data.userAssets) movements.push([a.asset, a.netAsset]);
  }
  if (accounts.includes("isolated_margin")) {
    const raw = await call(deps, "isolatedAccount", () => deps.exchange.sapiGetMarginIsolatedAccount());
    const side = z.looseObject({ asset: z.string(), netAsset: z.string() });
    const parsed = z.object({ assets: z.array(z.looseObject({ baseAsset: side, quoteAsset: side })) }).safeParse(raw);
    if (!parsed.success) throw malformed(ID, "GET /sapi/v1/margin/isolated/account");
    for (const a of parsed.data.assets) movements.push([a.baseAsset.asset, a.baseAsset.netAsset], [a.quoteAsset.asset, a.quoteAsset.netAsset]);
  }
  for (const product of ["usdm", "coinm"] as const) {
    if (!accounts.includes(product)) continue;
    const raw =
      product === "usdm"
        ? await call(deps, "fapiBalance", () => deps.exchange.fapiPrivateV2GetBalance())
        : await call(deps, "dapiBalance", () => deps.exchange.dapiPrivateGetBalance());
    const parsed = z.array(z.looseObject({ asset: z.string(), balance: z.string() })).safeParse(raw);
    if (!parsed.success) throw malformed(ID, product === "usdm" ? "GET /fapi/v2/balance" : "GET /dapi/v1/balance");
    for (const a of parsed.data) movements.push([a.asset, a.balance]);
  }
  return effectsOf(...movements);
}
