import type { Metadata } from "next";
import Link from "next/link";
import { Card } from "@/components/ui/card";
import { listOpenAlerts } from "@/lib/alerts/list-alerts";
import { requirePageUser } from "@/lib/auth/current-user";
import { db } from "@/lib/db";
import { reviewKeys } from "@/lib/watch/review-keys";
import { checkNowAction, dismissAlertAction, reviewUnbindAction } from "./actions";

export const metadata: Metadata = { title: "Key review" };

// The regular review: open alerts first (each with what to do), then every bound key ranked by
// its risk score with the reasons, its history from the key watch's checks, "check now", and
// "start unbind" for the keys the review says to remove.

const day = (iso: string) => iso.slice(0, 16).replace("T", " ") + " UTC";
const sourceNames: Record<string, string> = { scheduled: "scheduled check", manual: "checked now", live: "dashboard check", bind: "bound" };

export default async function ReviewPage() {
  const user = await requirePageUser("/review");
  const [alerts, keys] = await Promise.all([listOpenAlerts(db(), user.id), reviewKeys(db(), user.id)]);
  return (
    <>
      <div>
        <h1 className="text-2xl font-semibold">Key review</h1>
        <p className="text-slate-700">Every bound key, riskiest first. MyITS re-checks each key with its exchange regularly and alerts you when something that matters changes.</p>
      </div>

      <section aria-labelledby="alerts-heading" className="space-y-3">
        <h2 id="alerts-heading" className="text-lg font-semibold">Alerts</h2>
        {alerts.length === 0 ? (
          <p className="text-slate-700" data-testid="no-alerts">No open alerts.</p>
        ) : (
          <ul className="space-y-3" data-testid="alerts">
            {alerts.map((alert) => (
              <li key={alert.id} className="rounded-md border border-amber-300 bg-amber-50 p-4" data-testid="alert" data-kind={alert.kind}>
                <div className="flex flex-wrap items-start justify-between gap-3">
                  <div className="space-y-1">
                    <p className="font-medium">{alert.title}</p>
                    <p className="text-sm text-slate-800">{alert.message}</p>
                    <p className="text-sm text-slate-800"><span className="font-medium">What to do:</span> {alert.advice}</p>
                    <p className="text-xs text-slate-600">{day(alert.createdAt)}</p>
                  </div>
                  <form action={dismissAlertAction}>
                    <input type="hidden" name="alertId" value={alert.id} />
                    <button type="submit" className="rounded-md border border-slate-300 bg-white px-3 py-1 text-sm font-medium hover:bg-slate-50">
                      Dismiss<span className="sr-only"> {alert.title}</span>
                    </button>
                  </form>
                </div>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="ranking-heading" className="space-y-3">
        <h2 id="ranking-heading" className="text-lg font-semibold">Your keys by risk</h2>
        {keys.length === 0 ? (
          <Card>
            <p className="text-slate-700" data-testid="review-empty">No keys are bound. <Link className="font-medium text-indigo-700 underline" href="/keys/new">Bind a key</Link>.</p>
          </Card>
        ) : (
          <ol className="space-y-4" data-testid="review-ranking">
            {keys.map(({ key, score, reasons, remove, timeline }, index) => (
              <li key={key.id} className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm" data-testid="review-key" data-key-id={key.id} data-score={score} aria-labelledby={`review-${key.id}`}>
                <div className="flex flex-wrap items-start justify-between gap-3">
                  <div>
                    <h3 id={`review-${key.id}`} className="text-base font-semibold">
                      <span className="text-slate-500">#{index + 1}</span> {key.label}
                    </h3>
                    <p className="text-sm text-slate-600">{key.exchangeName} · <span className="font-mono">{key.maskedKey}</span></p>
                  </div>
                  <div className="flex flex-wrap items-center gap-2">
                    <span className={`rounded-full px-2.5 py-0.5 text-xs font-semibold ${score >= 60 ? "bg-red-100 text-red-800" : score >= 25 ? "bg-amber-100 text-amber-900" : "bg-emerald-100 text-emerald-800"}`} data-testid="risk-score">
                      Risk {score}
                    </span>
                    <form action={checkNowAction}>
                      <input type="hidden" name="bindingId" value={key.id} />
                      <button type="submit" className="rounded-md border border-slate-300 px-3 py-1 text-sm font-medium hover:bg-slate-50">
                        Check now<span className="sr-only"> {key.label}</span>
                      </button>
                    </form>
                    {remove ? (
                      <form action={reviewUnbindAction}>
                        <input type="hidden" name="bindingId" value={key.id} />
                        <button type="submit" className="rounded-md bg-red-600 px-3 py-1 text-sm font-medium text-white hover:bg-red-700" data-testid="start-unbind">
                          Start unbind<span className="sr-only"> {key.label}</span>
                        </button>
                      </form>
                    ) : null}
                  </div>
                </div>
                {remove ? <p className="mt-2 text-sm font-medium text-red-800" data-testid="remove-advice">The review says: remove this key.</p> : null}
                {reasons.length ? (
                  <ul className="mt-3 space-y-1 text-sm" aria-label={`Why ${key.label} scores ${score}`} data-testid="risk-reasons">
                    {reasons.map((reason, i) => (
                      <li key={i} data-reason={reason.code} className="text-slate-800">
                        <span className="font-mono text-xs text-slate-500">+{reason.points}</span> {reason.message}
                      </li>
                    ))}
                  </ul>
                ) : <p className="mt-3 text-sm text-slate-600">Nothing to worry about.</p>}
                <details className="mt-3" open={index === 0}>
                  <summary className="cursor-pointer text-sm font-medium text-indigo-700">History ({timeline.length} check{timeline.length === 1 ? "" : "s"})</summary>
                  {timeline.length === 0 ? (
                    <p className="mt-2 text-sm text-slate-600">Not checked yet.</p>
                  ) : (
                    <ol className="mt-2 space-y-2 border-l border-slate-200 pl-4 text-sm" data-testid="timeline">
                      {timeline.map((entry) => (
                        <li key={entry.id} data-testid="timeline-entry" data-status={entry.status}>
                          <p className="text-slate-600">{day(entry.at)} · {sourceNames[entry.source] ?? entry.source}</p>
                          <p className="text-slate-800">{entry.summary}</p>
                          {entry.changes.length ? (
                            <ul className="text-red-800" data-testid="timeline-changes">
                              {entry.changes.map((change) => <li key={change}>Changed: {change}</li>)}
                            </ul>
                          ) : null}
                        </li>
                      ))}
                    </ol>
                  )}
                </details>
              </li>
            ))}
          </ol>
        )}
      </section>
    </>
  );
}
