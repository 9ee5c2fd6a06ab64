import "server-only";
import { latestExportJobs, type ExportJobView } from "@/lib/backups/export/export-jobs";
import type { Db } from "@/lib/db";

// What the backups page shows per key: trades stored so far, the newest export (its progress),
// and the backups downloaded, newest first. Scoped to one user.

export interface BackupView {
  id: string;
  format: "ZIP" | "CSV";
  rowCount: number;
  sizeBytes: number | null;
  sha256: string | null;
  createdAt: Date;
  downloadedAt: Date | null;
  declinedAt: Date | null;
}

export interface KeyBackupsView {
  bindingId: string;
  exchange: string;
  label: string;
  maskedKey: string;
  status: string;
  lastSyncedAt: Date | null;
  trades: number;
  latestExport: ExportJobView | null;
  backups: BackupView[];
}

const BACKUPS_SHOWN = 5;

export async function backupsOverview(client: Db, userId: string): Promise<KeyBackupsView[]> {
  const bindings = await client.exchangeBinding.findMany({
    where: { userId, status: { not: "UNBOUND" } },
    orderBy: [{ exchange: "asc" }, { createdAt: "asc" }],
    select: {
      id: true,
      exchange: true,
      label: true,
      apiKeyMasked: true,
      status: true,
      lastSyncedAt: true,
      backups: {
        orderBy: { createdAt: "desc" },
        take: BACKUPS_SHOWN,
        select: { id: true, format: true, rowCount: true, sizeBytes: true, sha256: true, createdAt: true, downloadedAt: true, declinedAt: true },
      },
    },
  });
  if (bindings.length === 0) return [];
  const counts = await client.tradeRecord.groupBy({ by: ["bindingId"], where: { bindingId: { in: bindings.map((b) => b.id) } }, _count: { _all: true } });
  const tradeCounts = new Map(counts.map((c) => [c.bindingId, c._count._all]));
  const jobs = await latestExportJobs(client, userId);
  return bindings.map((binding) => ({
    bindingId: binding.id,
    exchange: binding.exchange,
    label: binding.label,
    maskedKey: binding.apiKeyMasked,
    status: binding.status,
    lastSyncedAt: binding.lastSyncedAt,
    trades: tradeCounts.get(binding.id) ?? 0,
    latestExport: jobs.get(binding.id) ?? null,
    backups: binding.backups.map((backup) => ({ ...backup, sizeBytes: backup.sizeBytes === null ? null : Number(backup.sizeBytes) })),
  }));
}
