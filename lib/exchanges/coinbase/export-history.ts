import "server-only";
import type { Exchange } from "ccxt";
import { z } from "zod";
import { callExchange, malformed } from "../call";
import { badCursor } from "../normalize";
import type { ClassifiedError, CoverageNote, ExportCursor, ExportOptions, HistoryPage } from "../types";
import { normalizeCoinbaseFill } from "./records";

// Everything a Coinbase key can read of its fills, as one resumable export, by the rules of
// GET /api/v3/brokerage/orders/historical/fills (Coinbase's API reference, "List Fills"):
// - one query answers every product of the key's portfolio (spot, and the perpetuals and
//   futures where the portfolio trades them), so no market has to be guessed;
// - newest first, `limit` a page, and the answer's `cursor` asks for the next page until it
//   comes back empty;
// - start_sequence_timestamp / end_sequence_timestamp (RFC 3339) bound the run: a run reads
//   [from, to), to = the moment it started, and the next run reads from there on, so nothing
//   is read twice or skipped between runs. The first run has no start: Coinbase states no
//   retention for fills, and the export asks for all of them.
// A run that stops part-way resumes from the page's cursor with the same bounds. Coinbase's
// limit for private endpoints is 30 requests a second per key; the export's requests go
// through the shared pacer, which backs off when Coinbase answers 429.

const ID = "coinbase";
export const COINBASE_PAGE_LIMIT = 100;

const runSchema = z.object({
  /** ms; null: from the first fill. */
  from: z.number().int().nullable(),
  /** ms, exclusive. */
  to: z.number().int(),
  planned: z.boolean(),
  /** Coinbase's cursor for the next page; "" before the first. */
  page: z.string(),
  pages: z.number().int().nonnegative(),
  /** The oldest fill time read in this run, for progress. */
  reached: z.number().int().nullable(),
});
type Run = z.infer<typeof runSchema>;

const cursorSchema = z.object({ exchange: z.literal(ID), version: z.literal(1), through: z.number().int().nullable(), run: runSchema.nullable() });
export type CoinbaseCursor = z.infer<typeof cursorSchema> & ExportCursor;

export function parseCoinbaseCursor(cursor: ExportCursor | null): CoinbaseCursor {
  if (cursor === null) return { exchange: ID, version: 1, through: null, run: null };
  const parsed = cursorSchema.safeParse(cursor);
  if (!parsed.success) throw badCursor(ID);
  return parsed.data as CoinbaseCursor;
}

const pageSchema = z.looseObject({ fills: z.array(z.unknown()), cursor: z.string().optional() });

function notes(): CoverageNote[] {
  return [
    {
      kind: "unavailable",
      part: "income",
      message: "Coinbase perpetuals' and futures' funding payments and realized P&L: this backup reads their fills only.",
    },
    {
      kind: "unavailable",
      part: "transfers",
      message: "Coinbase deposits and withdrawals: this backup reads fills only.",
    },
  ];
}

/** Progress by time when the run has a start; without one the span is unknown until the end. */
function progress(run: Run): HistoryPage["progress"] {
  if (run.from === null) return null;
  const total = Math.max(1, run.to - run.from);
  const done = run.reached === null ? 0 : Math.min(total, run.to - Math.max(run.from, run.reached));
  return { done, total, unit: "time", current: "fills" };
}

const iso = (ms: number) => new Date(ms).toISOString();

export async function* exportCoinbaseHistory(
  exchange: Exchange,
  classify: (error: unknown) => ClassifiedError,
  cursor: ExportCursor | null,
  options: ExportOptions,
): AsyncGenerator<HistoryPage> {
  const state = parseCoinbaseCursor(cursor);
  const now = (options.now ?? Date.now)();
  let run: Run = state.run ?? {
    from: state.through ?? (options.since ? options.since.getTime() : null),
    to: now,
    planned: false,
    page: "",
    pages: 0,
    reached: null,
  };
  const at = (r: Run): CoinbaseCursor => ({ ...state, run: r });
  if (!run.planned) {
    run = { ...run, planned: true };
    yield { market: null, trades: [], notes: notes(), nextCursor: at(run), done: false, progress: progress(run) };
  }
  for (;;) {
    const request: Record<string, string | number> = { limit: COINBASE_PAGE_LIMIT, end_sequence_timestamp: iso(run.to) };
    if (run.from !== null) request.start_sequence_timestamp = iso(run.from);
    if (run.page !== "") request.cursor = run.page;
    const raw = await callExchange({ exchange, pacer: options.pacer, classify, request: { endpoint: "orders/historical/fills", weight: 1 } }, () =>
      exchange.v3PrivateGetBrokerageOrdersHistoricalFills(request),
    );
    const parsed = pageSchema.safeParse(raw);
    if (!parsed.success) throw malformed(ID, "GET /api/v3/brokerage/orders/historical/fills");
    const trades = parsed.data.fills.map((item) => normalizeCoinbaseFill(item));
    const next = parsed.data.cursor ?? "";
    const oldest = trades.reduce<number | null>((min, t) => (min === null || t.timestamp < min ? t.timestamp : min), run.reached);
    // a cursor that does not move, or one handed out with an empty page, would loop for ever
    if (next !== "" && (next === run.page || trades.length === 0)) throw malformed(ID, "GET /api/v3/brokerage/orders/historical/fills (cursor)");
    if (next === "") {
      // the last page of the run: the next run reads on from where this one ended
      yield { market: null, trades, nextCursor: { ...state, through: run.to, run: null }, done: true, progress: { done: 1, total: 1, unit: "parts", current: null } };
      return;
    }
    run = { ...run, page: next, pages: run.pages + 1, reached: oldest };
    yield { market: null, trades, nextCursor: at(run), done: false, progress: progress(run) };
  }
}
