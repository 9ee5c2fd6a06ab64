import type { Metadata } from "next";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { LocalTime } from "@/components/ui/local-time";
import { requirePageUser } from "@/lib/auth/current-user";
import { db } from "@/lib/db";
import { listDeliveries } from "@/lib/notify/deliver-event";
import { listTargets } from "@/lib/notify/notification-targets";
import { deleteTargetAction, sendTestEventAction, toggleTargetAction } from "./actions";
import { AddTargetForm } from "./add-target-form";

export const metadata: Metadata = { title: "Notifications" };

export default async function NotificationsPage() {
  const user = await requirePageUser("/settings/notifications");
  const [targets, deliveries] = await Promise.all([listTargets(db(), user.id), listDeliveries(db(), user.id)]);
  return (
    <>
      <div className="space-y-2">
        <h1 className="text-2xl font-semibold">Notifications</h1>
        <p className="max-w-3xl text-slate-700">
          Webhooks tell the people and tools that depend on a key (a team chat, bookkeeping, your monitoring) that you are about to unbind it. The
          unbind wizard sends them a signed JSON event and shows whether each one arrived.
        </p>
      </div>
      <Card title="Your webhooks">
        {targets.length === 0 ? (
          <p className="text-slate-700" data-testid="no-targets">No webhooks yet.</p>
        ) : (
          <ul className="divide-y divide-slate-100" data-testid="targets">
            {targets.map((target) => (
              <li key={target.id} className="flex flex-wrap items-center justify-between gap-3 py-3">
                <div>
                  <p className="font-medium">{target.name} {target.enabled ? null : <span className="text-sm font-normal text-slate-600">(off)</span>}</p>
                  <p className="break-all font-mono text-sm text-slate-600">{target.url}</p>
                </div>
                <div className="flex gap-2">
                  <form action={toggleTargetAction}>
                    <input type="hidden" name="targetId" value={target.id} />
                    <input type="hidden" name="enabled" value={String(!target.enabled)} />
                    <Button type="submit" variant="secondary">{target.enabled ? "Turn off" : "Turn on"}<span className="sr-only"> {target.name}</span></Button>
                  </form>
                  <form action={deleteTargetAction}>
                    <input type="hidden" name="targetId" value={target.id} />
                    <Button type="submit" variant="secondary">Remove<span className="sr-only"> {target.name}</span></Button>
                  </form>
                </div>
              </li>
            ))}
          </ul>
        )}
        {targets.some((t) => t.enabled) ? (
          <form action={sendTestEventAction} className="mt-4">
            <Button type="submit" variant="secondary">Send a test event</Button>
          </form>
        ) : null}
      </Card>
      <Card title="Add a webhook">
        <AddTargetForm />
      </Card>
      {deliveries.length ? (
        <Card title="Recent deliveries">
          <ul className="space-y-1 text-sm" data-testid="recent-deliveries">
            {deliveries.slice(0, 20).map((d) => (
              <li key={d.id} data-delivery-status={d.status}>
                <LocalTime value={d.createdAt} /> · {d.eventType} → {d.targetName}: {d.status.toLowerCase()} after {d.attempts} attempt(s)
                {d.lastStatusCode ? ` (HTTP ${d.lastStatusCode})` : d.lastError ? ` (${d.lastError})` : ""}
              </li>
            ))}
          </ul>
        </Card>
      ) : null}
    </>
  );
}
