"use client";

import { useRouter } from "next/navigation";
import { useCallback, useEffect, useState } from "react";
import { Button } from "@/components/ui/button";
import { LocalTime } from "@/components/ui/local-time";
import { activeStatuses, type ExportJobJson } from "./export-json";
import { ExportProgress } from "./export-progress";

// Starts an export of one key and follows it live: polls GET /api/exports/[jobId] while it is
// queued or running, then refreshes the page so the trade count and downloads update.

const POLL_MS = 1000;

export function ExportPanel({
  bindingId,
  fullScanOffered,
  initialJob,
  canExport,
}: {
  bindingId: string;
  /** The exchange's adapter can ask only where the balances point, or every market. */
  fullScanOffered: boolean;
  initialJob: ExportJobJson | null;
  canExport: boolean;
}) {
  const router = useRouter();
  const [job, setJob] = useState(initialJob);
  const [problem, setProblem] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);
  const [fullScan, setFullScan] = useState(true);
  const active = job !== null && activeStatuses.has(job.status);

  useEffect(() => {
    if (!job || !activeStatuses.has(job.status)) return;
    let cancelled = false;
    const timer = setTimeout(async () => {
      try {
        const response = await fetch(`/api/exports/${job.id}`, { cache: "no-store" });
        const body = (await response.json()) as { export?: ExportJobJson; error?: { message: string } };
        if (cancelled) return;
        if (!response.ok || !body.export) throw new Error(body.error?.message ?? `The server answered ${response.status}.`);
        setProblem(null);
        setJob(body.export);
        if (!activeStatuses.has(body.export.status)) router.refresh();
      } catch (error) {
        // Keep polling: a dropped request is no reason to stop following the export.
        if (!cancelled) setProblem(error instanceof Error ? error.message : "Lost contact with the server; retrying.");
        if (!cancelled) setJob((current) => (current ? { ...current } : current));
      }
    }, POLL_MS);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [job, router]);

  const start = useCallback(async () => {
    setStarting(true);
    setProblem(null);
    try {
      const response = await fetch(`/api/keys/${bindingId}/exports`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(fullScanOffered ? { fullScan } : {}),
      });
      const body = (await response.json()) as { job?: ExportJobJson; error?: { message: string } };
      if (!response.ok || !body.job) throw new Error(body.error?.message ?? `The server answered ${response.status}.`);
      setJob(body.job);
    } catch (error) {
      setProblem(error instanceof Error ? error.message : "The export could not be started.");
    } finally {
      setStarting(false);
    }
  }, [bindingId, fullScanOffered, fullScan]);

  return (
    <div className="space-y-3" data-testid="export-panel" data-export-status={job?.status ?? "NONE"}>
      {job && active ? <ExportProgress job={job} /> : null}
      {job?.status === "SUCCEEDED" ? (
        <p className="text-sm text-emerald-800" role="status" data-testid="export-done">
          Export finished{job.finishedAt ? <> <LocalTime value={job.finishedAt} relative /></> : null}: {job.tradesFetched.toLocaleString("en-US")} new trades stored.
        </p>
      ) : null}
      {job?.status === "FAILED" ? (
        <div className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800" role="alert" data-testid="export-error">
          The export stopped: {job.error ?? "unknown reason"}. Trades stored before it stopped are kept; a retry continues from there.
        </div>
      ) : null}
      {problem ? <p className="text-sm text-red-700" role="alert">{problem}</p> : null}
      {canExport ? (
        <div className="flex flex-wrap items-center gap-3">
          <Button type="button" onClick={start} disabled={starting || active} data-testid="start-export">
            {active ? "Backing up…" : job?.status === "FAILED" ? "Retry" : starting ? "Starting…" : "Back up"}
          </Button>
          {fullScanOffered && !active ? (
            <label className="flex items-center gap-2 text-sm text-slate-700">
              <input type="checkbox" checked={fullScan} onChange={(event) => setFullScan(event.target.checked)} data-testid="full-scan" />
              Full scan: ask about every market (slower). Unticked, only the markets your balances and transfers point to are read, and the backup lists the others as not checked.
            </label>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
