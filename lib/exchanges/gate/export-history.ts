import "server-only";
import type { Exchange } from "ccxt";
import { z } from "zod";
import { callExchange, malformed } from "../call";
import { badCursor } from "../normalize";
import type { ClassifiedError, CoverageNote, ExportCursor, ExportOptions, HistoryPage, RequestPacer } from "../types";
import { GATE_ACCOUNTS, normalizeGateTrade, type GateProduct } from "./records";

// Everything a Gate key can read of its spot and margin trades, as one resumable export, by
// the rules of GET /api/v4/spot/my_trades as MyITS's simulator models them (Gate's docs:
// https://www.gate.com/docs/developers/apiv4/#list-personal-trading-history):
// - one `account` per query: spot, cross_margin (cross margin), margin (isolated margin); no
//   currency_pair is needed, so no market has to be guessed;
// - from/to in seconds, at most 30 days apart, trades of the last 365 days;
// - newest first, `page` from 1, at most 1000 a page; a short page ends the window.
// `through` (seconds) is where the last completed run ended: a later run reads only what is
// newer. Gate's futures and delivery trades (futures/{settle}/my_trades_timerange) are not
// read here, and the coverage says so.

const ID = "gate";
const DAY_S = 86_400;
export const GATE_WINDOW_S = 30 * DAY_S;
export const GATE_RETENTION_S = 365 * DAY_S;
export const GATE_PAGE_LIMIT = 1000;

const PRODUCTS = ["spot", "margin", "isolated_margin"] as const;

const runSchema = z.object({
  /** Seconds: [from, to). */
  from: z.number().int(),
  to: z.number().int(),
  planned: z.boolean(),
  index: z.number().int().nonnegative(),
  windowStart: z.number().int(),
  page: z.number().int().positive(),
});
type Run = z.infer<typeof runSchema>;

const cursorSchema = z.object({ exchange: z.literal(ID), version: z.literal(1), through: z.number().int().nullable(), run: runSchema.nullable() });
export type GateCursor = z.infer<typeof cursorSchema> & ExportCursor;

export function parseGateCursor(cursor: ExportCursor | null): GateCursor {
  if (cursor === null) return { exchange: ID, version: 1, through: null, run: null };
  const parsed = cursorSchema.safeParse(cursor);
  if (!parsed.success) throw badCursor(ID);
  return parsed.data as GateCursor;
}

function notes(run: Run): CoverageNote[] {
  const from = (run.to - GATE_RETENTION_S) * 1000;
  return [
    ...PRODUCTS.map((part): CoverageNote => ({
      kind: "retention",
      part,
      availableFrom: from,
      message: `Trades older than ${new Date(from).toISOString().slice(0, 10)}: Gate's API serves the last 365 days of trades only; Gate's own export on its website may reach further.`,
    })),
    ...(["usdm", "coinm"] as const).map((part): CoverageNote => ({
      kind: "unavailable",
      part,
      message: "Gate futures and delivery trades (futures/{settle}/my_trades_timerange): this backup does not read them.",
    })),
  ];
}

function progress(run: Run): HistoryPage["progress"] {
  const per = Math.max(1, Math.ceil((run.to - run.from) / GATE_WINDOW_S));
  const done = Math.min(PRODUCTS.length * per, run.index * per + Math.floor((run.windowStart - run.from) / GATE_WINDOW_S));
  const product = PRODUCTS[run.index];
  return { done, total: PRODUCTS.length * per, unit: "parts", current: product ? { spot: "spot", margin: "cross margin", isolated_margin: "isolated margin" }[product] : null };
}

export async function* exportGateHistory(
  exchange: Exchange,
  classify: (error: unknown) => ClassifiedError,
  cursor: ExportCursor | null,
  options: ExportOptions & { pacer?: RequestPacer },
): AsyncGenerator<HistoryPage> {
  const state = parseGateCursor(cursor);
  const nowS = Math.floor((options.now ?? Date.now)() / 1000);
  let run: Run =
    state.run ??
    (() => {
      const since = options.since ? Math.floor(options.since.getTime() / 1000) : -Infinity;
      const from = Math.max(nowS - GATE_RETENTION_S, state.through ?? -Infinity, since);
      return { from, to: nowS, planned: false, index: 0, windowStart: from, page: 1 };
    })();
  const at = (r: Run): GateCursor => ({ ...state, run: r });
  if (!run.planned) {
    run = { ...run, planned: true };
    yield { market: null, trades: [], notes: notes(run), nextCursor: at(run), done: false, progress: progress(run) };
  }
  while (run.index < PRODUCTS.length && run.from < run.to) {
    const product: GateProduct = PRODUCTS[run.index]!;
    const windowEnd = Math.min(run.windowStart + GATE_WINDOW_S, run.to);
    const request = { account: GATE_ACCOUNTS[product], from: run.windowStart, to: windowEnd - 1, limit: GATE_PAGE_LIMIT, page: run.page };
    const raw = await callExchange({ exchange, pacer: options.pacer, classify, request: { endpoint: "spot/my_trades", weight: 1 } }, () => exchange.privateSpotGetMyTrades(request));
    if (!Array.isArray(raw)) throw malformed(ID, "GET /api/v4/spot/my_trades");
    const trades = raw.map((item) => normalizeGateTrade(item, product));
    if (trades.length === GATE_PAGE_LIMIT) run = { ...run, page: run.page + 1 };
    else if (windowEnd < run.to) run = { ...run, windowStart: windowEnd, page: 1 };
    else run = { ...run, index: run.index + 1, windowStart: run.from, page: 1 };
    yield { market: null, trades, nextCursor: at(run), done: false, progress: progress(run) };
  }
  yield { market: null, trades: [], nextCursor: { ...state, through: run.to, run: null }, done: true, progress: { done: 1, total: 1, unit: "parts", current: null } };
}
