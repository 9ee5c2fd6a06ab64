"use client";

import { useEffect, useState } from "react";
import type { ExportJobJson } from "./export-json";

// The progress of one export: a bar (indeterminate until the first page tells how far along it
// is), markets done of total, trades so far, rate and time left (smoothed on the server:
// lib/backups/export/progress.ts). A queued job says "Waiting for a worker" only when no worker
// took it within a few seconds: the web process runs one, so most exports start at once.

const number = new Intl.NumberFormat("en-US");
const WORKER_GRACE_MS = 5_000;

function duration(seconds: number): string {
  if (seconds < 60) return `${Math.max(1, Math.round(seconds))} s`;
  const minutes = Math.round(seconds / 60);
  return minutes < 60 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** True once `job` has been queued for longer than the grace period, by the browser's clock. */
function useWaitingTooLong(job: ExportJobJson): boolean {
  const [late, setLate] = useState<string | null>(null);
  const queued = job.status === "QUEUED";
  useEffect(() => {
    if (!queued) return;
    // from the job's own creation, but never more than the grace period from now (clock skew)
    const wait = Math.min(WORKER_GRACE_MS, Math.max(0, WORKER_GRACE_MS - (Date.now() - Date.parse(job.createdAt))));
    const timer = setTimeout(() => setLate(job.id), wait);
    return () => clearTimeout(timer);
  }, [queued, job.id, job.createdAt]);
  return queued && late === job.id;
}

export function ExportProgress({ job }: { job: ExportJobJson }) {
  const waitingTooLong = useWaitingTooLong(job);
  const percent = job.progress === null ? null : Math.round(Math.min(1, Math.max(0, job.progress)) * 100);
  const facts = [
    // parts: markets per product, and the other histories (transfers, conversions, income)
    job.marketsTotal > 0 ? `Part ${number.format(job.marketsDone)} of ${number.format(job.marketsTotal)}` : null,
    `${number.format(job.tradesFetched)} trades so far`,
    job.tradesPerSecond !== null && job.tradesPerSecond > 0 ? `${number.format(Math.round(job.tradesPerSecond))} trades/s` : null,
    job.etaSeconds !== null && job.status === "RUNNING" ? `about ${duration(job.etaSeconds)} left` : null,
    job.currentMarket ? `now ${job.currentMarket}` : null,
  ].filter((fact): fact is string => fact !== null);
  return (
    <div className="space-y-1" data-testid="export-progress">
      <div
        role="progressbar"
        aria-label="Export progress"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent ?? undefined}
        aria-valuetext={percent === null ? "Starting" : `${percent}%`}
        className="h-3 w-full overflow-hidden rounded-full bg-slate-200"
      >
        <div
          className={`h-full rounded-full bg-indigo-600 transition-[width] duration-500 ${percent === null ? "w-1/4 animate-pulse" : ""}`}
          style={percent === null ? undefined : { width: `${percent}%` }}
        />
      </div>
      <p className="text-sm text-slate-700" data-testid="export-facts">
        {job.status === "QUEUED" ? (waitingTooLong ? "Waiting for a worker… " : "Starting… ") : ""}
        {facts.join(" · ")}
      </p>
    </div>
  );
}
