import Link from "next/link";
import type { WizardView } from "@/lib/unbind/wizard-view";
import { WizardForm } from "../wizard-form";

const statusText = { PENDING: "sending", DELIVERED: "delivered", FAILED: "failed" } as const;

export function NotifyStep({ view }: { view: WizardView }) {
  const { enabledTargets, deliveries, noneNeeded } = view.notify;
  return (
    <div className="space-y-5">
      <p className="text-slate-700">
        Tell whoever depends on this key (a team, a bookkeeping tool, your own monitoring) before it goes. MyITS sends each of your webhooks a
        JSON event signed with HMAC-SHA256 (header MyITS-Signature) and retries failed deliveries with backoff.
      </p>
      <p className="text-sm text-slate-700" data-testid="targets">
        {enabledTargets ? `${enabledTargets} webhook(s) will be notified.` : "You have no webhooks."}{" "}
        <Link href="/settings/notifications" className="font-medium text-indigo-700 underline">Manage webhooks</Link>
      </p>
      {deliveries.length ? (
        <ul className="divide-y divide-slate-100 rounded-md border border-slate-200" aria-label="Deliveries" data-testid="deliveries">
          {deliveries.map((d) => (
            <li key={d.id} className="flex flex-wrap items-center justify-between gap-3 px-4 py-3 text-sm" data-delivery-status={d.status}>
              <span>
                <span className="font-medium">{d.targetName}</span> · {statusText[d.status as keyof typeof statusText] ?? d.status}
                {` after ${d.attempts} attempt(s)`}
                {d.lastStatusCode ? ` · HTTP ${d.lastStatusCode}` : ""}
                {d.lastError && d.status !== "DELIVERED" ? ` · ${d.lastError}` : ""}
              </span>
              {d.status === "FAILED" && view.status === "ACTIVE" ? (
                <WizardForm sessionId={view.sessionId} type="retry_notification" fields={{ deliveryId: d.id }} label="Retry" pendingLabel="Sending…" variant="secondary" />
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      {view.status === "ACTIVE" ? (
        <div className="flex flex-wrap gap-6">
          {enabledTargets ? (
            <WizardForm sessionId={view.sessionId} type="send_notifications" label={deliveries.length ? "Send again" : "Send notification"} pendingLabel="Sending…" testId="send-notifications" />
          ) : null}
          {!noneNeeded ? (
            <WizardForm sessionId={view.sessionId} type="no_notification_needed" label="Nobody needs to be told" variant="secondary" testId="no-notification" />
          ) : (
            <p className="text-sm text-slate-700">Recorded: nobody needs to be told.</p>
          )}
        </div>
      ) : null}
    </div>
  );
}
