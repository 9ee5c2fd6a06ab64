import { ExportPanel } from "@/app/(dashboard)/backups/export-panel";
import type { ExportJobJson } from "@/app/(dashboard)/backups/export-json";
import { CoverageView } from "@/components/backups/coverage-view";
import type { CoverageReport } from "@/lib/backups/coverage/coverage-report";
import { Field } from "@/components/ui/field";
import { LocalTime } from "@/components/ui/local-time";
import type { WizardView } from "@/lib/unbind/wizard-view";
import { WizardForm } from "../wizard-form";

const number = new Intl.NumberFormat("en-US");

/** The earliest and latest record over every part of the coverage report. */
function coveredRange(report: CoverageReport | null): { from: string; to: string } | null {
  const parts = (report?.parts ?? []).filter((p) => p.rows > 0 && p.from && p.to);
  if (parts.length === 0) return null;
  return { from: parts.map((p) => p.from!).sort()[0]!, to: parts.map((p) => p.to!).sort().at(-1)! };
}

export function BackupStep({ view, latestExport }: { view: WizardView; latestExport: ExportJobJson | null }) {
  const holds = view.backup.holds;
  const range = coveredRange(view.backup.coverage);
  return (
    <div className="space-y-5">
      <p className="text-slate-700">
        Once the key is gone, MyITS can no longer read your trade history from {view.key.exchangeName}, and exchanges do not keep it for ever.
        Export the key&apos;s trades, then download the archive (a ZIP with a manifest of SHA-256 checksums you can verify and restore later).
      </p>
      <p className="text-sm text-slate-800" data-testid="backup-holds">
        A backup of this key holds <strong>{number.format(holds.trades)}</strong> trades, <strong>{number.format(holds.transfers)}</strong> deposits and withdrawals,{" "}
        <strong>{number.format(holds.conversions)}</strong> conversions and <strong>{number.format(holds.income)}</strong> income entries
        {range ? <>, from <LocalTime value={range.from} style="date" /> to <LocalTime value={range.to} style="date" /></> : null}.
        {view.backup.coverage ? ` ${view.backup.coverage.complete ? "Its coverage is complete as far as the exchange allows." : "Its coverage report below lists what it lacks."}` : ""}
      </p>
      <dl className="grid gap-2 text-sm sm:grid-cols-2">
        <div><dt className="text-slate-600">Last trade export</dt><dd data-testid="last-sync"><LocalTime value={view.backup.lastSyncedAt} /></dd></div>
        <div><dt className="text-slate-600">Last archive downloaded</dt><dd data-testid="last-download"><LocalTime value={view.backup.latestDownloadAt} /></dd></div>
      </dl>
      <div className="space-y-3 rounded-md border border-slate-200 p-4">
        <h3 className="font-medium">1. Export the trades</h3>
        <ExportPanel bindingId={view.key.id} fullScanOffered={view.backup.fullScanOffered} initialJob={latestExport} canExport={view.status === "ACTIVE"} />
        {view.backup.coverage ? <CoverageView report={view.backup.coverage} /> : null}
      </div>
      <div className="space-y-2 rounded-md border border-slate-200 p-4">
        <h3 className="font-medium">2. Download the archive</h3>
        <p className="text-sm text-slate-700">The download is recorded when its last byte has been sent; this page then shows the backup as done.</p>
        <a className="inline-flex rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium hover:bg-slate-50" href={`/api/keys/${view.key.id}/backup?format=zip`} download data-testid="wizard-download-zip">
          Download archive (.zip)
        </a>
      </div>
      {view.backup.latestDownloadAt && view.backup.complete === false && !view.backup.gapsAcceptedAt && view.status === "ACTIVE" ? (
        <div className="space-y-2 rounded-md border border-amber-300 bg-amber-50 p-4 text-sm" data-testid="backup-gaps">
          <h3 className="font-medium text-amber-900">3. The downloaded backup has gaps</h3>
          <ul className="list-disc pl-5 text-amber-900">{view.backup.gaps.map((gap, i) => <li key={i}>{gap}</li>)}</ul>
          <p className="text-slate-700">Back up again with a full scan and download it, or, if what is missing does not matter to you, accept these gaps (kept in the audit log).</p>
          <WizardForm sessionId={view.sessionId} type="accept_backup_gaps" label="I have read these gaps and accept them" variant="secondary" testId="accept-backup-gaps" />
        </div>
      ) : null}
      {!view.gates.backup.satisfied ? (
        <details className="rounded-md border border-slate-200 p-4">
          <summary className="cursor-pointer text-sm font-medium">I do not need a backup</summary>
          <div className="mt-3">
            <WizardForm sessionId={view.sessionId} type="decline_backup" label="Unbind without a backup" variant="secondary" testId="decline-backup">
              <Field label="Why not? (optional, kept in the audit log)" name="reason" maxLength={500} />
            </WizardForm>
          </div>
        </details>
      ) : null}
    </div>
  );
}
