import type { ExportJobView } from "@/lib/backups/export/export-jobs";

// An export as JSON carries its dates as strings: the shape the progress panel gets both from
// the page (first render) and from GET /api/exports/[jobId] (polling).
export type ExportJobJson = { [K in keyof ExportJobView]: ExportJobView[K] extends Date ? string : ExportJobView[K] extends Date | null ? string | null : ExportJobView[K] };

export function exportJobJson(job: ExportJobView): ExportJobJson {
  return JSON.parse(JSON.stringify(job)) as ExportJobJson;
}

export const activeStatuses: ReadonlySet<string> = new Set(["QUEUED", "RUNNING"]);
