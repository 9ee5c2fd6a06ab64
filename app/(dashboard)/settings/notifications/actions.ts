"use server";

import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import { requireUser } from "@/lib/auth/current-user";
import { requestMetaFrom } from "@/lib/auth/request-meta";
import { db } from "@/lib/db";
import { isAppError } from "@/lib/errors";
import { fieldErrors, type FormState } from "@/lib/http/form-state";
import { notifyParties } from "@/lib/notify/deliver-event";
import { createTarget, deleteTarget, setTargetEnabled } from "@/lib/notify/notification-targets";
import { notificationTargetSchema, targetIdSchema } from "@/lib/notify/schemas";

export interface AddTargetState extends FormState {
  /** Shown once, right after creation: it is never readable again. */
  signingSecret?: string;
  /** What was typed, given back with errors so the form keeps it. */
  values?: { name: string; url: string };
}

export async function addTargetAction(_previous: AddTargetState, formData: FormData): Promise<AddTargetState> {
  const user = await requireUser();
  const typed = { name: String(formData.get("name") ?? ""), url: String(formData.get("url") ?? "") };
  const parsed = notificationTargetSchema.safeParse(typed);
  if (!parsed.success) return { message: "Check the highlighted fields.", fieldErrors: fieldErrors(parsed.error), values: typed };
  let signingSecret: string;
  try {
    ({ signingSecret } = await createTarget(db(), user.id, parsed.data, requestMetaFrom(await headers())));
  } catch (error) {
    // A private or unresolvable address: said next to the field.
    if (isAppError(error) && error.code === "BAD_REQUEST") return { message: "Check the highlighted fields.", fieldErrors: { url: error.message }, values: typed };
    throw error;
  }
  revalidatePath("/settings/notifications");
  return { ok: true, message: "Webhook added.", signingSecret };
}

async function withTarget(formData: FormData, work: (userId: string, targetId: string) => Promise<void>): Promise<void> {
  const user = await requireUser();
  const id = targetIdSchema.safeParse(formData.get("targetId"));
  if (!id.success) return;
  try {
    await work(user.id, id.data);
  } catch (error) {
    // Another user's (or a removed) webhook: nothing to do, the page shows the user's own.
    if (!(isAppError(error) && error.code === "NOT_FOUND")) throw error;
  }
  revalidatePath("/settings/notifications");
}

export async function toggleTargetAction(formData: FormData): Promise<void> {
  await withTarget(formData, async (userId, targetId) =>
    setTargetEnabled(db(), userId, targetId, formData.get("enabled") === "true", requestMetaFrom(await headers())),
  );
}

export async function deleteTargetAction(formData: FormData): Promise<void> {
  await withTarget(formData, async (userId, targetId) => deleteTarget(db(), userId, targetId, requestMetaFrom(await headers())));
}

export async function sendTestEventAction(): Promise<void> {
  const user = await requireUser();
  await notifyParties(db(), user.id, { type: "notify.test", data: { message: "A test event from MyITS: your webhook receives and verifies our signature." } });
  revalidatePath("/settings/notifications");
}
