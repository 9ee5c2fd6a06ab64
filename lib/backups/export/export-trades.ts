import "server-only";
import { randomUUID } from "node:crypto";
import { Prisma } from "@/generated/prisma/client";
import { recordEvent } from "@/lib/audit/record-event";
import type { Db, Tx } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { bindSignal, sharedPacer } from "@/lib/exchanges/pacing/shared";
import { sleep } from "@/lib/exchanges/pacing/sleep";
import type { SignalAwarePacer } from "@/lib/exchanges/pacing/types";
import { getAdapter } from "@/lib/exchanges/registry";
import type { ExportCursor, KeyCredentials, NormalizedTrade, RequestPacer, TradePage } from "@/lib/exchanges/types";
import { loadCredentials } from "@/lib/keys/credentials";
import { backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from "./backoff";
import { classifyExportFailure, ExportInterruptedError, isExportInterrupted, type ExportFailure } from "./errors";
import { ProgressTracker, type ProgressSnapshot } from "./progress";
import { readAhead } from "@/lib/backups/read-ahead";

// Pulls a binding's trades from its exchange into TradeRecord, page by page. Each page's
// trades, the adapter's cursor after it and the job's progress are written in ONE
// transaction, and trades are unique per (binding, market, exchange trade id): whenever the
// process dies, the stored cursor and the stored trades agree, and the next run continues
// from there. A page fetched again after a crash inserts nothing new. After success the
// cursor stays, so the next export of the binding only fetches what is new.

/** SyncCursor.market of the row holding the adapter's whole cursor (it spans markets). */
export const ALL_MARKETS = "*";

const TERMINAL = new Set(["SUCCEEDED", "FAILED", "CANCELLED"]);
const OKX_HISTORY_MS = 90 * 86_400_000;
const MAX_RATE_LIMITED_RETRIES = 20;
const INCREMENTAL_SINCE_MARGIN_MS = 7 * 86_400_000;

export type ExportPhase = "fetched" | "in-transaction" | "committed";

export interface ExportPageEvent {
  /** Pages seen by this run, from 1. */
  index: number;
  phase: ExportPhase;
  page: TradePage;
}

export interface RunExportOptions {
  /** Aborting stops the run at the next safe point (ExportInterruptedError); what is committed stays. */
  signal?: AbortSignal;
  /** Default: the process-wide pacer of the exchange and origin (lib/exchanges/pacing/shared.ts). */
  pacer?: SignalAwarePacer | RequestPacer;
  /** Where EXCHANGE_ORIGIN_* and EXCHANGE_TIMEOUT_MS are read; default process.env. */
  env?: Record<string, string | undefined>;
  timeoutMs?: number;
  /** Retries inside the run for transient failures (timeouts, 5xx, malformed answers). */
  backoff?: BackoffPolicy;
  /** Earliest time to look back to (Binance deposit/withdrawal scan, Bybit windows). */
  since?: Date;
  /**
   * Observes every page: after it was fetched, inside its transaction (after the writes,
   * before the commit) and after the commit. An error thrown here propagates as it is (the
   * transaction rolls back): tests use it to "crash" the run at any point.
   */
  onPage?: (event: ExportPageEvent) => void | Promise<void>;
  now?: () => number;
}

export interface RunExportResult {
  status: "SUCCEEDED" | "FAILED" | "CANCELLED";
  /** True when the job was already finished and nothing ran. */
  skipped: boolean;
  /** Trades this run stored (new rows), and pages and trades it fetched. */
  inserted: number;
  pages: number;
  fetched: number;
  error: string | null;
}

/** A transient failure that outlasted the retries inside the run: try the job again later. */
export class ExportRetryableError extends Error {
  readonly failure: ExportFailure;
  constructor(failure: ExportFailure, options?: { cause?: unknown }) {
    super(failure.message);
    this.name = "ExportRetryableError";
    this.failure = failure;
    if (options?.cause !== undefined) (this as { cause?: unknown }).cause = options.cause;
  }
}

/** An error thrown by an onPage observer: never retried, never classified. */
class ObserverError extends Error {
  constructor(readonly original: unknown) {
    super("onPage observer failed");
  }
}

export async function runExport(client: Db, exportJobId: string, options: RunExportOptions = {}): Promise<RunExportResult> {
  const now = options.now ?? Date.now;
  const env = options.env ?? process.env;
  const policy = options.backoff ?? DEFAULT_BACKOFF;
  const signal = options.signal;

  const job = await client.exportJob.findUnique({
    where: { id: exportJobId },
    include: { binding: { select: { exchange: true, status: true, lastSyncedAt: true } } },
  });
  if (!job) throw new AppError("NOT_FOUND", "No such export.");
  const result: RunExportResult = { status: "SUCCEEDED", skipped: false, inserted: 0, pages: 0, fetched: 0, error: null };
  if (TERMINAL.has(job.status)) return { ...result, status: job.status as RunExportResult["status"], skipped: true, error: job.error };

  const claimed = await client.exportJob.updateMany({
    where: { id: job.id, status: { in: ["QUEUED", "RUNNING"] } },
    data: { status: "RUNNING", startedAt: job.startedAt ?? new Date(now()), error: null },
  });
  if (claimed.count === 0) return { ...result, status: "CANCELLED", skipped: true };

  let credentials: KeyCredentials;
  try {
    if (job.binding.status === "UNBOUND") throw new AppError("NOT_FOUND", "the key is no longer bound to MyITS.");
    credentials = await loadCredentials(client, job.userId, job.bindingId);
  } catch (error) {
    const failure = classifyExportFailure(error);
    if (failure.retryable) throw new ExportRetryableError(failure, { cause: error });
    await markExportFailed(client, job.id, failure.message);
    return { ...result, status: "FAILED", error: failure.message };
  }

  const pacer = options.pacer ?? sharedPacer(job.binding.exchange, env);
  const adapter = getAdapter(job.binding.exchange, {
    env,
    enableRateLimit: false,
    pacer,
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
  });
  const runStartedAt = now();
  // Binance finds the markets to visit from balances and from deposits and withdrawals since
  // `since` (2017 by default: ~75 requests). After a completed export every market found then
  // is remembered in the cursor, so a later run only needs the transfers since (a margin
  // before) the last sync.
  const lastSync = job.binding.lastSyncedAt?.getTime();
  const incrementalSince = job.binding.exchange === "binance" && lastSync !== undefined ? lastSync - INCREMENTAL_SINCE_MARGIN_MS : undefined;
  const sinceMs = Math.max(options.since?.getTime() ?? Number.NEGATIVE_INFINITY, incrementalSince ?? Number.NEGATIVE_INFINITY);
  const since = Number.isFinite(sinceMs) ? new Date(sinceMs) : undefined;
  let tracker: ProgressTracker | null = null;
  let failures = 0;
  let rateLimited = 0;
  // See insertTrades: false until a page meets trades that were stored before this run.
  let skipStored = false;

  for (;;) {
    try {
      const stored = await client.syncCursor.findUnique({ where: { bindingId_market: { bindingId: job.bindingId, market: ALL_MARKETS } } });
      const cursor = (stored?.cursor ?? null) as ExportCursor | null;
      if (!tracker) {
        const current = await client.exportJob.findUniqueOrThrow({ where: { id: job.id } });
        tracker = new ProgressTracker({
          exchange: job.binding.exchange,
          cursor,
          progress: current.progress,
          marketsTotal: current.marketsTotal,
          marketsDone: current.marketsDone,
          startedAt: runStartedAt,
          horizon: Math.max(job.binding.lastSyncedAt?.getTime() ?? 0, runStartedAt - OKX_HISTORY_MS),
        });
      }
      const pages = adapter.exportTrades(credentials, cursor, {
        fullScan: job.fullScan,
        pacer: bindSignal(pacer as SignalAwarePacer, signal),
        ...(since ? { since } : {}),
        ...(options.now ? { now: options.now } : {}),
      });
      let finished = false;
      // The next page is requested while this one is stored (see lib/backups/read-ahead.ts).
      for await (const page of readAhead(pages)) {
        const index = ++result.pages;
        result.fetched += page.trades.length;
        await observe(options, { index, phase: "fetched", page });
        checkSignal(signal);
        const snapshot = tracker.update(page, now());
        const storePage = (skipStored: boolean) => client.$transaction(
          async (tx) => {
            const count = await insertTrades(tx, job.bindingId, page.trades, { skipStored });
            await savePageState(tx, { bindingId: job.bindingId, jobId: job.id, page, snapshot, inserted: count, at: new Date() });
            await observe(options, { index, phase: "in-transaction", page });
            checkSignal(signal);
            return count;
          },
          { timeout: 60_000, maxWait: 30_000 },
        );
        let inserted: number;
        try {
          inserted = await storePage(skipStored);
        } catch (error) {
          // Trades this run did not store are already there: store the page again, skipping
          // them, and keep skipping for the rest of the run.
          if (skipStored || !isUniqueViolation(error)) throw error;
          skipStored = true;
          inserted = await storePage(true);
        }
        result.inserted += inserted;
        failures = 0;
        await observe(options, { index, phase: "committed", page });
        if (page.done) {
          finished = true;
          break;
        }
        checkSignal(signal);
      }
      if (!finished) throw new Error("the exchange adapter stopped without a last page");
      await markExportSucceeded(client, job.id, job.bindingId, job.userId, now());
      return result;
    } catch (error) {
      if (error instanceof ObserverError) throw error.original;
      if (isExportInterrupted(error) || signal?.aborted) throw new ExportInterruptedError();
      const failure = classifyExportFailure(error);
      if (!failure.retryable) {
        await markExportFailed(client, job.id, failure.message);
        return { ...result, status: "FAILED", error: failure.message };
      }
      // A 429 is the exchange pacing us, not failing: the pacer already holds requests until
      // Retry-After; give it more patience than for real faults.
      const retry = failure.rateLimited ? ++rateLimited : ++failures;
      if ((failure.rateLimited && rateLimited > MAX_RATE_LIMITED_RETRIES) || (!failure.rateLimited && failures >= policy.attempts)) {
        throw new ExportRetryableError(failure, { cause: error });
      }
      await client.exportJob.update({ where: { id: job.id }, data: { error: `${failure.message} Retrying…` } });
      try {
        await sleep(backoffDelay(retry, policy, Math.random(), failure.retryAfterMs), signal);
      } catch {
        throw new ExportInterruptedError();
      }
    }
  }
}

async function observe(options: RunExportOptions, event: ExportPageEvent): Promise<void> {
  if (!options.onPage) return;
  try {
    await options.onPage(event);
  } catch (error) {
    throw new ObserverError(error);
  }
}

function checkSignal(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new ExportInterruptedError();
}

// One statement per page, whatever its size: the page travels as one JSON parameter and
// Postgres unpacks it (Prisma's createMany of 1000 rows x 13 columns was ~10x slower here).
// Amounts stay JSON strings, i.e. the exchange's exact text. (jsonb_to_recordset reads a raw
// record that is JSON null as SQL NULL; the COALESCE keeps it the JSON value it was.)
//
// Trades are unique per (binding, market, trade id). A run normally meets only new trades: the
// stored cursor and the stored trades agree, whenever the process died. Trades already stored
// come from elsewhere (an imported archive, a cursor that was reset), so the plain INSERT is
// the rule and ON CONFLICT DO NOTHING, which made these inserts 12-18% slower here, is the
// exception: runExport switches to it for the rest of the run when the plain INSERT meets a
// stored trade (the whole page rolls back and is stored again).
const INSERT_TRADES = `
  INSERT INTO "TradeRecord" ("bindingId", "market", "exchangeTradeId", "orderId", "side", "price", "amount", "cost", "fee", "feeCurrency", "isMaker", "tradedAt", "raw")
  SELECT $2, r."market", r."id", r."orderId", r."side", r."price", r."amount", r."cost", r."fee", r."feeCurrency", r."isMaker", (r."tradedAt")::timestamp(3), COALESCE(r."raw", 'null'::jsonb)
  FROM jsonb_to_recordset($1::jsonb) AS r("market" text, "id" text, "orderId" text, "side" text, "price" text, "amount" text, "cost" text, "fee" text, "feeCurrency" text, "isMaker" boolean, "tradedAt" text, "raw" jsonb)`;
const INSERT_TRADES_SKIPPING_STORED = `${INSERT_TRADES}
  ON CONFLICT ("bindingId", "market", "exchangeTradeId") DO NOTHING`;

// After each page, in the page's transaction: the adapter's cursor and the job's progress.
// One statement: Prisma's upsert and update took about a fifth of a zero-latency export's
// time here (42k vs 34k trades/s without them). A page stored means the exchange answers
// again, hence error = NULL (no "retrying" message).
const SAVE_PAGE_STATE = `
  WITH "cursor" AS (
    INSERT INTO "SyncCursor" ("id", "bindingId", "market", "cursor", "done", "updatedAt")
    VALUES ($1, $2, $3, $4::jsonb, $5, $6::timestamp(3))
    ON CONFLICT ("bindingId", "market") DO UPDATE SET "cursor" = EXCLUDED."cursor", "done" = EXCLUDED."done", "updatedAt" = EXCLUDED."updatedAt"
  )
  UPDATE "ExportJob" SET
    "progress" = $7, "marketsTotal" = $8, "marketsDone" = $9, "currentMarket" = $10, "tradesPerSecond" = $11, "etaSeconds" = $12,
    "error" = NULL, "tradesFetched" = "tradesFetched" + $13, "pagesFetched" = "pagesFetched" + 1, "updatedAt" = $6::timestamp(3)
  WHERE "id" = $14`;

async function savePageState(
  tx: Tx,
  state: { bindingId: string; jobId: string; page: TradePage; snapshot: ProgressSnapshot; inserted: number; at: Date },
): Promise<void> {
  const { snapshot } = state;
  await tx.$executeRawUnsafe(
    SAVE_PAGE_STATE,
    randomUUID(), // the cursor row's id, when this page is the binding's first
    state.bindingId,
    ALL_MARKETS,
    JSON.stringify(state.page.nextCursor),
    state.page.done,
    storedTimestamp(state.at),
    snapshot.progress,
    snapshot.marketsTotal,
    snapshot.marketsDone,
    snapshot.currentMarket,
    snapshot.tradesPerSecond,
    snapshot.etaSeconds,
    state.inserted,
    state.jobId,
  );
}

/** A time as the recordset's tradedAt: UTC, as Prisma stores DateTime in a timestamp without time zone. */
export function storedTimestamp(date: Date): string {
  return date.toISOString().replace("Z", "");
}

/** The stored form of a trade: the exchange's exact strings, never a float. */
export function tradeRow(trade: NormalizedTrade) {
  return {
    market: trade.market,
    id: trade.id,
    orderId: trade.orderId,
    side: trade.side,
    price: trade.price,
    amount: trade.amount,
    cost: trade.cost,
    fee: trade.fee?.cost ?? null,
    feeCurrency: trade.fee?.currency ?? null,
    isMaker: trade.maker,
    tradedAt: storedTimestamp(new Date(trade.timestamp)),
    raw: trade.raw,
  };
}

/**
 * Stores a page of trades; returns how many were new. Without `skipStored`, a trade that is
 * already stored fails the statement with a unique violation (see isUniqueViolation).
 */
export async function insertTrades(tx: Tx, bindingId: string, trades: NormalizedTrade[], options: { skipStored?: boolean } = {}): Promise<number> {
  if (trades.length === 0) return 0;
  return insertTradeRecordset(tx, bindingId, JSON.stringify(trades.map(tradeRow)), options);
}

/**
 * Stores trades given as the JSON array INSERT_TRADES unpacks: objects with tradeRow's keys.
 * A restore builds it itself, to put each raw record in as the archive's exact text.
 */
export async function insertTradeRecordset(tx: Tx, bindingId: string, recordset: string, options: { skipStored?: boolean } = {}): Promise<number> {
  return tx.$executeRawUnsafe(options.skipStored ? INSERT_TRADES_SKIPPING_STORED : INSERT_TRADES, recordset, bindingId);
}

/** Postgres 23505 as Prisma reports it for a raw statement (P2010 from the driver adapter). */
export function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError)) return false;
  const cause = (error.meta as { driverAdapterError?: { cause?: { originalCode?: string; kind?: string } } } | undefined)?.driverAdapterError?.cause;
  return cause?.originalCode === "23505" || cause?.kind === "UniqueConstraintViolation" || error.code === "P2002";
}

async function markExportSucceeded(client: Db, jobId: string, bindingId: string, userId: string, at: number): Promise<void> {
  await client.$transaction(async (tx) => {
    // Markets with stored trades: the figure that matters once the export is complete.
    const markets = await tx.tradeRecord.groupBy({ by: ["market"], where: { bindingId } });
    const job = await tx.exportJob.update({
      where: { id: jobId },
      data: {
        status: "SUCCEEDED",
        finishedAt: new Date(at),
        progress: 1,
        etaSeconds: 0,
        error: null,
        marketsDone: markets.length,
        marketsTotal: markets.length,
        currentMarket: null,
      },
    });
    await tx.exchangeBinding.update({ where: { id: bindingId }, data: { lastSyncedAt: new Date(at) } });
    await recordEvent(tx, {
      userId,
      type: "export.completed",
      bindingId,
      data: { exportJobId: jobId, tradesStored: job.tradesFetched, pages: job.pagesFetched, markets: markets.length },
    });
  });
}

/** Ends a job for good with a reason the user can read (no retry follows). */
export async function markExportFailed(client: Db, jobId: string, message: string): Promise<void> {
  await client.$transaction(async (tx) => {
    const job = await tx.exportJob.findUnique({ where: { id: jobId } });
    if (!job || TERMINAL.has(job.status)) return;
    await tx.exportJob.update({ where: { id: jobId }, data: { status: "FAILED", error: message, finishedAt: new Date(), etaSeconds: null } });
    await recordEvent(tx, { userId: job.userId, type: "export.failed", bindingId: job.bindingId, data: { exportJobId: jobId, reason: message } });
  });
}

/**
 * Puts a job back in the queue's hands after a transient failure or an interruption: it
 * shows as waiting, with the reason, until a worker picks it up again.
 */
export async function markExportWaiting(client: Db, jobId: string, message: string | null, options: { countAttempt: boolean }): Promise<void> {
  await client.exportJob.updateMany({
    where: { id: jobId, status: { in: ["QUEUED", "RUNNING"] } },
    data: {
      status: "QUEUED",
      error: message,
      etaSeconds: null,
      tradesPerSecond: null,
      ...(options.countAttempt ? { attempts: { increment: 1 } } : {}),
    },
  });
}
