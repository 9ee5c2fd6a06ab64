import "server-only";
import type { Prisma } from "@/generated/prisma/client";
import { recordEvent } from "@/lib/audit/record-event";
import type { Db, Tx } from "@/lib/db";
import { exchangeName } from "@/lib/keys/list-keys";
import { alertWording, type AlertKind } from "./alert-kinds";
import { deliverAlerts, type AlertDeliveryOptions } from "./deliver-alert";

// Raising an alert: one row per change (the unique dedupeKey of user + binding + kind +
// change: a second raise of the same change is a no-op), audited in the same transaction.
// Delivery (signed webhook, email) happens after the commit (deliver-alert.ts); an alert
// whose delivery a dying process cut off is picked up by the key watch's sweep.
//
// Other code raises alerts through raiseAlert(), e.g. the post-unbind watch:
//   await raiseAlert(db(), { userId, bindingId, kind: "still_answers_after_unbind", change: sessionId });

export interface RaiseAlertInput {
  userId: string;
  bindingId: string | null;
  kind: AlertKind;
  /** Names the change; the same change is alerted once. Default "once": one alert of this kind per key, ever. */
  change?: string;
  /** Defaults from alert-kinds.ts (message: the kind's title, naming the key; inside a transaction, the title). */
  title?: string;
  message?: string;
  advice?: string;
  data?: Prisma.InputJsonObject;
}

export interface RaisedAlert {
  id: string;
  created: boolean;
}

export function dedupeKeyOf(input: Pick<RaiseAlertInput, "userId" | "bindingId" | "kind" | "change">): string {
  return [input.userId, input.bindingId ?? "-", input.kind, input.change ?? "once"].join(":");
}

/** The kind's title, naming the key. Looked up before any transaction: the exchange's name may need ccxt's list. */
async function defaultMessage(client: Db, input: RaiseAlertInput): Promise<string> {
  const title = input.title ?? alertWording[input.kind].title;
  const key = input.bindingId ? await client.exchangeBinding.findFirst({ where: { id: input.bindingId, userId: input.userId }, select: { label: true, exchange: true } }) : null;
  return key ? `${title}: “${key.label}” (${exchangeName(key.exchange)}).` : title;
}

/** Inside the caller's transaction: the alert exists exactly when the change it reports was recorded. */
export async function raiseAlertIn(tx: Tx, input: RaiseAlertInput): Promise<RaisedAlert> {
  const dedupeKey = dedupeKeyOf(input);
  const wording = alertWording[input.kind];
  const message = input.message ?? input.title ?? wording.title;
  const inserted = await tx.alert.createMany({
    data: [{
      userId: input.userId,
      bindingId: input.bindingId,
      kind: input.kind,
      dedupeKey,
      title: input.title ?? wording.title,
      message,
      advice: input.advice ?? wording.advice,
      data: input.data ?? {},
    }],
    skipDuplicates: true,
  });
  const row = await tx.alert.findUniqueOrThrow({ where: { dedupeKey }, select: { id: true } });
  if (inserted.count === 1) {
    await recordEvent(tx, { userId: input.userId, type: "alert.raised", bindingId: input.bindingId, data: { alertId: row.id, kind: input.kind, title: input.title ?? wording.title } });
  }
  return { id: row.id, created: inserted.count === 1 };
}

/** Raises the alert in its own transaction and, when it is new, delivers it (webhook, email) before returning. */
export async function raiseAlert(client: Db, input: RaiseAlertInput, options: AlertDeliveryOptions = {}): Promise<RaisedAlert> {
  const message = input.message ?? (await defaultMessage(client, input));
  const raised = await client.$transaction((tx) => raiseAlertIn(tx, { ...input, message }));
  if (raised.created) await deliverAlerts(client, [raised.id], options);
  return raised;
}
