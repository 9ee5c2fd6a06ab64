import "server-only";
import { recordEvent } from "@/lib/audit/record-event";
import type { Db } from "@/lib/db";
import { exchangeName } from "@/lib/keys/list-keys";
import { notifyParties, type DeliveryOptions } from "@/lib/notify/deliver-event";
import { sendMail } from "./mailer";

// Sending an alert: once as a signed webhook event ("key.alert", through lib/notify, to every
// enabled webhook of the user) and once by email. Each channel is marked done when it went
// out, so a retry never repeats one that did. A delivery holds the alert under a short lease
// (one UPDATE that only succeeds when nobody holds it), so the process that raised it and the
// key watch's sweep never both send it; a process that dies lets the lease run out and the
// sweep sends what is left. Bodies carry only what a third party may see (label, masked key).

export const ALERT_EVENT_TYPE = "key.alert";
export const MAX_DELIVERY_ATTEMPTS = 5;
const LEASE_MS = 60_000;

export interface AlertDeliveryOptions {
  webhook?: DeliveryOptions;
}

export async function deliverAlert(client: Db, alertId: string, options: AlertDeliveryOptions = {}): Promise<boolean> {
  const now = new Date();
  const claimed = await client.alert.updateMany({
    where: {
      id: alertId,
      OR: [{ webhookDoneAt: null }, { emailDoneAt: null }],
      AND: [{ OR: [{ deliveryLeaseUntil: null }, { deliveryLeaseUntil: { lt: now } }] }],
    },
    data: { deliveryLeaseUntil: new Date(now.getTime() + LEASE_MS), deliveryAttempts: { increment: 1 } },
  });
  if (claimed.count === 0) return false;
  const alert = await client.alert.findUniqueOrThrow({
    where: { id: alertId },
    include: { user: { select: { email: true } }, binding: { select: { exchange: true, label: true, apiKeyMasked: true } } },
  });
  try {
    const key = alert.binding ? { exchange: alert.binding.exchange, exchangeName: exchangeName(alert.binding.exchange), label: alert.binding.label, maskedKey: alert.binding.apiKeyMasked } : null;
    if (!alert.webhookDoneAt) {
      await notifyParties(
        client,
        alert.userId,
        { type: ALERT_EVENT_TYPE, data: { alertId: alert.id, kind: alert.kind, title: alert.title, message: alert.message, advice: alert.advice, key, raisedAt: alert.createdAt.toISOString() } },
        options.webhook,
      );
      await client.alert.update({ where: { id: alert.id }, data: { webhookDoneAt: new Date() } });
    }
    if (!alert.emailDoneAt) {
      try {
        const outcome = await sendMail({
          to: alert.user.email,
          subject: `[MyITS] ${alert.title}${key ? `: ${key.label}` : ""}`,
          text: [alert.message, "", `What to do: ${alert.advice}`, "", "See all your keys ranked by risk on the Review page of your MyITS dashboard."].join("\n"),
        });
        await client.$transaction(async (tx) => {
          await tx.alert.update({ where: { id: alert.id }, data: { emailDoneAt: new Date(), emailError: outcome.sent ? null : outcome.reason } });
          await recordEvent(tx, { userId: alert.userId, type: "alert.emailed", bindingId: alert.bindingId, data: { alertId: alert.id, sent: outcome.sent, ...(outcome.sent ? {} : { reason: outcome.reason }) } });
        });
      } catch (error) {
        // kept for the sweep's next attempt; never the SMTP server's full answer (it may echo addresses)
        const reason = error instanceof Error && "code" in error ? `SMTP error ${String((error as { code: unknown }).code)}` : "SMTP error";
        const gaveUp = alert.deliveryAttempts + 1 >= MAX_DELIVERY_ATTEMPTS;
        await client.alert.update({ where: { id: alert.id }, data: { emailError: reason, ...(gaveUp ? { emailDoneAt: new Date() } : {}) } });
      }
    }
  } finally {
    await client.alert.update({ where: { id: alert.id }, data: { deliveryLeaseUntil: null } });
  }
  return true;
}

export async function deliverAlerts(client: Db, alertIds: readonly string[], options: AlertDeliveryOptions = {}): Promise<void> {
  for (const id of alertIds) {
    try {
      await deliverAlert(client, id, options);
    } catch (error) {
      console.error("[alerts] delivery failed; the key watch will retry:", error instanceof Error ? error.name : "unknown");
    }
  }
}

/** The sweep: alerts with a channel not yet done, nobody delivering them, attempts left. */
export async function deliverPendingAlerts(client: Db, options: AlertDeliveryOptions & { limit?: number } = {}): Promise<number> {
  const now = new Date();
  const pending = await client.alert.findMany({
    where: {
      OR: [{ webhookDoneAt: null }, { emailDoneAt: null }],
      deliveryAttempts: { lt: MAX_DELIVERY_ATTEMPTS },
      AND: [{ OR: [{ deliveryLeaseUntil: null }, { deliveryLeaseUntil: { lt: now } }] }],
    },
    select: { id: true },
    orderBy: { createdAt: "asc" },
    take: options.limit ?? 50,
  });
  await deliverAlerts(client, pending.map((a) => a.id), options);
  return pending.length;
}
