import type { Metadata } from "next";
import Link from "next/link";
import { CoverageView } from "@/components/backups/coverage-view";
import { Card } from "@/components/ui/card";
import { LocalTime } from "@/components/ui/local-time";
import { requirePageUser } from "@/lib/auth/current-user";
import { backupsOverview, type BackupView } from "@/lib/backups/backups-overview";
import { db } from "@/lib/db";
import { exchangeName } from "@/lib/keys/list-keys";
import { exportJobJson } from "./export-json";
import { ExportPanel } from "./export-panel";
import { RestoreForm } from "./restore-form";
import { StatementOffers } from "./statement-offers";

export const metadata: Metadata = { title: "Backups" };

const number = new Intl.NumberFormat("en-US");

function size(bytes: number | null): string {
  if (bytes === null) return "";
  return bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function BackupRow({ backup }: { backup: BackupView }) {
  return (
    <li className="flex flex-wrap gap-x-3 text-sm text-slate-700" data-testid="backup-row">
      <span><LocalTime value={backup.downloadedAt ?? backup.createdAt} /></span>
      {backup.declinedAt ? (
        <span>Backup declined in the unbind wizard</span>
      ) : (
        <>
          <span>{backup.format}</span>
          <span>{number.format(backup.rowCount)} trades</span>
          <span>{backup.complete ? "complete" : backup.gapsAcceptedAt ? "gaps accepted" : "with gaps"}</span>
          <span>{size(backup.sizeBytes)}</span>
          {backup.sha256 ? <span className="font-mono text-xs text-slate-500" title="SHA-256 of the downloaded file">sha256 {backup.sha256.slice(0, 16)}…</span> : null}
        </>
      )}
    </li>
  );
}

export default async function BackupsPage() {
  const user = await requirePageUser("/backups");
  const keys = await backupsOverview(db(), user.id);

  return (
    <>
      <div className="space-y-2">
        <h1 className="text-2xl font-semibold">Trade-record backups</h1>
        <p className="max-w-3xl text-slate-700">
          “Back up” copies a key&apos;s trades from the exchange into MyITS (only new trades after the first time), then you download them as a
          ZIP archive that anyone can verify (manifest.json lists the SHA-256 of every file), or as a plain CSV for a spreadsheet. Take one before
          you unbind a key: the exchange may not keep your history for ever.
        </p>
      </div>
      {keys.length === 0 ? (
        <Card>
          <p className="text-slate-700" data-testid="backups-empty-state">
            No keys are bound yet, so there is nothing to back up. <Link className="font-medium text-indigo-700 underline" href="/keys/new">Bind a key</Link> first.
          </p>
        </Card>
      ) : (
        keys.map((key) => (
          <section key={key.bindingId} id={`key-${key.bindingId}`} aria-labelledby={`backup-${key.bindingId}`}
            className="space-y-4 rounded-lg border border-slate-200 bg-white p-5 shadow-sm" data-testid="backup-card" data-key-id={key.bindingId}>
            <div className="flex flex-wrap items-start justify-between gap-3">
              <div>
                <h2 id={`backup-${key.bindingId}`} className="text-base font-semibold">{key.label} <span className="font-normal text-slate-500">· {exchangeName(key.exchange)}</span></h2>
                <p className="font-mono text-sm text-slate-600">{key.maskedKey}</p>
              </div>
              <p className="text-sm text-slate-700" data-testid="trade-count">
                {number.format(key.trades)} trades stored, with {number.format(key.holds.transfers)} deposits and withdrawals, {number.format(key.holds.conversions)} conversions
                and {number.format(key.holds.income)} income entries · last synced <LocalTime value={key.lastSyncedAt} relative />
              </p>
            </div>
            <ExportPanel
              bindingId={key.bindingId}
              fullScanOffered={key.fullScanOffered}
              initialJob={key.latestExport ? exportJobJson(key.latestExport) : null}
              canExport={key.status !== "REVOKED"}
            />
            {key.coverage ? <CoverageView report={key.coverage} /> : null}
            <StatementOffers bindingId={key.bindingId} exchangeName={exchangeName(key.exchange)} statements={key.statements} />
            {key.status === "REVOKED" ? <p className="text-sm text-slate-600">This key no longer exists on the exchange; the trades exported before are still here.</p> : null}
            <div className="flex flex-wrap gap-3 text-sm">
              <a className="rounded-md border border-slate-300 px-3 py-1.5 font-medium hover:bg-slate-50" href={`/api/keys/${key.bindingId}/backup?format=zip`} download data-testid="download-zip">
                Download archive (.zip)
              </a>
              <a className="rounded-md border border-slate-300 px-3 py-1.5 font-medium hover:bg-slate-50" href={`/api/keys/${key.bindingId}/backup?format=csv`} download data-testid="download-csv">
                Download trades (.csv)
              </a>
              <span className="self-center text-slate-600">For a tax tool:</span>
              <a className="self-center font-medium text-indigo-700 underline" href={`/api/keys/${key.bindingId}/backup?format=koinly`} download data-testid="download-koinly">
                Koinly CSV
              </a>
              <a className="self-center font-medium text-indigo-700 underline" href={`/api/keys/${key.bindingId}/backup?format=cointracker`} download data-testid="download-cointracker">
                CoinTracker CSV
              </a>
            </div>
            {key.backups.length > 0 ? (
              <div>
                <h3 className="text-sm font-medium text-slate-500">Downloaded backups</h3>
                <ul className="mt-1 space-y-1">{key.backups.map((backup) => <BackupRow key={backup.id} backup={backup} />)}</ul>
              </div>
            ) : null}
          </section>
        ))
      )}
      {keys.length > 0 ? (
        <Card title="Restore a backup">
          <p className="mb-3 text-sm text-slate-700">
            The archive is checked against its manifest first (every file&apos;s SHA-256, the row counts); a tampered or truncated archive is refused
            and nothing is written. Trades already stored are kept as they are.
          </p>
          <RestoreForm keys={keys.map((key) => ({ id: key.bindingId, label: key.label, exchange: exchangeName(key.exchange) }))} />
        </Card>
      ) : null}
    </>
  );
}
