import "server-only";
import type { Exchange } from "ccxt";
import { z } from "zod";
import { callExchange, malformed } from "../call";
import { effectsOf } from "../effects";
import { mergeStreams } from "../merge-streams";
import { badCursor, compareIntegerStrings, decimalString } from "../normalize";
import { sleep } from "../pacing/sleep";
import type { ClassifiedError, CoverageNote, ExportCursor, ExportOptions, HistoryPage, NormalizedTrade, Product, RequestPacer } from "../types";
import { readFillsArchive } from "./archive-file";
import {
  instFamily,
  normalizeOkxDeposit,
  normalizeOkxFill,
  normalizeOkxWithdrawal,
  OKX_INST_TYPES,
  okxData,
  parseInstruments,
  type OkxInstrument,
  type OkxInstType,
} from "./records";

// Everything an OKX key can read of the account's history, as one resumable export:
// - fills of every instType: the last 3 months from trade/fills-history (newest first, paged
//   with `after` per instType), the older part, up to the 2 years OKX keeps, from the fills
//   archive (trade/fills-archive: apply per quarter, poll, download a ZIP with one CSV);
// - deposits and withdrawals (asset/deposit-history, asset/withdrawal-history);
// - at the end the balances of the trading and the funding account, for the reconciliation.
//
// billIds increase across the account, and the archive holds a time prefix of the fills (whole
// quarters that have ended) while fills-history holds its newest 3 months. So the archive is
// read first, oldest quarter first, and every fill read moves `newest[instType]` up; then
// fills-history pages down from the newest fill and stops at `newest[instType]`, exactly where
// the archive (or the previous run) left off: no fill is handed out twice, and a later run
// reads only what is newer, the same way. OKX limits each endpoint on its own, so the fills and
// the transfers are two streams run at once (merge-streams.ts), each a task list in the cursor;
// a stream moves the cursor only when its page is handed on.

const ID = "okx";
const DAY = 86_400_000;

export const OKX_FILLS_LIMIT = 100;
/** fills-history serves the last 3 months. */
export const OKX_FILLS_HISTORY_MS = 90 * DAY;
/** The fills archive serves quarters that ended in the past 2 years (except the current one). */
export const OKX_ARCHIVE_MS = 730 * DAY;
const TRANSFERS_LIMIT = 100;
/** Fills of an archive file handed on per page. */
const ARCHIVE_PAGE = 1000;
/** Polls of an archive application: the first after 100 ms, each wait doubling up to 30 s (about 10 minutes in all). */
const POLL_FIRST_MS = 100;
const POLL_MAX_MS = 30_000;
const POLL_GIVE_UP = 28;
/** A later run re-reads the archive from a day before the last sync (the quarter files are whole; stored fills are skipped by billId). */
const ARCHIVE_OVERLAP_MS = DAY;

type StreamId = "fills" | "funding";
const PRODUCTS: readonly Product[] = ["spot", "margin", "usdm", "coinm", "option"];

const billId = z.string().regex(/^\d+$/);
const instType = z.enum(OKX_INST_TYPES);

const taskSchema = z.discriminatedUnion("t", [
  z.object({ t: z.literal("plan") }),
  z.object({
    t: z.literal("archive"),
    year: z.number().int(),
    quarter: z.number().int().min(1).max(4),
    /** apply: POST the application; poll: GET until finished; read: hand on the file's fills after `after`. */
    stage: z.enum(["apply", "poll", "read"]),
    polls: z.number().int().nonnegative(),
    after: billId.nullable(),
  }),
  z.object({ t: z.literal("history"), instType, after: billId.nullable(), stopAt: billId.nullable(), begun: z.boolean() }),
  z.object({
    t: z.literal("transfers"),
    kind: z.enum(["deposits", "withdrawals"]),
    /** OKX's `after`: records older than this ts; null for the newest. */
    after: z.number().nullable(),
    /** Ids handed on at the ts `after` re-reads (records sharing a millisecond across pages). */
    seen: z.array(z.string()),
    /** Only records newer than this (the newest stored before the run, or the start of the export). */
    stopAt: z.number().nullable(),
  }),
]);
type Task = z.infer<typeof taskSchema>;

const runSchema = z.object({
  startedAt: z.number(),
  tasks: z.record(z.enum(["fills", "funding"]), z.array(taskSchema)),
  /** Quarters the archive was asked for (progress) and the time the archive was to cover. */
  archiveFrom: z.number().nullable(),
  planned: z.number().int().nonnegative(),
  completed: z.number().int().nonnegative(),
});
type Run = z.infer<typeof runSchema>;

const cursorSchema = z.object({
  exchange: z.literal(ID),
  version: z.literal(2),
  /** The newest billId stored per instType: everything at or below it is stored. Survives runs. */
  newest: z.partialRecord(instType, billId),
  /** The newest ts stored per transfer kind. */
  transfers: z.partialRecord(z.enum(["deposits", "withdrawals"]), z.number()),
  run: runSchema.nullable(),
});

export type OkxCursor = z.infer<typeof cursorSchema> & ExportCursor;

/** The stored cursor; a version 1 one (SPOT fills-history only) carries its newest billId over. */
export function parseOkxCursor(cursor: ExportCursor | null): OkxCursor {
  const fresh: OkxCursor = { exchange: ID, version: 2, newest: {}, transfers: {}, run: null };
  if (cursor === null) return fresh;
  if ((cursor as { version?: unknown }).version === 1) {
    const v1 = z.object({ exchange: z.literal(ID), stopAt: billId.nullable(), newest: billId.nullable() }).safeParse(cursor);
    if (!v1.success) throw badCursor(ID);
    // a run in progress restarts; what the last completed run stored stays stored
    return v1.data.stopAt === null ? fresh : { ...fresh, newest: { SPOT: v1.data.stopAt } };
  }
  const parsed = cursorSchema.safeParse(cursor);
  if (!parsed.success) throw badCursor(ID);
  return parsed.data as OkxCursor;
}

// --- quarters ---------------------------------------------------------------------------------

interface Quarter {
  year: number;
  quarter: number;
  start: number;
  end: number;
}

function quarterOf(time: number): Quarter {
  const d = new Date(time);
  const year = d.getUTCFullYear();
  const quarter = Math.floor(d.getUTCMonth() / 3) + 1;
  return { year, quarter, start: Date.UTC(year, (quarter - 1) * 3, 1), end: Date.UTC(year, quarter * 3, 1) };
}

/** The quarters OKX archives at `now`: ended, and ended less than 2 years ago; oldest first. */
export function archivedQuarters(now: number): Quarter[] {
  const quarters: Quarter[] = [];
  for (let q = quarterOf(quarterOf(now).start - 1); q.end > now - OKX_ARCHIVE_MS; q = quarterOf(q.start - 1)) quarters.unshift(q);
  return quarters;
}

const quarterName = (q: { year: number; quarter: number }) => `${q.year} Q${q.quarter}`;

// --- the export -------------------------------------------------------------------------------

interface Deps {
  exchange: Exchange;
  pacer: RequestPacer | undefined;
  classify: (error: unknown) => ClassifiedError;
  now: number;
  /** Earliest time asked for (ExportOptions.since), if any. */
  since: number | null;
  lastSyncedAt: number | null;
}

interface Step {
  page: Omit<HistoryPage, "nextCursor" | "done" | "progress">;
  tasks: Task[];
  completed: number;
  newest?: Partial<Record<OkxInstType, string>>;
  transfers?: Partial<Record<"deposits" | "withdrawals", number>>;
}

function call<T>(deps: Deps, endpoint: string, fn: () => Promise<T>): Promise<T> {
  return callExchange({ exchange: deps.exchange, pacer: deps.pacer, classify: deps.classify, request: { endpoint, weight: 1 } }, fn);
}

const maxBillId = (a: string | undefined, b: string) => (a === undefined || compareIntegerStrings(b, a) > 0 ? b : a);

export async function* exportOkxHistory(
  exchange: Exchange,
  classify: (error: unknown) => ClassifiedError,
  cursor: ExportCursor | null,
  options: ExportOptions,
): AsyncGenerator<HistoryPage> {
  const state = parseOkxCursor(cursor);
  const deps: Deps = {
    exchange,
    pacer: options.pacer,
    classify,
    now: (options.now ?? Date.now)(),
    since: options.since?.getTime() ?? null,
    lastSyncedAt: options.lastSyncedAt?.getTime() ?? null,
  };
  const run = state.run ?? startRun(state, deps);
  let current: OkxCursor = { ...state, run };
  const instruments = new Instruments(deps);

  const streams = (Object.keys(run.tasks) as StreamId[])
    .filter((id) => (run.tasks[id] ?? []).length > 0)
    .map((id) => [id, runStream(deps, run.tasks[id] ?? [], current, instruments)[Symbol.asyncIterator]()] as const);

  for await (const { stream, item } of mergeStreams(streams)) {
    const r = current.run!;
    const newest = { ...current.newest };
    for (const [type, id] of Object.entries(item.newest ?? {}) as Array<[OkxInstType, string]>) newest[type] = maxBillId(newest[type], id);
    const transfers = { ...current.transfers };
    for (const [kind, ts] of Object.entries(item.transfers ?? {}) as Array<["deposits" | "withdrawals", number]>) transfers[kind] = Math.max(transfers[kind] ?? 0, ts);
    current = {
      ...current,
      newest,
      transfers,
      run: { ...r, tasks: { ...r.tasks, [stream]: item.tasks }, completed: r.completed + item.completed },
    };
    const progress = { done: current.run!.completed, total: Math.max(current.run!.planned, current.run!.completed), unit: "parts" as const, current: currentTask(current.run!) };
    yield { ...item.page, nextCursor: current, done: false, progress };
  }

  const balances = await readBalances(deps);
  yield { market: null, trades: [], balances, nextCursor: { ...current, run: null }, done: true, progress: { done: 1, total: 1, unit: "parts", current: null } };
}

function currentTask(run: Run): string | null {
  const task = run.tasks.fills?.[0];
  if (task?.t === "archive") return `fills archive ${quarterName(task)}`;
  if (task?.t === "history") return `${task.instType} fills`;
  return null;
}

/** Where the archive must reach back to, or null when fills-history covers everything wanted. */
function archiveFrom(deps: Deps): number | null {
  const horizon = deps.now - OKX_FILLS_HISTORY_MS;
  let from = deps.now - OKX_ARCHIVE_MS;
  if (deps.since !== null) from = Math.max(from, deps.since);
  if (deps.lastSyncedAt !== null) from = Math.max(from, deps.lastSyncedAt - ARCHIVE_OVERLAP_MS);
  return from < horizon ? from : null;
}

function startRun(state: OkxCursor, deps: Deps): Run {
  const from = archiveFrom(deps);
  const horizon = deps.now - OKX_FILLS_HISTORY_MS;
  const quarters = from === null ? [] : archivedQuarters(deps.now).filter((q) => q.end > from && q.start < horizon);
  const fills: Task[] = [
    { t: "plan" },
    ...quarters.map((q): Task => ({ t: "archive", year: q.year, quarter: q.quarter, stage: "apply", polls: 0, after: null })),
    ...OKX_INST_TYPES.map((type): Task => ({ t: "history", instType: type, after: null, stopAt: null, begun: false })),
  ];
  const stopAt = (kind: "deposits" | "withdrawals") => {
    const stored = state.transfers[kind];
    const floor = deps.since !== null ? deps.since - 1 : null;
    return stored === undefined ? floor : Math.max(stored, floor ?? stored);
  };
  const funding: Task[] = (["deposits", "withdrawals"] as const).map((kind) => ({ t: "transfers", kind, after: null, seen: [], stopAt: stopAt(kind) }));
  return { startedAt: deps.now, tasks: { fills, funding }, archiveFrom: from, planned: fills.length + funding.length, completed: 0 };
}

// --- one stream: its tasks in order ---------------------------------------------------------------

interface StreamView {
  /** This stream's view of cursor.newest (only the fills stream moves it). */
  newest: Partial<Record<OkxInstType, string>>;
  run: Run;
  /** Fills of archive files downloaded by this process, by quarter: read once, handed on in pages. */
  files: Map<string, Record<string, string>[]>;
  instruments: Instruments;
}

async function* runStream(deps: Deps, initial: Task[], start: OkxCursor, instruments: Instruments): AsyncGenerator<Step> {
  let tasks = initial;
  const view: StreamView = { newest: { ...start.newest }, run: start.run!, files: new Map(), instruments };
  while (tasks.length > 0) {
    const [task, ...rest] = tasks as [Task, ...Task[]];
    const step = await runTask(deps, task, rest, view);
    for (const [type, id] of Object.entries(step.newest ?? {}) as Array<[OkxInstType, string]>) view.newest[type] = maxBillId(view.newest[type], id);
    tasks = step.tasks;
    yield step;
  }
}

const emptyPage = { market: null, trades: [] };

async function runTask(deps: Deps, task: Task, rest: Task[], view: StreamView): Promise<Step> {
  switch (task.t) {
    case "plan":
      return { page: { ...emptyPage, notes: planNotes(deps, view.run) }, tasks: rest, completed: 1 };
    case "archive":
      return archiveTask(deps, task, rest, view);
    case "history":
      return historyTask(deps, task, rest, view);
    case "transfers":
      return transfersTask(deps, task, rest);
  }
}

/** What no request of this run can fetch: fills older than OKX keeps, and a window neither source serves yet. */
function planNotes(deps: Deps, run: Run): CoverageNote[] {
  const oldest = archivedQuarters(deps.now)[0]!;
  const notes: CoverageNote[] = PRODUCTS.map((part) => ({
    kind: "retention",
    part,
    availableFrom: oldest.start,
    message: `Fills older than ${new Date(oldest.start).toISOString().slice(0, 10)}: OKX keeps none (fills-history serves 3 months, its fills archive the quarters of the past 2 years).`,
  }));
  // In the last days of a quarter, fills-history's 3 months begin after the quarter did, and
  // the archive serves the quarter only once it has ended.
  const currentStart = quarterOf(deps.now).start;
  const horizon = deps.now - OKX_FILLS_HISTORY_MS;
  if (run.archiveFrom !== null && currentStart < horizon && run.archiveFrom < horizon) {
    for (const part of PRODUCTS) {
      notes.push({
        kind: "failed",
        part,
        market: null,
        from: currentStart,
        to: horizon,
        message: `Fills from ${new Date(currentStart).toISOString().slice(0, 10)} until 3 months ago: OKX's fills-history no longer serves them and its archive serves this quarter only after it ends; back up again after ${new Date(quarterOf(deps.now).end).toISOString().slice(0, 10)}.`,
      });
    }
  }
  return notes;
}

// --- the fills archive ------------------------------------------------------------------------------

const applySchema = z.array(z.looseObject({ result: z.union([z.string(), z.boolean()]) }));
const pollSchema = z.array(z.looseObject({ state: z.string(), fileHref: z.string().optional() }));

async function archiveTask(deps: Deps, task: Extract<Task, { t: "archive" }>, rest: Task[], view: StreamView): Promise<Step> {
  const params = { year: String(task.year), quarter: `Q${task.quarter}` };
  const name = quarterName(task);
  const failed = (why: string): Step => ({
    page: {
      ...emptyPage,
      notes: PRODUCTS.map((part): CoverageNote => {
        const q = quarterOf(Date.UTC(task.year, (task.quarter - 1) * 3, 1));
        return { kind: "failed", part, market: null, from: q.start, to: q.end - 1, message: `Fills of ${name}: OKX's fills archive was not available (${why}).` };
      }),
    },
    tasks: rest,
    completed: 1,
  });

  if (task.stage === "apply") {
    let answer: unknown;
    try {
      answer = await call(deps, "trade/fills-archive apply", () => deps.exchange.privatePostTradeFillsArchive(params));
    } catch (error) {
      if (!refusal(error)) throw error;
      return failed(refusal(error)!);
    }
    if (!applySchema.safeParse(okxData(answer, "POST /api/v5/trade/fills-archive")).success) throw malformed(ID, "POST /api/v5/trade/fills-archive");
    return { page: emptyPage, tasks: [{ ...task, stage: "poll" }, ...rest], completed: 0 };
  }

  const key = `${task.year}Q${task.quarter}`;
  let fills = view.files.get(key);
  if (!fills) {
    // OKX prepares the file asynchronously: wait a little longer before each further poll
    if (task.stage === "poll" && task.polls > 0) await sleep(Math.min(POLL_FIRST_MS * 2 ** (task.polls - 1), POLL_MAX_MS));
    let answer: unknown;
    try {
      answer = await call(deps, "trade/fills-archive poll", () => deps.exchange.privateGetTradeFillsArchive(params));
    } catch (error) {
      if (!refusal(error)) throw error;
      return failed(refusal(error)!);
    }
    const parsed = pollSchema.safeParse(okxData(answer, "GET /api/v5/trade/fills-archive"));
    if (!parsed.success) throw malformed(ID, "GET /api/v5/trade/fills-archive");
    const status = parsed.data[0];
    // no application on record (it lapsed): apply again
    if (!status) return task.polls >= POLL_GIVE_UP ? failed("OKX forgot the application") : { page: emptyPage, tasks: [{ ...task, stage: "apply", polls: task.polls + 1 }, ...rest], completed: 0 };
    if (status.state !== "finished" || !status.fileHref) {
      if (task.polls >= POLL_GIVE_UP) return failed(`still "${status.state}" after ${task.polls} polls`);
      return { page: emptyPage, tasks: [{ ...task, stage: "poll", polls: task.polls + 1 }, ...rest], completed: 0 };
    }
    fills = await download(deps, status.fileHref, name);
    view.files.set(key, fills);
  }

  // Fills stored before (an earlier run, or this quarter's earlier pages) are at or below the
  // newest billId of their instType, or at or below `after` in the file's billId order.
  const fresh = fills.filter((row) => {
    const type = row.instType as OkxInstType;
    const id = row.billId!;
    const stored = view.newest[type];
    return (task.after === null || compareIntegerStrings(id, task.after) > 0) && (stored === undefined || compareIntegerStrings(id, stored) > 0);
  });
  const batch = fresh.slice(0, ARCHIVE_PAGE);
  await view.instruments.ensure(batch);
  const normalized = batch.map((row) => normalizeOkxFill(row, view.instruments.of));
  const newest: Partial<Record<OkxInstType, string>> = {};
  for (const f of normalized) newest[f.instType] = maxBillId(newest[f.instType], f.billId);
  const last = normalized.at(-1);
  const finished = fresh.length <= ARCHIVE_PAGE;
  if (finished) view.files.delete(key);
  return {
    page: { market: null, trades: normalized.map((f) => f.trade) },
    tasks: finished ? rest : [{ ...task, stage: "read", after: last!.billId }, ...rest],
    completed: finished ? 1 : 0,
    newest,
  };
}

/** OKX's own refusal of an archive request (51000 for a quarter it does not serve), as words; null for errors worth retrying. */
function refusal(error: unknown): string | null {
  const classified = (error as { classified?: ClassifiedError }).classified;
  if (!classified || classified.status === "unreachable" || classified.status === "revoked") return null;
  return classified.code ? `OKX answered ${classified.code}: ${classified.message}` : classified.message;
}

/**
 * The archive file, through ccxt like every other request (its timeout, proxy and user agent).
 * fileHref is OKX's own pre-signed link to the file, not an API endpoint: it takes no API
 * signature, so ccxt's plain fetch is the call; ccxt hands a ZIP answer over as bytes when
 * handleContentTypeApplicationZip is on (anything else it would decode as text).
 */
async function download(deps: Deps, href: string, name: string): Promise<Record<string, string>[]> {
  const exchange = deps.exchange as Exchange & { handleContentTypeApplicationZip: boolean };
  exchange.handleContentTypeApplicationZip = true;
  const body = await call(deps, "trade/fills-archive file", () => exchange.fetch(href, "GET"));
  if (!(body instanceof Uint8Array)) throw malformed(ID, `the fills archive file of ${name} (not a ZIP)`);
  const rows = readFillsArchive(body);
  const row = z.looseObject({ instType, billId });
  for (const r of rows) if (!row.safeParse(r).success) throw malformed(ID, `the fills archive file of ${name}`);
  // billId order, whatever the file's: `after` and the stored newest billIds page over it
  return rows.sort((a, b) => compareIntegerStrings(a.billId!, b.billId!));
}

// --- fills-history ------------------------------------------------------------------------------------

async function historyTask(deps: Deps, task: Extract<Task, { t: "history" }>, rest: Task[], view: StreamView): Promise<Step> {
  // Fixed on the first page: what was stored before (older runs, the archive just read).
  const stopAt = task.begun ? task.stopAt : (view.newest[task.instType] ?? null);
  const request: Record<string, string> = { instType: task.instType, limit: String(OKX_FILLS_LIMIT) };
  if (task.after !== null) request.after = task.after;
  const raw = await call(deps, "trade/fills-history", () => deps.exchange.privateGetTradeFillsHistory(request));
  const rows = okxData(raw, "GET /api/v5/trade/fills-history");
  await view.instruments.ensure(rows);
  const fills = rows.map((row) => normalizeOkxFill(row, view.instruments.of));
  const fresh = stopAt === null ? fills : fills.filter((f) => compareIntegerStrings(f.billId, stopAt) > 0);
  const oldest = fills.at(-1);
  const done = fresh.length < fills.length || fills.length < OKX_FILLS_LIMIT || oldest === undefined;
  const newest: Partial<Record<OkxInstType, string>> = {};
  for (const f of fresh) newest[task.instType] = maxBillId(newest[task.instType], f.billId);
  const trades: NormalizedTrade[] = fresh.map((f) => f.trade);
  return {
    page: { market: null, trades },
    tasks: done ? rest : [{ ...task, after: oldest.billId, stopAt, begun: true }, ...rest],
    completed: done ? 1 : 0,
    newest,
  };
}

/** Contract values of the derivatives met, from public/instruments (per instType; OPTION per family), once per process and run. */
class Instruments {
  private readonly loaded = new Set<string>();
  private readonly byId = new Map<string, OkxInstrument>();
  constructor(private readonly deps: Deps) {}

  readonly of = (instId: string): OkxInstrument | null => this.byId.get(instId) ?? null;

  async ensure(rows: readonly unknown[]): Promise<void> {
    for (const row of rows) {
      const parsed = z.looseObject({ instType, instId: z.string() }).safeParse(row);
      if (!parsed.success || parsed.data.instType === "SPOT" || parsed.data.instType === "MARGIN") continue;
      const { instType: type, instId } = parsed.data;
      const family = type === "OPTION" ? instFamily(instId) : null;
      const key = family ? `${type} ${family}` : type;
      if (this.loaded.has(key)) continue;
      this.loaded.add(key);
      const params: Record<string, string> = { instType: type, ...(family ? { instFamily: family } : {}) };
      const raw = await call(this.deps, "public/instruments", () => this.deps.exchange.publicGetPublicInstruments(params));
      for (const [id, instrument] of parseInstruments(okxData(raw, "GET /api/v5/public/instruments"))) this.byId.set(id, instrument);
    }
  }
}

// --- deposits and withdrawals -------------------------------------------------------------------------

async function transfersTask(deps: Deps, task: Extract<Task, { t: "transfers" }>, rest: Task[]): Promise<Step> {
  const request: Record<string, string> = { limit: String(TRANSFERS_LIMIT) };
  if (task.after !== null) request.after = String(task.after);
  const deposits = task.kind === "deposits";
  const raw = deposits
    ? await call(deps, "asset/deposit-history", () => deps.exchange.privateGetAssetDepositHistory(request))
    : await call(deps, "asset/withdrawal-history", () => deps.exchange.privateGetAssetWithdrawalHistory(request));
  const rows = okxData(raw, deposits ? "GET /api/v5/asset/deposit-history" : "GET /api/v5/asset/withdrawal-history");
  const all = rows.map(deposits ? normalizeOkxDeposit : normalizeOkxWithdrawal);
  const seen = new Set(task.seen);
  const unseen = all.filter((t) => !seen.has(t.id));
  const transfers = unseen.filter((t) => task.stopAt === null || t.timestamp > task.stopAt);
  const newestTs = transfers.reduce((max, t) => Math.max(max, t.timestamp), 0);
  const marks = newestTs > 0 ? { [task.kind]: newestTs } : {};
  const oldestTs = Math.min(...all.map((t) => t.timestamp));
  const reachedStored = transfers.length < unseen.length;
  if (all.length < TRANSFERS_LIMIT || reachedStored) {
    return { page: { market: null, trades: [], transfers }, tasks: rest, completed: 1, transfers: marks };
  }
  // `after` is exclusive and several records can share a millisecond: re-read the oldest one's,
  // skipping those already handed on. (A page all of one millisecond cannot be paged further.)
  const atOldest = all.filter((t) => t.timestamp === oldestTs).map((t) => t.id);
  const stuck = task.after === oldestTs + 1;
  const next: Task = stuck ? { ...task, after: oldestTs, seen: [] } : { ...task, after: oldestTs + 1, seen: atOldest };
  return { page: { market: null, trades: [], transfers }, tasks: [next, ...rest], completed: 0, transfers: marks };
}

// --- balances -------------------------------------------------------------------------------------------

/** Per asset, the trading account's cashBal plus the funding account's bal. */
async function readBalances(deps: Deps): Promise<Record<string, string>> {
  const trading = await call(deps, "account/balance", () => deps.exchange.privateGetAccountBalance());
  const amount = z.union([decimalString(), z.literal("")]);
  const account = z.array(z.looseObject({ details: z.array(z.looseObject({ ccy: z.string(), cashBal: amount })) })).safeParse(okxData(trading, "GET /api/v5/account/balance"));
  if (!account.success) throw malformed(ID, "GET /api/v5/account/balance");
  const funding = await call(deps, "asset/balances", () => deps.exchange.privateGetAssetBalances());
  const wallet = z.array(z.looseObject({ ccy: z.string(), bal: amount })).safeParse(okxData(funding, "GET /api/v5/asset/balances"));
  if (!wallet.success) throw malformed(ID, "GET /api/v5/asset/balances");
  return effectsOf(
    ...account.data.flatMap((a) => a.details.map((d) => [d.ccy, d.cashBal || null] as const)),
    ...wallet.data.map((b) => [b.ccy, b.bal || null] as const),
  );
}
