import "server-only";
import type PgBoss from "pg-boss";
import { isExportInterrupted, classifyExportFailure } from "@/lib/backups/export/errors";
import { markExportFailed, markExportWaiting } from "@/lib/backups/export/job-state";
import { ExportRetryableError, runExport, type RunExportOptions, type RunExportResult } from "@/lib/backups/export/run-export";
import type { Db } from "@/lib/db";
import { tryLockBinding } from "./binding-lock";
import type { ExportJobData } from "./boss";

// One pg-boss job: run the export under the binding's Postgres lock and tell pg-boss what
// happened. Returning completes the pg-boss job (success, or a permanent failure already
// written on the ExportJob: no retry); throwing makes pg-boss retry it later with backoff
// (a transient failure, or the worker stopping mid-export: the next run resumes).
//
// pg-boss keeps what the handler returns or throws as the job's output, in Postgres, serialised
// with message, stack and cause. So neither is ever the error the export failed with (an
// exchange error's text holds the signed URL): it returns the run's result, whose error is the
// classified message, and throws a RetryExport made of that message alone.

/** What pg-boss is thrown to retry a job: the user-facing reason, nothing else. */
export class RetryExport extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RetryExport";
  }
}

export interface HandlerContext {
  client: Db;
  connectionString: string;
  signal: AbortSignal;
  runOptions?: Omit<RunExportOptions, "signal">;
}

export class BindingBusyError extends Error {
  constructor(bindingId: string) {
    super(`an export of binding ${bindingId} is already running in another worker`);
    this.name = "BindingBusyError";
  }
}

export async function handleExportJob(job: PgBoss.JobWithMetadata<ExportJobData>, context: HandlerContext): Promise<RunExportResult | { skipped: true }> {
  const { client } = context;
  const exportJobId = job.data?.exportJobId;
  if (typeof exportJobId !== "string") return { skipped: true };
  const row = await client.exportJob.findUnique({ where: { id: exportJobId }, select: { bindingId: true, status: true } });
  if (!row || (row.status !== "QUEUED" && row.status !== "RUNNING")) return { skipped: true };

  const lock = await tryLockBinding(context.connectionString, row.bindingId);
  // Only possible around a crash recovery: let pg-boss try again once the other run ended.
  if (!lock) throw new BindingBusyError(row.bindingId);
  const lastTry = job.retryCount >= job.retryLimit;
  try {
    return await runExport(client, exportJobId, { ...context.runOptions, signal: context.signal });
  } catch (error) {
    if (isExportInterrupted(error)) {
      await markExportWaiting(client, exportJobId, "Paused: the worker stopped. The export resumes where it left off.", { countAttempt: false });
      if (lastTry) return { skipped: true }; // the orphan sweep sends it again
      throw new RetryExport("interrupted: the worker stopped");
    }
    const failure = error instanceof ExportRetryableError ? error.failure : classifyExportFailure(error);
    if (!failure.retryable) {
      await markExportFailed(client, exportJobId, failure.message);
      return { skipped: true };
    }
    if (lastTry) {
      await markExportFailed(client, exportJobId, `${failure.message} Gave up after ${job.retryCount + 1} attempts; start the export again later.`);
      return { skipped: true };
    }
    await markExportWaiting(client, exportJobId, `${failure.message} Retrying later.`, { countAttempt: true });
    throw new RetryExport(failure.message);
  } finally {
    await lock.release();
  }
}
