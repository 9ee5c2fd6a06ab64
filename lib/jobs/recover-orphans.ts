import "server-only";
import { randomUUID } from "node:crypto";
import type PgBoss from "pg-boss";
import { markExportFailed } from "@/lib/backups/export/job-state";
import type { Db } from "@/lib/db";
import { isBindingLocked } from "./binding-lock";
import { EXPORT_QUEUE, type ExportJobData } from "./boss";
import { transactionDb } from "./enqueue-export";

// Exports whose worker died (killed, out of memory, machine gone). pg-boss would notice only
// when the job expires, hours later; the binding's advisory lock tells at once: an export
// that is QUEUED or RUNNING, has not moved for a while, and whose binding nobody holds is
// either waiting in the queue (fine) or orphaned. An orphaned pg-boss job is failed so that
// pg-boss retries it (the next run resumes from the stored cursor); an ExportJob whose
// pg-boss job is gone is queued again.

/** Give up on an export that had to be re-queued this many times. */
export const MAX_REQUEUES = 10;

export interface RecoveryReport {
  /** pg-boss jobs of dead workers, failed so that pg-boss retries them. */
  released: number;
  /** ExportJobs given a new pg-boss job. */
  requeued: number;
  failed: number;
}

export async function recoverOrphanedExports(
  client: Db,
  boss: PgBoss,
  connectionString: string,
  options: { staleMs?: number; now?: number } = {},
): Promise<RecoveryReport> {
  const staleMs = options.staleMs ?? 60_000;
  const now = options.now ?? Date.now();
  const report: RecoveryReport = { released: 0, requeued: 0, failed: 0 };
  const candidates = await client.exportJob.findMany({
    where: { status: { in: ["QUEUED", "RUNNING"] }, updatedAt: { lt: new Date(now - staleMs) } },
    select: { id: true, bindingId: true, queueJobId: true, attempts: true },
    take: 100,
  });
  for (const job of candidates) {
    if (await isBindingLocked(connectionString, job.bindingId)) continue;
    const queued = job.queueJobId ? await boss.getJobById<ExportJobData>(EXPORT_QUEUE, job.queueJobId, { includeArchive: true }) : null;
    const state = queued?.state;
    if (state === "created" || state === "retry") continue; // waiting its turn
    if (state === "active") {
      // a worker took it and nobody holds the lock: that worker is gone
      if (queued && now - new Date(queued.startedOn).getTime() < staleMs) continue;
      await boss.fail(EXPORT_QUEUE, job.queueJobId!, { message: "the worker running this export stopped" });
      report.released++;
      continue;
    }
    // completed, failed, cancelled or missing while the export is unfinished
    if (job.attempts >= MAX_REQUEUES) {
      await markExportFailed(client, job.id, "The export kept failing; start it again later.");
      report.failed++;
      continue;
    }
    await client.$transaction(async (tx) => {
      const queueJobId = randomUUID();
      const moved = await tx.exportJob.updateMany({
        where: { id: job.id, queueJobId: job.queueJobId, status: { in: ["QUEUED", "RUNNING"] } },
        data: { queueJobId, status: "QUEUED", attempts: { increment: 1 } },
      });
      if (moved.count === 0) return; // changed meanwhile
      await boss.send(EXPORT_QUEUE, { exportJobId: job.id } satisfies ExportJobData, { id: queueJobId, singletonKey: job.bindingId, db: transactionDb(tx) });
    });
    report.requeued++;
  }
  return report;
}
