"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { db } from "@/lib/db";
import { isAppError } from "@/lib/errors";
import { userAction } from "@/lib/http/action";
import type { FormState } from "@/lib/http/form-state";
import { notifyParties } from "@/lib/notify/deliver-event";
import { createTarget, deleteTarget, setTargetEnabled } from "@/lib/notify/notification-targets";
import { notificationTargetSchema, targetIdSchema } from "@/lib/notify/schemas";

export interface AddTargetState extends FormState {
  /** Shown once, right after creation: it is never readable again. */
  signingSecret?: string;
  /** What was typed, given back with errors so the form keeps it. */
  values?: { name: string; url: string };
}

const typed = (formData: FormData) => ({ name: String(formData.get("name") ?? ""), url: String(formData.get("url") ?? "") });

export const addTargetAction = userAction(
  notificationTargetSchema,
  async ({ user, input, formData, meta }): Promise<AddTargetState> => {
    let signingSecret: string;
    try {
      ({ signingSecret } = await createTarget(db(), user.id, input, meta));
    } catch (error) {
      // A private or unresolvable address: said next to the field.
      if (isAppError(error) && error.code === "BAD_REQUEST") return { message: "Check the highlighted fields.", fieldErrors: { url: error.message }, values: typed(formData) };
      throw error;
    }
    revalidatePath("/settings/notifications");
    return { ok: true, message: "Webhook added.", signingSecret };
  },
  { read: typed, keep: (formData) => ({ values: typed(formData) }) },
);

// Another user's (or a removed) webhook answers NOT_FOUND, which the wrapper turns into a state
// these plain forms drop: nothing to do, the page shows the user's own.
export const toggleTargetAction = userAction(z.object({ targetId: targetIdSchema, enabled: z.string().optional() }), async ({ user, input, meta }) => {
  await setTargetEnabled(db(), user.id, input.targetId, input.enabled === "true", meta);
  revalidatePath("/settings/notifications");
});

export const deleteTargetAction = userAction(z.object({ targetId: targetIdSchema }), async ({ user, input, meta }) => {
  await deleteTarget(db(), user.id, input.targetId, meta);
  revalidatePath("/settings/notifications");
});

export const sendTestEventAction = userAction(z.object({}), async ({ user }) => {
  await notifyParties(db(), user.id, { type: "notify.test", data: { message: "A test event from MyITS: your webhook receives and verifies our signature." } });
  revalidatePath("/settings/notifications");
});
