import "server-only";
import type { Exchange } from "ccxt";
import { z } from "zod";
import { callExchange, malformed } from "../call";
import { badCursor } from "../normalize";
import type { ClassifiedError, CoverageNote, ExportCursor, ExportOptions, HistoryPage, RequestPacer } from "../types";
import { fillPageSchema, kucoinData, normalizeKucoinFill, TRADE_TYPES, type KucoinProduct } from "./records";

// Everything a KuCoin key can read of its spot and margin trades, as one resumable export, by
// KuCoin's rules for HF fills (GET /api/v1/hf/fills, GET /api/v3/hf/margin/fills):
// - a query names one symbol (margin: and the tradeType, cross or isolated), so every listed
//   symbol is asked about (no endpoint lists the symbols an account traded);
// - a query covers at most 7 days, and fills older than 3 months are not served, so each
//   symbol is read in 7-day windows over the last 3 months (or since the last run);
// - inside a window, newest first, `lastId` pages to older fills; a short page ends it.
// A run plans its tasks (product x symbol) once from GET /api/v2/symbols and keeps them in the
// cursor; `through` is where the last completed run ended, so a later run reads only newer fills.
// KuCoin Futures is another API (api-futures.kucoin.com, ccxt's kucoinfutures): not read here,
// and the coverage says so.
// https://www.kucoin.com/docs-new/rest/spot-trading/orders/get-trade-history

const ID = "kucoin";
const DAY = 86_400_000;
export const KUCOIN_WINDOW_MS = 7 * DAY;
/** KuCoin serves fills of the last 3 months. */
export const KUCOIN_RETENTION_MS = 90 * DAY;
export const KUCOIN_FILLS_LIMIT = { spot: 100, margin: 200, isolated_margin: 200 } as const;

const PRODUCTS = ["spot", "margin", "isolated_margin"] as const;

const taskSchema = z.object({ p: z.enum(PRODUCTS), s: z.string() });

const runSchema = z.object({
  from: z.number(),
  to: z.number(),
  /** Null until the plan (symbols) was read. */
  tasks: z.array(taskSchema).nullable(),
  index: z.number().int().nonnegative(),
  windowStart: z.number(),
  lastId: z.number().int().nullable(),
});
type Run = z.infer<typeof runSchema>;

const cursorSchema = z.object({
  exchange: z.literal(ID),
  version: z.literal(1),
  /** Every fill before this time is stored (end of the last completed run). */
  through: z.number().nullable(),
  run: runSchema.nullable(),
});
export type KucoinCursor = z.infer<typeof cursorSchema> & ExportCursor;

export function parseKucoinCursor(cursor: ExportCursor | null): KucoinCursor {
  if (cursor === null) return { exchange: ID, version: 1, through: null, run: null };
  const parsed = cursorSchema.safeParse(cursor);
  if (!parsed.success) throw badCursor(ID);
  return parsed.data as KucoinCursor;
}

interface Deps {
  exchange: Exchange;
  pacer: RequestPacer | undefined;
  classify: (error: unknown) => ClassifiedError;
}

function call<T>(deps: Deps, endpoint: string, weight: number, fn: () => Promise<T>): Promise<T> {
  return callExchange({ exchange: deps.exchange, pacer: deps.pacer, classify: deps.classify, request: { endpoint, weight } }, fn);
}

const symbolsSchema = z.array(z.looseObject({ symbol: z.string(), enableTrading: z.boolean().optional(), isMarginEnabled: z.boolean().optional() }));

async function plan(deps: Deps): Promise<Array<z.infer<typeof taskSchema>>> {
  const raw = await call(deps, "symbols", 4, () => deps.exchange.publicGetSymbols());
  const parsed = symbolsSchema.safeParse(kucoinData(raw, "GET /api/v2/symbols"));
  if (!parsed.success) throw malformed(ID, "GET /api/v2/symbols");
  const symbols = parsed.data.map((s) => s.symbol).sort();
  const margin = parsed.data.filter((s) => s.isMarginEnabled === true).map((s) => s.symbol).sort();
  return [...symbols.map((s) => ({ p: "spot" as const, s })), ...margin.map((s) => ({ p: "margin" as const, s })), ...margin.map((s) => ({ p: "isolated_margin" as const, s }))];
}

function planNotes(run: Run): CoverageNote[] {
  const from = new Date(run.to - KUCOIN_RETENTION_MS).toISOString().slice(0, 10);
  return [
    ...PRODUCTS.map((part): CoverageNote => ({
      kind: "retention",
      part,
      availableFrom: run.to - KUCOIN_RETENTION_MS,
      message: `Fills older than ${from}: KuCoin's API serves the last 3 months of fills only; KuCoin's own order-history export on its website may reach further.`,
    })),
    ...(["usdm", "coinm"] as const).map((part): CoverageNote => ({
      kind: "unavailable",
      part,
      message: "KuCoin Futures fills: a separate KuCoin account and API (api-futures.kucoin.com) that this backup does not read.",
    })),
  ];
}

function windows(run: Run): number {
  return Math.max(1, Math.ceil((run.to - run.from) / KUCOIN_WINDOW_MS));
}

function progress(run: Run): HistoryPage["progress"] {
  const per = windows(run);
  const tasks = run.tasks?.length ?? 0;
  const done = Math.min(tasks * per, run.index * per + Math.floor((run.windowStart - run.from) / KUCOIN_WINDOW_MS));
  const task = run.tasks?.[run.index];
  return { done, total: Math.max(done, tasks * per), unit: "parts", current: task ? `${task.p === "spot" ? "spot" : task.p === "margin" ? "cross margin" : "isolated margin"} ${task.s}` : null };
}

export async function* exportKucoinHistory(
  exchange: Exchange,
  classify: (error: unknown) => ClassifiedError,
  cursor: ExportCursor | null,
  options: ExportOptions,
): AsyncGenerator<HistoryPage> {
  const state = parseKucoinCursor(cursor);
  const deps: Deps = { exchange, pacer: options.pacer, classify };
  const now = (options.now ?? Date.now)();
  let run: Run =
    state.run ??
    (() => {
      const from = Math.max(now - KUCOIN_RETENTION_MS, state.through ?? -Infinity, options.since?.getTime() ?? -Infinity);
      return { from, to: now, tasks: null, index: 0, windowStart: from, lastId: null };
    })();
  const at = (r: Run): KucoinCursor => ({ ...state, run: r });

  if (run.tasks === null) {
    run = { ...run, tasks: await plan(deps) };
    yield { market: null, trades: [], notes: planNotes(run), nextCursor: at(run), done: false, progress: progress(run) };
  }
  const tasks = run.tasks!;
  while (run.index < tasks.length && run.from < run.to) {
    const task = tasks[run.index]!;
    const windowEnd = Math.min(run.windowStart + KUCOIN_WINDOW_MS, run.to);
    const limit = KUCOIN_FILLS_LIMIT[task.p];
    // endAt is inclusive: windows [start, end) never share a millisecond.
    const request: Record<string, string | number> = { symbol: task.s, startAt: run.windowStart, endAt: windowEnd - 1, limit };
    if (task.p !== "spot") request.tradeType = TRADE_TYPES[task.p as KucoinProduct];
    if (run.lastId !== null) request.lastId = run.lastId;
    const raw =
      task.p === "spot"
        ? await call(deps, "hf/fills", 2, () => exchange.privateGetHfFills(request))
        : await call(deps, "hf/margin/fills", 5, () => exchange.privateGetHfMarginFills(request));
    const page = fillPageSchema.safeParse(kucoinData(raw, task.p === "spot" ? "GET /api/v1/hf/fills" : "GET /api/v3/hf/margin/fills"));
    if (!page.success) throw malformed(ID, "the fills page");
    const trades = page.data.items.map((item) => normalizeKucoinFill(item, task.p));
    const oldest = trades.at(-1);
    if (trades.length === limit && oldest) {
      run = { ...run, lastId: Number(oldest.id) };
    } else if (windowEnd < run.to) {
      run = { ...run, windowStart: windowEnd, lastId: null };
    } else {
      run = { ...run, index: run.index + 1, windowStart: run.from, lastId: null };
    }
    yield { market: task.s, trades, nextCursor: at(run), done: false, progress: progress(run) };
  }
  yield { market: null, trades: [], nextCursor: { ...state, through: run.to, run: null }, done: true, progress: { done: 1, total: 1, unit: "parts", current: null } };
}
