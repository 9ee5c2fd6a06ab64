import "server-only";
import type { Db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { bindSignal, sharedPacer } from "@/lib/exchanges/pacing/shared";
import { sleep } from "@/lib/exchanges/pacing/sleep";
import type { SignalAwarePacer } from "@/lib/exchanges/pacing/types";
import { getAdapter } from "@/lib/exchanges/registry";
import type { ExportCursor, KeyCredentials, RequestPacer, HistoryPage } from "@/lib/exchanges/types";
import { loadCredentials } from "@/lib/keys/credentials";
import { readAhead } from "@/lib/backups/read-ahead";
import { isUniqueViolation, storePageRecords } from "@/lib/backups/records/store-records";
import { backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from "./backoff";
import { classifyExportFailure, ExportInterruptedError, isExportInterrupted, type ExportFailure } from "./errors";
import { ALL_MARKETS, markExportFailed, markExportSucceeded, savePageState, TERMINAL } from "./job-state";
import { ProgressTracker } from "./progress";

// Pulls a binding's history from its exchange into Postgres, page by page: trades of every
// product, transfers, conversions, income. Each page's records, the adapter's cursor after it
// and the job's progress are written in ONE transaction, and records are unique per binding
// and exchange id (lib/backups/records): whenever the process dies, the stored cursor and the
// stored records agree, and the next run continues from there. A page fetched again after a
// crash inserts nothing new. After success the cursor stays, so the next export of the
// binding only fetches what is new; the job keeps its coverage report (job-state.ts).

const MAX_RATE_LIMITED_RETRIES = 20;
/**
 * A page with nothing to store (an empty market, an empty time window) still advances the
 * cursor. Saving that in its own transaction cost a fifth of a zero-latency export (the (a)
 * benchmark: 234 of 434 pages were empty), so such a page is stored only when the last stored
 * page is this old: the progress bar still moves, and after a crash the few empty answers since
 * are asked for again, which loses and repeats nothing.
 */
const EMPTY_PAGE_SAVE_INTERVAL_MS = 1000;

export type ExportPhase = "fetched" | "in-transaction" | "committed";

export interface ExportPageEvent {
  /** Pages seen by this run, from 1. */
  index: number;
  phase: ExportPhase;
  page: HistoryPage;
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
  /** Earliest time to look back to (where the adapter reads by time). */
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
  /** Trades this run stored (new rows), pages it fetched and stored, and trades it fetched. */
  inserted: number;
  pages: number;
  /** Pages written to Postgres (an empty page may be skipped: EMPTY_PAGE_SAVE_INTERVAL_MS). */
  stored: number;
  fetched: number;
  error: string | null;
}

/**
 * A transient failure that outlasted the retries inside the run: try the job again later. It
 * carries the classified failure only, not the error behind it (ccxt's text holds signed URLs):
 * the job queue stores what it is thrown.
 */
export class ExportRetryableError extends Error {
  readonly failure: ExportFailure;
  constructor(failure: ExportFailure) {
    super(failure.message);
    this.name = "ExportRetryableError";
    this.failure = failure;
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
    select: {
      id: true,
      userId: true,
      bindingId: true,
      status: true,
      startedAt: true,
      error: true,
      fullScan: true,
      binding: { select: { exchange: true, status: true, lastSyncedAt: true } },
    },
  });
  if (!job) throw new AppError("NOT_FOUND", "No such export.");
  const result: RunExportResult = { status: "SUCCEEDED", skipped: false, inserted: 0, pages: 0, stored: 0, fetched: 0, error: null };
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
    if (failure.retryable) throw new ExportRetryableError(failure);
    await markExportFailed(client, job.id, failure.message);
    return { ...result, status: "FAILED", error: failure.message };
  }

  // Every request is paced by the pacer passed to exportHistory (ccxt's own limiter is off).
  const adapter = getAdapter(job.binding.exchange, {
    env,
    enableRateLimit: false,
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
  });
  const pacer = options.pacer ?? sharedPacer(job.binding.exchange, adapter.history.pacing, env);
  const runStartedAt = now();
  const since = options.since;
  const lastSyncedAt = job.binding.lastSyncedAt ?? undefined;
  let tracker: ProgressTracker | null = null;
  let failures = 0;
  let rateLimited = 0;
  // See lib/backups/records: false until a page meets records that were stored before this run.
  let skipStored = false;

  for (;;) {
    try {
      const stored = await client.syncCursor.findUnique({ where: { bindingId_market: { bindingId: job.bindingId, market: ALL_MARKETS } } });
      const cursor = (stored?.cursor ?? null) as ExportCursor | null;
      if (!tracker) {
        const current = await client.exportJob.findUniqueOrThrow({ where: { id: job.id } });
        tracker = new ProgressTracker({
          progress: current.progress,
          marketsTotal: current.marketsTotal,
          marketsDone: current.marketsDone,
          startedAt: runStartedAt,
        });
      }
      const pages = adapter.exportHistory(credentials, cursor, {
        fullScan: job.fullScan,
        // background work; this export's requests take turns with other exports' (fair-queue.ts)
        pacer: bindSignal(pacer as SignalAwarePacer, signal, { priority: "background", owner: job.id }),
        ...(since ? { since } : {}),
        ...(lastSyncedAt ? { lastSyncedAt } : {}),
        ...(options.now ? { now: options.now } : {}),
      });
      let finished = false;
      let lastStoredAt = Number.NEGATIVE_INFINITY;
      // The next page is requested while this one is stored (see lib/backups/read-ahead.ts).
      for await (const page of readAhead(pages)) {
        const index = ++result.pages;
        result.fetched += page.trades.length;
        await observe(options, { index, phase: "fetched", page });
        checkSignal(signal);
        const snapshot = tracker.update(page, now());
        if (isEmptyPage(page) && performance.now() - lastStoredAt < EMPTY_PAGE_SAVE_INTERVAL_MS) {
          failures = 0;
          continue;
        }
        const storePage = (skipStored: boolean) => client.$transaction(
          async (tx) => {
            const count = await storePageRecords(tx, job.bindingId, page, { skipStored });
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
          // Records this run did not store are already there: store the page again, skipping
          // them, and keep skipping for the rest of the run.
          if (skipStored || !isUniqueViolation(error)) throw error;
          skipStored = true;
          inserted = await storePage(true);
        }
        result.inserted += inserted;
        result.stored += 1;
        failures = 0;
        lastStoredAt = performance.now();
        await observe(options, { index, phase: "committed", page });
        if (page.done) {
          finished = true;
          break;
        }
        checkSignal(signal);
      }
      if (!finished) throw new Error("the exchange adapter stopped without a last page");
      await markExportSucceeded(
        client,
        { id: job.id, bindingId: job.bindingId, userId: job.userId, exchange: job.binding.exchange, fullScan: job.fullScan },
        adapter.history,
        now(),
      );
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
        throw new ExportRetryableError(failure);
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

/** Nothing to store but the cursor: no records, no coverage notes, no balances, not the last page. */
function isEmptyPage(page: HistoryPage): boolean {
  return (
    !page.done &&
    page.trades.length === 0 &&
    !page.transfers?.length &&
    !page.conversions?.length &&
    !page.income?.length &&
    !page.notes?.length &&
    !page.balances
  );
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

