import "server-only";
import { coverageReportSchema, type CoverageReport } from "@/lib/backups/coverage/coverage-report";
import { latestExportJobs, type ExportJobView } from "@/lib/backups/export/export-jobs";
import { keyStatements, type KeyStatements } from "@/lib/backups/statements/statements";
import { exportCapabilities } from "@/lib/exchanges/registry";
import type { Db } from "@/lib/db";
import { historyTotals, noHistory, type HistoryTotals } from "./history-totals";

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
  complete: boolean | null;
  gapsAcceptedAt: Date | null;
}

export interface KeyBackupsView {
  bindingId: string;
  exchange: string;
  label: string;
  maskedKey: string;
  status: string;
  lastSyncedAt: Date | null;
  trades: number;
  /** Every kind of record MyITS holds for the key: what a backup downloaded now contains. */
  holds: HistoryTotals;
  latestExport: ExportJobView | null;
  /** The coverage of the newest succeeded export: what a download now would hold. */
  coverage: CoverageReport | null;
  /** Whether the exchange's adapter offers a full scan of every market. */
  fullScanOffered: boolean;
  backups: BackupView[];
  /** The exchange's own history files: offered windows and those asked for. */
  statements: KeyStatements;
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
        select: { id: true, format: true, rowCount: true, sizeBytes: true, sha256: true, createdAt: true, downloadedAt: true, declinedAt: true, complete: true, gapsAcceptedAt: true },
      },
    },
  });
  if (bindings.length === 0) return [];
  const totals = await historyTotals(client, userId, bindings.map((b) => b.id));
  const jobs = await latestExportJobs(client, userId);
  const coverages = await latestCoverages(client, userId);
  const statements = await Promise.all(bindings.map((b) => keyStatements(client, userId, b.id, b.exchange, coverages.get(b.id) ?? null)));
  return bindings.map((binding, i) => ({
    bindingId: binding.id,
    exchange: binding.exchange,
    label: binding.label,
    maskedKey: binding.apiKeyMasked,
    status: binding.status,
    lastSyncedAt: binding.lastSyncedAt,
    trades: totals.get(binding.id)?.trades ?? 0,
    holds: totals.get(binding.id) ?? noHistory,
    latestExport: jobs.get(binding.id) ?? null,
    coverage: coverages.get(binding.id) ?? null,
    fullScanOffered: exportCapabilities(binding.exchange).fullScan,
    backups: binding.backups.map((backup) => ({ ...backup, sizeBytes: backup.sizeBytes === null ? null : Number(backup.sizeBytes) })),
    statements: statements[i]!,
  }));
}

/** The newest succeeded export's coverage report of each of the user's bindings. */
export async function latestCoverages(client: Db, userId: string, bindingId?: string): Promise<Map<string, CoverageReport>> {
  const jobs = await client.exportJob.findMany({
    where: { userId, status: "SUCCEEDED", ...(bindingId ? { bindingId } : {}) },
    orderBy: [{ bindingId: "asc" }, { finishedAt: "desc" }],
    distinct: ["bindingId"],
    select: { bindingId: true, coverage: true },
  });
  const reports = new Map<string, CoverageReport>();
  for (const job of jobs) {
    const parsed = coverageReportSchema.safeParse(job.coverage);
    if (parsed.success) reports.set(job.bindingId, parsed.data);
  }
  return reports;
}
