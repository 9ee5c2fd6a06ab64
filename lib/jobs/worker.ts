import "server-only";
import type PgBoss from "pg-boss";
import type { RunExportOptions } from "@/lib/backups/export/run-export";
import { db, type Db } from "@/lib/db";
import { env } from "@/lib/env";
import { EXPORT_QUEUE, getBoss, STATEMENT_QUEUE, stopBoss, type ExportJobData, type StatementJobData } from "./boss";
import { handleStatementJob } from "./handle-statement-job";
import { handleExportJob } from "./handle-export-job";
import { recoverOrphanedExports } from "./recover-orphans";
import { clearLocalWorkers, notifyLocalWorkers, setLocalWorkers } from "./worker-registry";

// The export worker of a process: `concurrency` pg-boss workers on the export queue (pg-boss
// 10 runs one job per worker), a periodic sweep for exports whose worker died, and a graceful
// stop that lets each running export commit its current page and hand the rest back to the
// queue. The web process starts it through ensureWorkerStarted(); `npm run worker` runs one
// on its own (scripts/worker.ts).

export interface WorkerOptions {
  /** Exports run at once by this process. Default 2. */
  concurrency?: number;
  /** How often idle workers look for jobs (pg-boss minimum 0.5). Default 2. */
  pollingIntervalSeconds?: number;
  /** An unfinished export unchanged for this long, with nobody holding its lock, is recovered. Default 60 s. */
  orphanAfterMs?: number;
  /** How often to look for orphans. Default 60 s. */
  sweepIntervalMs?: number;
  /** Passed to every runExport (env, timeouts, backoff, pacer). */
  runOptions?: Omit<RunExportOptions, "signal">;
  /** Defaults: lib/db.ts's client and DATABASE_URL from lib/env.ts. */
  client?: Db;
  connectionString?: string;
}

export interface ExportWorker {
  concurrency: number;
  /** Exports running right now in this process. */
  running(): number;
  /** Sweeps for orphaned exports now (also runs on start and periodically). */
  recoverOrphans(): Promise<void>;
  stop(options?: { timeoutMs?: number }): Promise<void>;
}

const globalForWorker = globalThis as unknown as { myitsExportWorker?: Promise<ExportWorker> };

/** Starts this process's export worker, or returns the one already running (options then ignored). */
export function startWorker(options: WorkerOptions = {}): Promise<ExportWorker> {
  if (!globalForWorker.myitsExportWorker) {
    const starting = createWorker(options);
    globalForWorker.myitsExportWorker = starting;
    starting.catch(() => {
      if (globalForWorker.myitsExportWorker === starting) globalForWorker.myitsExportWorker = undefined;
    });
  }
  return globalForWorker.myitsExportWorker;
}

/** For the web process (instrumentation or the serve script): idempotent, safe to call on every start. */
export function ensureWorkerStarted(options: WorkerOptions = {}): Promise<ExportWorker> {
  return startWorker(options);
}

/** Stops this process's worker (if any) and pg-boss. */
export async function stopWorker(options: { timeoutMs?: number } = {}): Promise<void> {
  const starting = globalForWorker.myitsExportWorker;
  if (!starting) return stopBoss(options);
  const worker = await starting.catch(() => null);
  await worker?.stop(options);
}

async function createWorker(options: WorkerOptions): Promise<ExportWorker> {
  const connectionString = options.connectionString ?? env().DATABASE_URL;
  const client = options.client ?? db();
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? 2));
  const boss = await getBoss(connectionString);
  const controllers = new Set<AbortController>();
  let stopping = false;

  const handler = async ([job]: PgBoss.JobWithMetadata<ExportJobData>[]) => {
    if (!job) return;
    const controller = new AbortController();
    controllers.add(controller);
    try {
      return await handleExportJob(job, { client, connectionString, signal: controller.signal, ...(options.runOptions ? { runOptions: options.runOptions } : {}) });
    } finally {
      controllers.delete(controller);
    }
  };

  const ids: string[] = [];
  for (let i = 0; i < concurrency; i++) {
    ids.push(
      await boss.work<ExportJobData>(
        EXPORT_QUEUE,
        { includeMetadata: true, batchSize: 1, pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2 },
        handler,
      ),
    );
  }
  // exchange history files: each job is one short poll, so one slot serves them all
  ids.push(
    await boss.work<StatementJobData>(STATEMENT_QUEUE, { batchSize: 1, pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2 }, async ([job]) =>
      job ? handleStatementJob(job, client, boss) : undefined,
    ),
  );
  setLocalWorkers(boss, ids);

  let sweeping: Promise<void> | null = null;
  const recoverOrphans = () => {
    sweeping ??= recoverOrphanedExports(client, boss, connectionString, { staleMs: options.orphanAfterMs ?? 60_000 })
      .then((report) => {
        if (report.released + report.requeued + report.failed > 0) {
          console.warn(`[jobs] recovered exports of stopped workers: ${JSON.stringify(report)}`);
          notifyLocalWorkers();
        }
      })
      .catch((error: unknown) => console.error("[jobs] orphan sweep failed:", error instanceof Error ? error.message : error))
      .finally(() => {
        sweeping = null;
      });
    return sweeping;
  };
  await recoverOrphans();
  const sweepTimer = setInterval(() => void recoverOrphans(), options.sweepIntervalMs ?? 60_000);
  sweepTimer.unref();

  const worker: ExportWorker = {
    concurrency,
    running: () => controllers.size,
    recoverOrphans,
    async stop({ timeoutMs = 20_000 } = {}) {
      if (stopping) return;
      stopping = true;
      clearInterval(sweepTimer);
      clearLocalWorkers();
      // Running exports stop at their next page boundary and go back to the queue.
      for (const controller of controllers) controller.abort(new Error("the worker is stopping"));
      await sweeping;
      if (globalForWorker.myitsExportWorker) globalForWorker.myitsExportWorker = undefined;
      await stopBoss({ timeoutMs });
    },
  };
  return worker;
}
