import "server-only";
import type { Exchange } from "ccxt";
import { z } from "zod";
import { callExchange, malformed } from "../call";
import { effectsOf } from "../effects";
import { mergeStreams } from "../merge-streams";
import { badCursor, decimalString } from "../normalize";
import type { ClassifiedError, CoverageNote, ExportCursor, ExportOptions, HistoryPage, RequestPacer } from "../types";
import {
  BYBIT_CATEGORIES,
  bybitResult,
  normalizeBybitDeposit,
  normalizeBybitExecution,
  normalizeBybitWithdrawal,
  PRODUCT_OF,
  type BybitCategory,
  type BybitMarketInfo,
} from "./records";

// Everything a Bybit key can read of the account's history, as one resumable export:
// executions of every category (spot, linear = USDⓈ-M, inverse = COIN-M, option) from
// execution/list in windows of at most 7 days over the 2 years Bybit serves, each window paged
// with nextPageCursor; deposits and withdrawals (asset/deposit|withdraw/query-record) in windows
// of at most 30 days; at the end the unified account's wallet balance for the reconciliation.
//
// Bybit limits per endpoint, so executions and transfers are two streams run at once
// (merge-streams.ts), each a task list in the cursor that moves only when its page is handed on.
// A window is read up to the run's end, fixed when the run starts; the next run begins a little
// before it, for records booked late, and skips the ids it already handed on in that overlap.

const ID = "bybit";
const DAY = 86_400_000;

export const BYBIT_EXECUTIONS_LIMIT = 100;
export const BYBIT_WINDOW_MS = 7 * DAY;
export const BYBIT_TRANSFER_WINDOW_MS = 30 * DAY;
/** execution/list serves two years of history. */
export const BYBIT_HISTORY_MS = 730 * DAY;
/** A later run starts this much before the previous run's end: late-booked records are not lost. */
export const BYBIT_RUN_OVERLAP_MS = 60_000;
const TRANSFERS_LIMIT = 50;

type Part = BybitCategory | "deposits" | "withdrawals";
type StreamId = "trades" | "transfers";

const taskSchema = z.discriminatedUnion("t", [
  z.object({ t: z.literal("plan") }),
  z.object({
    t: z.literal("window"),
    part: z.enum([...BYBIT_CATEGORIES, "deposits", "withdrawals"]),
    /** Start (inclusive, ms) of the window being read. */
    from: z.number().int(),
    /** Bybit's nextPageCursor inside the window; null for its first page. */
    pageCursor: z.string().min(1).nullable(),
    /** In the part's last window: ids handed on within the overlap the next run re-reads. */
    tail: z.array(z.string()),
  }),
]);
type Task = z.infer<typeof taskSchema>;

const tailSchema = z.object({ from: z.number().int(), ids: z.array(z.string()) });

const runSchema = z.object({
  startedAt: z.number(),
  /** The instant this run reads up to. */
  end: z.number().int(),
  tasks: z.record(z.enum(["trades", "transfers"]), z.array(taskSchema)),
  planned: z.number().int().nonnegative(),
  completed: z.number().int().nonnegative(),
});
type Run = z.infer<typeof runSchema>;

const cursorSchema = z.object({
  exchange: z.literal(ID),
  version: z.literal(2),
  /**
   * Per part, where the next run starts (the last run's end less the overlap) and the ids the
   * last run handed on from there, which the next run skips.
   */
  next: z.partialRecord(z.enum([...BYBIT_CATEGORIES, "deposits", "withdrawals"]), tailSchema),
  run: runSchema.nullable(),
});

export type BybitCursor = z.infer<typeof cursorSchema> & ExportCursor;

/** The stored cursor; a version 1 one (spot only, a window start between runs) carries its start over. */
export function parseBybitCursor(cursor: ExportCursor | null): BybitCursor {
  const fresh: BybitCursor = { exchange: ID, version: 2, next: {}, run: null };
  if (cursor === null) return fresh;
  if ((cursor as { version?: unknown }).version === 1) {
    const v1 = z.object({ exchange: z.literal(ID), windowStart: z.number().int().nullable(), runEnd: z.number().int().nullable() }).safeParse(cursor);
    if (!v1.success) throw badCursor(ID);
    // a run in progress restarts from its first window; a finished one is where spot goes on
    return v1.data.runEnd === null && v1.data.windowStart !== null ? { ...fresh, next: { spot: { from: v1.data.windowStart, ids: [] } } } : fresh;
  }
  const parsed = cursorSchema.safeParse(cursor);
  if (!parsed.success) throw badCursor(ID);
  return parsed.data as BybitCursor;
}

interface Deps {
  exchange: Exchange;
  pacer: RequestPacer | undefined;
  classify: (error: unknown) => ClassifiedError;
  now: number;
  earliest: number;
}

interface Step {
  page: Omit<HistoryPage, "nextCursor" | "done" | "progress">;
  tasks: Task[];
  completed: number;
  /** A part finished: where the next run starts. */
  next?: { part: Part; tail: z.infer<typeof tailSchema> };
}

function call<T>(deps: Deps, endpoint: string, fn: () => Promise<T>): Promise<T> {
  return callExchange({ exchange: deps.exchange, pacer: deps.pacer, classify: deps.classify, request: { endpoint, weight: 1 } }, fn);
}

const windowOf = (part: Part) => (part === "deposits" || part === "withdrawals" ? BYBIT_TRANSFER_WINDOW_MS : BYBIT_WINDOW_MS);
const windowsBetween = (part: Part, from: number, end: number) => Math.max(1, Math.ceil((end - from + 1) / windowOf(part)));

export async function* exportBybitHistory(
  exchange: Exchange,
  classify: (error: unknown) => ClassifiedError,
  cursor: ExportCursor | null,
  options: ExportOptions,
): AsyncGenerator<HistoryPage> {
  const state = parseBybitCursor(cursor);
  const now = (options.now ?? Date.now)();
  const deps: Deps = { exchange, pacer: options.pacer, classify, now, earliest: now - BYBIT_HISTORY_MS };
  const run = state.run ?? startRun(state, deps, options.since?.getTime() ?? null);
  let current: BybitCursor = { ...state, run };

  const streams = (Object.keys(run.tasks) as StreamId[])
    .filter((id) => (run.tasks[id] ?? []).length > 0)
    .map((id) => [id, runStream(deps, run, run.tasks[id] ?? [], state.next)[Symbol.asyncIterator]()] as const);

  for await (const { stream, item } of mergeStreams(streams)) {
    const r = current.run!;
    current = {
      ...current,
      next: item.next ? { ...current.next, [item.next.part]: item.next.tail } : current.next,
      run: { ...r, tasks: { ...r.tasks, [stream]: item.tasks }, completed: r.completed + item.completed },
    };
    const progress = { done: current.run!.completed, total: Math.max(current.run!.planned, current.run!.completed), unit: "parts" as const, current: currentTask(current.run!) };
    yield { ...item.page, nextCursor: current, done: false, progress };
  }

  const balances = await readBalances(deps);
  yield { market: null, trades: [], balances, nextCursor: { ...current, run: null }, done: true, progress: { done: 1, total: 1, unit: "parts", current: null } };
}

function currentTask(run: Run): string | null {
  const task = run.tasks.trades?.[0];
  return task?.t === "window" ? `${task.part} executions from ${new Date(task.from).toISOString().slice(0, 10)}` : null;
}

function startRun(state: BybitCursor, deps: Deps, since: number | null): Run {
  const end = deps.now;
  const start = Math.max(since ?? deps.earliest, deps.earliest);
  const window = (part: Part): Task => ({ t: "window", part, from: Math.min(Math.max(state.next[part]?.from ?? start, deps.earliest), end), pageCursor: null, tail: [] });
  const trades: Task[] = [{ t: "plan" }, ...BYBIT_CATEGORIES.map(window)];
  const transfers: Task[] = [window("deposits"), window("withdrawals")];
  const planned = 1 + [...trades, ...transfers].reduce((sum, t) => sum + (t.t === "window" ? windowsBetween(t.part, t.from, end) : 0), 0);
  return { startedAt: deps.now, end, tasks: { trades, transfers }, planned, completed: 0 };
}

// --- one stream ---------------------------------------------------------------------------------------

async function* runStream(deps: Deps, run: Run, initial: Task[], previous: BybitCursor["next"]): AsyncGenerator<Step> {
  let tasks = initial;
  const markets = new Markets(deps);
  while (tasks.length > 0) {
    const [task, ...rest] = tasks as [Task, ...Task[]];
    const step = task.t === "plan" ? planStep(deps, rest) : await windowStep(deps, run, task, rest, markets, previous[task.part]);
    tasks = step.tasks;
    yield step;
  }
}

function planStep(deps: Deps, rest: Task[]): Step {
  const notes: CoverageNote[] = BYBIT_CATEGORIES.map((category) => ({
    kind: "retention",
    part: PRODUCT_OF[category],
    availableFrom: deps.earliest,
    message: `Executions older than 2 years (before ${new Date(deps.earliest).toISOString().slice(0, 10)}): Bybit's API no longer returns them.`,
  }));
  return { page: { market: null, trades: [], notes }, tasks: rest, completed: 1 };
}

const executionPage = z.looseObject({ list: z.array(z.unknown()), nextPageCursor: z.string().optional().nullable() });
const transferPage = z.looseObject({ rows: z.array(z.unknown()), nextPageCursor: z.string().optional().nullable() });

async function windowStep(
  deps: Deps,
  run: Run,
  task: Extract<Task, { t: "window" }>,
  rest: Task[],
  markets: Markets,
  previous: z.infer<typeof tailSchema> | undefined,
): Promise<Step> {
  const windowEnd = Math.min(task.from + windowOf(task.part) - 1, run.end);
  const request: Record<string, string | number> = { startTime: task.from, endTime: windowEnd };
  if (task.pageCursor !== null) request.cursor = task.pageCursor;
  const page: Step["page"] = { market: null, trades: [] };
  let next: string | null;
  let ids: string[];
  let times: number[];
  if (task.part === "deposits" || task.part === "withdrawals") {
    const deposits = task.part === "deposits";
    const what = deposits ? "GET /v5/asset/deposit/query-record" : "GET /v5/asset/withdraw/query-record";
    const params = { ...request, limit: TRANSFERS_LIMIT };
    const raw = deposits
      ? await call(deps, "asset/deposit/query-record", () => deps.exchange.privateGetV5AssetDepositQueryRecord(params))
      : await call(deps, "asset/withdraw/query-record", () => deps.exchange.privateGetV5AssetWithdrawQueryRecord(params));
    const parsed = transferPage.safeParse(bybitResult(raw, what));
    if (!parsed.success) throw malformed(ID, what);
    const transfers = parsed.data.rows.map(deposits ? normalizeBybitDeposit : normalizeBybitWithdrawal);
    page.transfers = skipHandedOn(transfers, previous);
    next = parsed.data.nextPageCursor || null;
    ids = transfers.map((t) => t.id);
    times = transfers.map((t) => t.timestamp);
    if (next !== null && transfers.length === 0) next = null;
  } else {
    const category = task.part;
    const params = { ...request, category, limit: BYBIT_EXECUTIONS_LIMIT };
    const raw = await call(deps, "execution/list", () => deps.exchange.privateGetV5ExecutionList(params));
    const parsed = executionPage.safeParse(bybitResult(raw, "GET /v5/execution/list"));
    if (!parsed.success) throw malformed(ID, "GET /v5/execution/list");
    const marketOf = parsed.data.list.length > 0 ? await markets.of(category) : () => null;
    const trades = parsed.data.list.map((row) => normalizeBybitExecution(row, marketOf, category));
    page.trades = skipHandedOn(trades, previous);
    next = parsed.data.nextPageCursor || null;
    ids = trades.map((t) => t.id);
    times = trades.map((t) => t.timestamp);
    if (next !== null && trades.length === 0) next = null;
  }
  // In the part's last window, what falls into the overlap is remembered for the next run.
  const overlap = Math.max(run.end - BYBIT_RUN_OVERLAP_MS, task.from);
  const tail = windowEnd >= run.end ? [...task.tail, ...ids.filter((_, i) => times[i]! >= overlap)] : [];
  if (next !== null) return { page, tasks: [{ ...task, pageCursor: next, tail }, ...rest], completed: 0 };
  if (windowEnd < run.end) return { page, tasks: [{ ...task, from: windowEnd + 1, pageCursor: null, tail: [] }, ...rest], completed: 1 };
  return { page, tasks: rest, completed: 1, next: { part: task.part, tail: { from: overlap, ids: tail } } };
}

/** Records of the previous run's overlap that it handed on already. */
function skipHandedOn<T extends { id: string }>(records: T[], previous: z.infer<typeof tailSchema> | undefined): T[] {
  if (!previous || previous.ids.length === 0) return records;
  const seen = new Set(previous.ids);
  return records.filter((r) => !seen.has(r.id));
}

/** instruments-info per category, once per stream: unified spot symbols, coins and settle coins. */
class Markets {
  private readonly loaded = new Set<BybitCategory>();
  private readonly byKey = new Map<string, BybitMarketInfo>();
  constructor(private readonly deps: Deps) {}

  /** The lookup of a category's markets, loading them first. */
  async of(category: BybitCategory): Promise<(symbol: string) => BybitMarketInfo | null> {
    await this.load(category);
    return (symbol) => this.byKey.get(`${category} ${symbol}`) ?? null;
  }

  private async load(category: BybitCategory): Promise<void> {
    if (this.loaded.has(category)) return;
    const item = z.looseObject({ symbol: z.string(), baseCoin: z.string(), quoteCoin: z.string(), settleCoin: z.string().optional() });
    const schema = z.looseObject({ list: z.array(item), nextPageCursor: z.string().optional().nullable() });
    let cursor: string | null = null;
    do {
      const params: Record<string, string | number> = { category, limit: 1000, ...(cursor ? { cursor } : {}) };
      const raw = await call(this.deps, "market/instruments-info", () => this.deps.exchange.publicGetV5MarketInstrumentsInfo(params));
      const parsed = schema.safeParse(bybitResult(raw, "GET /v5/market/instruments-info"));
      if (!parsed.success) throw malformed(ID, "GET /v5/market/instruments-info");
      for (const m of parsed.data.list) {
        const symbol = category === "spot" ? `${m.baseCoin}/${m.quoteCoin}` : null;
        this.byKey.set(`${category} ${m.symbol}`, { symbol, baseId: m.baseCoin, quoteId: m.quoteCoin, settleId: m.settleCoin || null });
      }
      cursor = parsed.data.nextPageCursor || null;
    } while (cursor !== null);
    this.loaded.add(category);
  }
}

/** The unified account's walletBalance per coin. */
async function readBalances(deps: Deps): Promise<Record<string, string>> {
  const raw = await call(deps, "account/wallet-balance", () => deps.exchange.privateGetV5AccountWalletBalance({ accountType: "UNIFIED" }));
  const coin = z.looseObject({ coin: z.string(), walletBalance: z.union([decimalString(), z.literal("")]) });
  const parsed = z.looseObject({ list: z.array(z.looseObject({ coin: z.array(coin) })) }).safeParse(bybitResult(raw, "GET /v5/account/wallet-balance"));
  if (!parsed.success) throw malformed(ID, "GET /v5/account/wallet-balance");
  return effectsOf(...parsed.data.list.flatMap((account) => account.coin.map((c) => [c.coin, c.walletBalance || null] as const)));
}
