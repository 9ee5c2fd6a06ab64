import "server-only";
import type { Db } from "@/lib/db";
import { AppError } from "@/lib/errors";

// What the progress UI and the route handlers read about exports: always for one user, so a
// job id guessed from another account finds nothing.

export type ExportJobStatus = "QUEUED" | "RUNNING" | "SUCCEEDED" | "FAILED" | "CANCELLED";

export interface ExportJobView {
  id: string;
  bindingId: string;
  status: ExportJobStatus;
  fullScan: boolean;
  /** Estimated fraction done, 0..1; null while unknown (show an indeterminate bar). */
  progress: number | null;
  marketsTotal: number;
  marketsDone: number;
  /** Trades stored by this job. */
  tradesFetched: number;
  pagesFetched: number;
  currentMarket: string | null;
  /** Over the current run; null until it has run for a moment. */
  tradesPerSecond: number | null;
  etaSeconds: number | null;
  /** Transient failures so far (the job is retried). */
  attempts: number;
  /** FAILED: why, in words for the user. QUEUED/RUNNING: the last transient problem, if any. */
  error: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  updatedAt: Date;
}

const viewSelect = {
  id: true,
  bindingId: true,
  status: true,
  fullScan: true,
  progress: true,
  marketsTotal: true,
  marketsDone: true,
  tradesFetched: true,
  pagesFetched: true,
  currentMarket: true,
  tradesPerSecond: true,
  etaSeconds: true,
  attempts: true,
  error: true,
  createdAt: true,
  startedAt: true,
  finishedAt: true,
  updatedAt: true,
} as const;

/** One export of the user's; NOT_FOUND otherwise. */
export async function getExportJob(client: Db, userId: string, exportJobId: string): Promise<ExportJobView> {
  const job = await client.exportJob.findFirst({ where: { id: exportJobId, userId }, select: viewSelect });
  if (!job) throw new AppError("NOT_FOUND", "No such export.");
  return job;
}

/** The user's exports, newest first; optionally of one binding. */
export async function listExportJobs(client: Db, userId: string, options: { bindingId?: string; limit?: number } = {}): Promise<ExportJobView[]> {
  return client.exportJob.findMany({
    where: { userId, ...(options.bindingId ? { bindingId: options.bindingId } : {}) },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: Math.min(Math.max(options.limit ?? 20, 1), 200),
    select: viewSelect,
  });
}

/** The newest export of each of the user's bindings (the dashboard's per-key status). */
export async function latestExportJobs(client: Db, userId: string): Promise<Map<string, ExportJobView>> {
  const jobs = await client.exportJob.findMany({
    where: { userId },
    orderBy: [{ bindingId: "asc" }, { createdAt: "desc" }],
    distinct: ["bindingId"],
    select: viewSelect,
  });
  return new Map(jobs.map((job) => [job.bindingId, job]));
}

/** The QUEUED or RUNNING export of a binding, if any (at most one exists: a unique index says so). */
export async function activeExportJob(client: Db, userId: string, bindingId: string): Promise<ExportJobView | null> {
  return client.exportJob.findFirst({ where: { userId, bindingId, status: { in: ["QUEUED", "RUNNING"] } }, select: viewSelect });
}
