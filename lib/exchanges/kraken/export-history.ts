import "server-only";
import type { Exchange } from "ccxt";
import { z } from "zod";
import { callExchange, malformed } from "../call";
import { badCursor } from "../normalize";
import type { ClassifiedError, CoverageNote, ExportCursor, ExportOptions, HistoryPage, NormalizedTrade, RequestPacer } from "../types";
import { privateCall, type KrakenCounterLimit } from "./key-gate";
import { normalizeKrakenTrade, type KrakenPairs } from "./records";

// Everything a Kraken key can read of its trades, as one resumable export, by the rules of
// POST /0/private/TradesHistory (https://docs.kraken.com/api-reference/account-data/get-trade-history):
// - one list for the whole account: spot and margin trades together, so no market is guessed;
// - `start` (exclusive) and `end` (inclusive) in seconds; newest first, 50 a page; `ofs` is the
//   offset into that list and `count` how many trades it holds;
// - Kraken keeps the whole history (a key created with a query window sees only that window).
// A run reads the window (from, to] by offset. `to` is a second in the past, fixed when the run
// starts, so later trades cannot shift the offsets; one arriving late inside the window lands at
// the top and at most repeats a trade on the next page (stored once), never hides one. `through`
// is where the last completed run ended: a later run reads only what is newer.
// consolidate_taker=false: Kraken's default merges the taker fills of one order into one trade.

const ID = "kraken";
export const KRAKEN_PAGE = 50;
/** TradesHistory costs 2 on Kraken's counter (most private calls cost 1). */
export const HISTORY_COST = 2;

const runSchema = z.object({
  /** Milliseconds: (from, to]. */
  from: z.number().int(),
  to: z.number().int(),
  planned: z.boolean(),
  ofs: z.number().int().nonnegative(),
  count: z.number().int().nonnegative().nullable(),
});
type Run = z.infer<typeof runSchema>;

const cursorSchema = z.object({ exchange: z.literal(ID), version: z.literal(1), through: z.number().int().nullable(), run: runSchema.nullable() });
export type KrakenCursor = z.infer<typeof cursorSchema> & ExportCursor;

export function parseKrakenCursor(cursor: ExportCursor | null): KrakenCursor {
  if (cursor === null) return { exchange: ID, version: 1, through: null, run: null };
  const parsed = cursorSchema.safeParse(cursor);
  if (!parsed.success) throw badCursor(ID);
  return parsed.data as KrakenCursor;
}

/** Milliseconds as Kraken's seconds, exactly ("1710429248.305"). */
export function krakenSeconds(ms: number): string {
  return `${Math.floor(ms / 1000)}.${String(((ms % 1000) + 1000) % 1000).padStart(3, "0")}`;
}

/** The key's query window (GetApiKeyInfo queryFrom/queryTo, seconds; 0 = open). */
export interface QueryWindow {
  queryFrom: number;
  queryTo: number;
}

/** What this export cannot hold, in the coverage's words. Pure. */
export function krakenNotes(window: QueryWindow | null, to: number): CoverageNote[] {
  const notes: CoverageNote[] = [
    ...(["usdm", "coinm"] as const).map((part): CoverageNote => ({
      kind: "unavailable",
      part,
      message: "Kraken Futures trades: a separate Kraken API (futures.kraken.com) with keys of its own; this backup does not read them.",
    })),
    {
      kind: "unavailable",
      part: "income",
      message: "Kraken margin rollover fees and settled P&L are ledger entries (Ledgers), which this backup does not read.",
    },
  ];
  if (window && window.queryFrom > 0) {
    const from = window.queryFrom * 1000;
    for (const part of ["spot", "margin"] as const) {
      notes.push({
        kind: "retention",
        part,
        availableFrom: from,
        message: `Trades before ${new Date(from).toISOString().slice(0, 10)}: this Kraken key was created with a query start date and may not read earlier ones; a key without one (or Kraken's own export on its website) can.`,
      });
    }
  }
  if (window && window.queryTo > 0 && window.queryTo * 1000 < to) {
    for (const part of ["spot", "margin"] as const) {
      notes.push({
        kind: "failed",
        part,
        market: null,
        from: window.queryTo * 1000,
        to,
        message: `Trades after ${new Date(window.queryTo * 1000).toISOString().slice(0, 10)}: this Kraken key was created with a query end date and may not read later ones.`,
      });
    }
  }
  return notes;
}

function progress(run: Run): HistoryPage["progress"] {
  const total = Math.max(run.ofs, run.count ?? 0);
  return { done: run.ofs, total, unit: "parts", current: "spot and margin trades" };
}

const historySchema = z.object({ trades: z.record(z.string(), z.unknown()), count: z.number().int().nonnegative() });
const pairsSchema = z.record(z.string(), z.looseObject({ base: z.string(), quote: z.string() }));

export interface KrakenExportDeps {
  exchange: Exchange;
  apiKey: string;
  classify: (error: unknown) => ClassifiedError;
  pacer: RequestPacer | undefined;
  limit: KrakenCounterLimit | null;
  /** The key's query window, read from GetApiKeyInfo once a run starts. */
  queryWindow: () => Promise<QueryWindow | null>;
}

async function loadPairs(deps: KrakenExportDeps): Promise<KrakenPairs> {
  const { exchange } = deps;
  const raw = await callExchange({ exchange, pacer: deps.pacer, classify: deps.classify, request: { endpoint: "AssetPairs", weight: 1 } }, () => exchange.publicGetAssetPairs());
  const parsed = pairsSchema.safeParse((raw as { result?: unknown } | null)?.result);
  if (!parsed.success) throw malformed(ID, "GET /0/public/AssetPairs");
  return new Map(Object.entries(parsed.data).map(([id, p]) => [id, { base: exchange.safeCurrencyCode(p.base) ?? p.base, quote: exchange.safeCurrencyCode(p.quote) ?? p.quote }]));
}

export async function* exportKrakenHistory(deps: KrakenExportDeps, cursor: ExportCursor | null, options: ExportOptions): AsyncGenerator<HistoryPage> {
  const { exchange } = deps;
  const state = parseKrakenCursor(cursor);
  const now = (options.now ?? Date.now)();
  let run: Run =
    state.run ??
    (() => {
      // a second in the past: what lands in this second is the next run's
      const to = now - 1000;
      const from = Math.max(state.through ?? -1, options.since ? options.since.getTime() - 1 : -1);
      return { from, to, planned: false, ofs: 0, count: null };
    })();
  const at = (r: Run): KrakenCursor => ({ ...state, run: r });
  if (!run.planned) {
    const window = await deps.queryWindow();
    run = { ...run, planned: true };
    yield { market: null, trades: [], notes: krakenNotes(window, run.to), nextCursor: at(run), done: false, progress: progress(run) };
  }
  const pairs = await loadPairs(deps);
  let last: NormalizedTrade[] = [];
  while (run.from < run.to) {
    const request = { ...(run.from >= 0 ? { start: krakenSeconds(run.from) } : {}), end: krakenSeconds(run.to), ofs: run.ofs, consolidate_taker: "false" };
    const raw = await privateCall({ exchange, apiKey: deps.apiKey, cost: HISTORY_COST, limit: deps.limit }, () =>
      callExchange({ exchange, pacer: deps.pacer, classify: deps.classify, request: { endpoint: "TradesHistory", weight: HISTORY_COST } }, () =>
        exchange.privatePostTradesHistory(request),
      ),
    );
    const page = historySchema.safeParse((raw as { result?: unknown } | null)?.result);
    if (!page.success) throw malformed(ID, "POST /0/private/TradesHistory");
    const trades = Object.entries(page.data.trades).map(([txid, item]) => normalizeKrakenTrade(txid, item, pairs));
    run = { ...run, ofs: run.ofs + trades.length, count: page.data.count };
    // a short page, or every trade of the window read: the last page ends the run
    if (trades.length < KRAKEN_PAGE || run.ofs >= page.data.count) {
      last = trades;
      break;
    }
    yield { market: null, trades, nextCursor: at(run), done: false, progress: progress(run) };
  }
  // a run started within a second of the last one has an empty window: `through` stays where it was
  const through = Math.max(run.to, state.through ?? run.to);
  yield { market: null, trades: last, nextCursor: { ...state, through, run: null }, done: true, progress: { done: 1, total: 1, unit: "parts", current: null } };
}
