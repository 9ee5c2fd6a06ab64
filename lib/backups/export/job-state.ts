import "server-only";
import { randomUUID } from "node:crypto";
import { recordEvent } from "@/lib/audit/record-event";
import { buildCoverage } from "@/lib/backups/coverage/build-coverage";
import { storedTimestamp } from "@/lib/backups/records/store-records";
import type { Db, Tx } from "@/lib/db";
import type { CoverageNote, ExportCapabilities, HistoryPage } from "@/lib/exchanges/types";
import type { ProgressSnapshot } from "./progress";

// An export job's state in Postgres: the cursor and progress after each page, and the ends of a
// job (succeeded with its coverage report, failed, back to waiting).

/** SyncCursor.market of the row holding the adapter's whole cursor (it spans markets). */
export const ALL_MARKETS = "*";

export const TERMINAL = new Set(["SUCCEEDED", "FAILED", "CANCELLED"]);

// After each page, in the page's transaction: the adapter's cursor, the job's progress, the
// page's coverage notes and the balances it read. One statement: Prisma's upsert and update
// took about a fifth of a zero-latency export's time here (42k vs 34k trades/s without them).
// A page stored means the exchange answers again, hence error = NULL (no "retrying" message).
const SAVE_PAGE_STATE = `
  WITH "cursor" AS (
    INSERT INTO "SyncCursor" ("id", "bindingId", "market", "cursor", "done", "updatedAt")
    VALUES ($1, $2, $3, $4::jsonb, $5, $6::timestamp(3))
    ON CONFLICT ("bindingId", "market") DO UPDATE SET "cursor" = EXCLUDED."cursor", "done" = EXCLUDED."done", "updatedAt" = EXCLUDED."updatedAt"
  )
  UPDATE "ExportJob" SET
    "progress" = $7, "marketsTotal" = $8, "marketsDone" = $9, "currentMarket" = $10, "tradesPerSecond" = $11, "etaSeconds" = $12,
    "error" = NULL, "tradesFetched" = "tradesFetched" + $13, "pagesFetched" = "pagesFetched" + 1, "updatedAt" = $6::timestamp(3),
    "coverageNotes" = "coverageNotes" || $15::jsonb, "balances" = COALESCE($16::jsonb, "balances")
  WHERE "id" = $14`;

export async function savePageState(
  tx: Tx,
  state: { bindingId: string; jobId: string; page: HistoryPage; snapshot: ProgressSnapshot; inserted: number; at: Date },
): Promise<void> {
  const { snapshot, page } = state;
  await tx.$executeRawUnsafe(
    SAVE_PAGE_STATE,
    randomUUID(), // the cursor row's id, when this page is the binding's first
    state.bindingId,
    ALL_MARKETS,
    JSON.stringify(page.nextCursor),
    page.done,
    storedTimestamp(state.at),
    snapshot.progress,
    snapshot.marketsTotal,
    snapshot.marketsDone,
    snapshot.currentMarket,
    snapshot.tradesPerSecond,
    snapshot.etaSeconds,
    state.inserted,
    state.jobId,
    JSON.stringify(page.notes ?? []),
    page.balances ? JSON.stringify(page.balances) : null,
  );
}

/** Ends a job as succeeded: its coverage report is made and kept with it, in one transaction. */
export async function markExportSucceeded(
  client: Db,
  job: { id: string; bindingId: string; userId: string; exchange: string; fullScan: boolean },
  capabilities: ExportCapabilities,
  at: number,
): Promise<void> {
  await client.$transaction(
    async (tx) => {
      const stored = await tx.exportJob.findUniqueOrThrow({ where: { id: job.id }, select: { coverageNotes: true, balances: true } });
      const coverage = await buildCoverage(tx, {
        bindingId: job.bindingId,
        exchange: job.exchange,
        exportJobId: job.id,
        fullScan: job.fullScan,
        capabilities,
        notes: (stored.coverageNotes ?? []) as CoverageNote[],
        balances: (stored.balances ?? null) as Record<string, string> | null,
        now: new Date(at),
      });
      // Markets with stored trades: the figure that matters once the export is complete.
      const markets = coverage.parts.reduce((sum, p) => sum + (p.markets?.length ?? 0), 0);
      const updated = await tx.exportJob.update({
        where: { id: job.id },
        data: {
          status: "SUCCEEDED",
          finishedAt: new Date(at),
          progress: 1,
          etaSeconds: 0,
          error: null,
          marketsDone: markets,
          marketsTotal: markets,
          currentMarket: null,
          coverage,
        },
      });
      await tx.exchangeBinding.update({ where: { id: job.bindingId }, data: { lastSyncedAt: new Date(at) } });
      await recordEvent(tx, {
        userId: job.userId,
        type: "export.completed",
        bindingId: job.bindingId,
        data: { exportJobId: job.id, tradesStored: updated.tradesFetched, pages: updated.pagesFetched, markets, complete: coverage.complete },
      });
    },
    { timeout: 120_000, maxWait: 30_000 },
  );
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
