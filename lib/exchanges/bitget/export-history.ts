import "server-only";
import type { Exchange } from "ccxt";
import { z } from "zod";
import { callExchange, malformed } from "../call";
import { badCursor } from "../normalize";
import type { ClassifiedError, CoverageNote, ExportCursor, ExportOptions, HistoryPage, NormalizedTrade, RequestPacer } from "../types";
import { BITGET_PRODUCT_TYPES, bitgetData, mixPageSchema, normalizeBitgetMixFill, normalizeBitgetSpotFill, type BitgetProductType } from "./records";

// Everything a Bitget key can read of its spot and futures fills, as one resumable export, by
// Bitget's rules (https://www.bitget.com/api-doc/spot/trade/Get-Fills,
// https://www.bitget.com/api-doc/contract/trade/Get-Fill-History):
// - spot fills name one symbol per query (no endpoint lists the symbols an account traded), so
//   every listed symbol is asked about, over the last 90 days (all Bitget serves; a query spans
//   at most 90 days), newest first, `idLessThan` paging to older fills; a short page ends it;
// - futures fills are asked per product type (USDT-FUTURES and USDC-FUTURES: USDⓈ-M;
//   COIN-FUTURES: COIN-M), every symbol at once, in 7-day windows (Bitget's pages state both 7
//   days and three months as the longest span: the shorter holds either way) over the last 90
//   days, `idLessThan` = the previous page's endId.
// A run plans its tasks once (spot symbols from GET /api/v2/spot/public/symbols, then the
// product types) and keeps them in the cursor; `through` is where the last completed run ended,
// so a later run reads only newer fills. Margin fills (margin/crossed/fills, margin/isolated/
// fills) are not read here, and the coverage says so.

const ID = "bitget";
const DAY = 86_400_000;
/** Bitget serves spot and futures fills of the last 90 days. */
export const BITGET_RETENTION_MS = 90 * DAY;
export const BITGET_SPOT_WINDOW_MS = 90 * DAY;
export const BITGET_MIX_WINDOW_MS = 7 * DAY;
export const BITGET_PAGE_LIMIT = 100;

const MIX_TYPES = Object.keys(BITGET_PRODUCT_TYPES) as BitgetProductType[];

const taskSchema = z.union([
  z.object({ p: z.literal("spot"), s: z.string(), b: z.string(), q: z.string() }),
  z.object({ p: z.enum(["usdm", "coinm"]), t: z.enum(MIX_TYPES as [BitgetProductType, ...BitgetProductType[]]) }),
]);
type Task = z.infer<typeof taskSchema>;

const runSchema = z.object({
  /** Milliseconds: [from, to). */
  from: z.number(),
  to: z.number(),
  /** Null until the plan (symbols) was read. */
  tasks: z.array(taskSchema).nullable(),
  index: z.number().int().nonnegative(),
  windowStart: z.number(),
  /** Bitget's ids pass 2^53: kept as the strings Bitget sent. */
  idLessThan: z.string().regex(/^\d+$/).nullable(),
});
type Run = z.infer<typeof runSchema>;

const cursorSchema = z.object({ exchange: z.literal(ID), version: z.literal(1), through: z.number().nullable(), run: runSchema.nullable() });
export type BitgetCursor = z.infer<typeof cursorSchema> & ExportCursor;

export function parseBitgetCursor(cursor: ExportCursor | null): BitgetCursor {
  if (cursor === null) return { exchange: ID, version: 1, through: null, run: null };
  const parsed = cursorSchema.safeParse(cursor);
  if (!parsed.success) throw badCursor(ID);
  return parsed.data as BitgetCursor;
}

interface Deps {
  exchange: Exchange;
  pacer: RequestPacer | undefined;
  classify: (error: unknown) => ClassifiedError;
}

function call<T>(deps: Deps, endpoint: string, fn: () => Promise<T>): Promise<T> {
  // Bitget counts requests, not weights
  return callExchange({ exchange: deps.exchange, pacer: deps.pacer, classify: deps.classify, request: { endpoint, weight: 1 } }, fn);
}

const symbolsSchema = z.array(z.looseObject({ symbol: z.string(), baseCoin: z.string(), quoteCoin: z.string() }));

async function plan(deps: Deps): Promise<Task[]> {
  const raw = await call(deps, "spot/public/symbols", () => deps.exchange.publicSpotGetV2SpotPublicSymbols());
  const parsed = symbolsSchema.safeParse(bitgetData(raw, "GET /api/v2/spot/public/symbols"));
  if (!parsed.success) throw malformed(ID, "GET /api/v2/spot/public/symbols");
  const spot = [...parsed.data].sort((a, b) => (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0));
  return [...spot.map((s): Task => ({ p: "spot", s: s.symbol, b: s.baseCoin, q: s.quoteCoin })), ...MIX_TYPES.map((t): Task => ({ p: BITGET_PRODUCT_TYPES[t], t }))];
}

function planNotes(run: Run): CoverageNote[] {
  const from = run.to - BITGET_RETENTION_MS;
  const day = new Date(from).toISOString().slice(0, 10);
  return [
    ...(["spot", "usdm", "coinm"] as const).map((part): CoverageNote => ({
      kind: "retention",
      part,
      availableFrom: from,
      message: `Fills older than ${day}: Bitget's API serves the last 90 days of fills only; the order-history export on Bitget's website may reach further.`,
    })),
    ...(["margin", "isolated_margin"] as const).map((part): CoverageNote => ({
      kind: "unavailable",
      part,
      message: "Bitget margin fills (margin/crossed/fills, margin/isolated/fills): this backup does not read them.",
    })),
  ];
}

function windowOf(task: Task): number {
  return task.p === "spot" ? BITGET_SPOT_WINDOW_MS : BITGET_MIX_WINDOW_MS;
}

function windows(run: Run, task: Task): number {
  return Math.max(1, Math.ceil((run.to - run.from) / windowOf(task)));
}

const NAMES = { "USDT-FUTURES": "USDT-M futures", "USDC-FUTURES": "USDC-M futures", "COIN-FUTURES": "COIN-M futures" } as const;

function progress(run: Run): HistoryPage["progress"] {
  const tasks = run.tasks ?? [];
  let total = 0;
  let done = 0;
  tasks.forEach((task, i) => {
    const n = windows(run, task);
    total += n;
    if (i < run.index) done += n;
    else if (i === run.index) done += Math.min(n, Math.floor((run.windowStart - run.from) / windowOf(task)));
  });
  const task = tasks[run.index];
  return { done: Math.min(done, total), total, unit: "parts", current: task ? (task.p === "spot" ? `spot ${task.s}` : NAMES[task.t]) : null };
}

export async function* exportBitgetHistory(
  exchange: Exchange,
  classify: (error: unknown) => ClassifiedError,
  cursor: ExportCursor | null,
  options: ExportOptions,
): AsyncGenerator<HistoryPage> {
  const state = parseBitgetCursor(cursor);
  const deps: Deps = { exchange, pacer: options.pacer, classify };
  const now = (options.now ?? Date.now)();
  let run: Run =
    state.run ??
    (() => {
      const from = Math.max(now - BITGET_RETENTION_MS, state.through ?? -Infinity, options.since?.getTime() ?? -Infinity);
      return { from, to: now, tasks: null, index: 0, windowStart: from, idLessThan: null };
    })();
  const at = (r: Run): BitgetCursor => ({ ...state, run: r });

  if (run.tasks === null) {
    run = { ...run, tasks: await plan(deps) };
    yield { market: null, trades: [], notes: planNotes(run), nextCursor: at(run), done: false, progress: progress(run) };
  }
  const tasks = run.tasks!;
  while (run.index < tasks.length && run.from < run.to) {
    const task = tasks[run.index]!;
    const windowEnd = Math.min(run.windowStart + windowOf(task), run.to);
    // endTime is inclusive: windows [start, end) never share a millisecond.
    const request: Record<string, string> = { startTime: String(run.windowStart), endTime: String(windowEnd - 1), limit: String(BITGET_PAGE_LIMIT) };
    if (run.idLessThan !== null) request.idLessThan = run.idLessThan;
    let trades: NormalizedTrade[];
    let older: string | null;
    if (task.p === "spot") {
      const raw = await call(deps, "spot/trade/fills", () => exchange.privateSpotGetV2SpotTradeFills({ ...request, symbol: task.s }));
      const items = bitgetData(raw, "GET /api/v2/spot/trade/fills");
      if (!Array.isArray(items)) throw malformed(ID, "GET /api/v2/spot/trade/fills");
      trades = items.map((item) => normalizeBitgetSpotFill(item, { base: task.b, quote: task.q }));
      older = trades.at(-1)?.id ?? null;
    } else {
      const raw = await call(deps, "mix/order/fill-history", () => exchange.privateMixGetV2MixOrderFillHistory({ ...request, productType: task.t }));
      const page = mixPageSchema.safeParse(bitgetData(raw, "GET /api/v2/mix/order/fill-history"));
      if (!page.success) throw malformed(ID, "GET /api/v2/mix/order/fill-history");
      trades = (page.data.fillList ?? []).map((item) => normalizeBitgetMixFill(item, task.t));
      older = page.data.endId ?? trades.at(-1)?.id ?? null;
    }
    if (trades.length === BITGET_PAGE_LIMIT && older !== null) {
      run = { ...run, idLessThan: older };
    } else if (windowEnd < run.to) {
      run = { ...run, windowStart: windowEnd, idLessThan: null };
    } else {
      run = { ...run, index: run.index + 1, windowStart: run.from, idLessThan: null };
    }
    yield { market: task.p === "spot" ? task.s : null, trades, nextCursor: at(run), done: false, progress: progress(run) };
  }
  yield { market: null, trades: [], nextCursor: { ...state, through: run.to, run: null }, done: true, progress: { done: 1, total: 1, unit: "parts", current: null } };
}
