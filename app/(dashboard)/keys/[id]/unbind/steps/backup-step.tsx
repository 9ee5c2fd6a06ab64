import { ExportPanel } from "@/app/(dashboard)/backups/export-panel";
import type { ExportJobJson } from "@/app/(dashboard)/backups/export-json";
import { Field } from "@/components/ui/field";
import type { WizardView } from "@/lib/unbind/wizard-view";
import { WizardForm } from "../wizard-form";

function utc(value: string | null, empty: string): string {
  return value ? `${value.slice(0, 16).replace("T", " ")} UTC` : empty;
}

export function BackupStep({ view, latestExport }: { view: WizardView; latestExport: ExportJobJson | null }) {
  return (
    <div className="space-y-5">
      <p className="text-slate-700">
        Once the key is gone, MyITS can no longer read your trade history from {view.key.exchangeName}, and exchanges do not keep it for ever.
        Export the key&apos;s trades, then download the archive (a ZIP with a manifest of SHA-256 checksums you can verify and restore later).
      </p>
      <dl className="grid gap-2 text-sm sm:grid-cols-2">
        <div><dt className="text-slate-600">Last trade export</dt><dd data-testid="last-sync">{utc(view.backup.lastSyncedAt, "never")}</dd></div>
        <div><dt className="text-slate-600">Last archive downloaded</dt><dd data-testid="last-download">{utc(view.backup.latestDownloadAt, "never")}</dd></div>
      </dl>
      <div className="space-y-3 rounded-md border border-slate-200 p-4">
        <h3 className="font-medium">1. Export the trades</h3>
        <ExportPanel bindingId={view.key.id} exchange={view.key.exchange} initialJob={latestExport} canExport={view.status === "ACTIVE"} />
      </div>
      <div className="space-y-2 rounded-md border border-slate-200 p-4">
        <h3 className="font-medium">2. Download the archive</h3>
        <p className="text-sm text-slate-700">The download is recorded when its last byte has been sent; this page then shows the backup as done.</p>
        <a className="inline-flex rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium hover:bg-slate-50" href={`/api/keys/${view.key.id}/backup?format=zip`} download data-testid="wizard-download-zip">
          Download archive (.zip)
        </a>
      </div>
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
