import "server-only";
import { randomUUID } from "node:crypto";
import type PgBoss from "pg-boss";
import { recordEvent } from "@/lib/audit/record-event";
import { noRequestMeta, type RequestMeta } from "@/lib/auth/request-meta";
import { activeExportJob, getExportJob, type ExportJobView } from "@/lib/backups/export/export-jobs";
import type { Db, Tx } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { EXPORT_QUEUE, getBoss, type ExportJobData } from "./boss";
import { notifyLocalWorkers } from "./worker-registry";

// "Export now": an ExportJob row for the progress UI and a pg-boss job for the workers,
// created in one transaction (pg-boss writes through our transaction), so there is never a
// job row without a queued job or the reverse. A second request while an export of the
// binding is QUEUED or RUNNING gets that export back: a partial unique index on ExportJob
// makes this hold across web processes, and the pg-boss singleton key keeps two workers
// from running one binding at once.

export interface EnqueueExportOptions {
  /**
   * Ask about every market, not only those the balances and transfers point to (adapters that
   * discover markets). The default: a discovery export lists the markets it skipped as gaps,
   * and a backup with gaps does not pass the unbind wizard's gate unaccepted.
   */
  fullScan?: boolean;
  meta?: RequestMeta;
  /** Override the pg-boss retry policy of this job (tests). */
  retry?: { retryLimit: number; retryDelay: number; retryBackoff: boolean };
}

export interface EnqueueExportResult {
  job: ExportJobView;
  /** False when an export of the binding was already queued or running: that one is returned. */
  created: boolean;
}

export async function enqueueExport(client: Db, userId: string, bindingId: string, options: EnqueueExportOptions = {}): Promise<EnqueueExportResult> {
  const binding = await client.exchangeBinding.findFirst({ where: { id: bindingId, userId }, select: { id: true, status: true, exchange: true } });
  if (!binding || binding.status === "UNBOUND") throw new AppError("NOT_FOUND", "No such key.");
  if (binding.status === "REVOKED") {
    throw new AppError("CONFLICT", "This key no longer exists on the exchange, so its trades cannot be exported any more. Trades exported earlier are still in your backups.");
  }

  const existing = await activeExportJob(client, userId, bindingId);
  if (existing) return { job: existing, created: false };
  const fullScan = options.fullScan ?? true;

  const boss = await getBoss();
  const meta = options.meta ?? noRequestMeta;
  let jobId: string;
  try {
    jobId = await client.$transaction(async (tx) => {
      const queueJobId = randomUUID();
      const job = await tx.exportJob.create({
        data: { userId, bindingId, fullScan, queueJobId },
        select: { id: true },
      });
      const data: ExportJobData = { exportJobId: job.id };
      const sent = await boss.send(EXPORT_QUEUE, data, { id: queueJobId, singletonKey: bindingId, db: transactionDb(tx), ...(options.retry ?? {}) });
      if (sent === null) throw new Error("pg-boss refused the export job");
      await recordEvent(tx, {
        userId,
        type: "export.started",
        bindingId,
        data: { exportJobId: job.id, exchange: binding.exchange, fullScan },
        ip: meta.ip,
        userAgent: meta.userAgent,
      });
      return job.id;
    });
  } catch (error) {
    // Another request created the binding's export between our check and our insert (the
    // partial unique index refused ours): that one is the answer.
    const winner = await activeExportJob(client, userId, bindingId);
    if (winner) return { job: winner, created: false };
    throw error;
  }
  notifyLocalWorkers();
  return { job: await getExportJob(client, userId, jobId), created: true };
}

/** pg-boss's database hook, over a Prisma interactive transaction. */
export function transactionDb(tx: Tx): PgBoss.Db {
  return {
    async executeSql(text: string, values: unknown[] = []) {
      // pg would serialise objects as JSON and undefined as null; Prisma's raw queries do not.
      const params = values.map((value) =>
        value === undefined ? null : value !== null && typeof value === "object" && !(value instanceof Date) ? JSON.stringify(value) : value,
      );
      const rows = await tx.$queryRawUnsafe<unknown[]>(text, ...params);
      return { rows };
    },
  };
}
