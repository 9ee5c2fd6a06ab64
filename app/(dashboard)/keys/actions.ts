"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { db } from "@/lib/db";
import { userAction } from "@/lib/http/action";
import type { FormState } from "@/lib/http/form-state";
import { isAppError } from "@/lib/errors";
import { throttle } from "@/lib/http/throttle";
import { enqueueExport } from "@/lib/jobs/enqueue-export";
import { bindKey } from "@/lib/keys/bind-key";
import { getBinding, listBindings } from "@/lib/keys/list-keys";
import { forgetLiveFacts } from "@/lib/keys/live-facts";
import { bindingIdSchema, bindKeySchema } from "@/lib/keys/schemas";
import { carryBotsOver } from "@/lib/unbind/carry-bots";
import { sessionIdSchema } from "@/lib/unbind/schemas";

export const recheckAction = userAction(z.object({ bindingId: z.union([z.literal("all"), bindingIdSchema]) }), async ({ user, input, meta }) => {
  try {
    await throttle("recheck", meta.ip);
  } catch (error) {
    // Past the limit the page simply keeps showing the facts it has (cached, with their age).
    if (isAppError(error) && error.code === "RATE_LIMITED") return;
    throw error;
  }
  if (input.bindingId === "all") {
    for (const binding of await listBindings(db(), user.id)) forgetLiveFacts(user.id, binding.id);
  } else {
    // NOT_FOUND for an id that is not the user's, as everywhere else.
    await getBinding(db(), user.id, input.bindingId);
    forgetLiveFacts(user.id, input.bindingId);
  }
  revalidatePath("/keys");
});

export interface BindState extends FormState {
  values?: { exchange: string; label: string };
}

export const bindKeyAction = userAction(
  bindKeySchema,
  async ({ user, input, formData, meta }): Promise<BindState> => {
    await throttle("bind", meta.ip);
    const result = await bindKey(db(), user.id, input, meta);
    // Moving exchanges: the bots the unbind detached follow the user to the new key.
    const carryFrom = sessionIdSchema.safeParse(formData.get("carryFrom"));
    if (carryFrom.success) await carryBotsOver(db(), user.id, carryFrom.data, result.binding.id, meta);
    revalidatePath("/keys");
    redirect(`/keys?bound=${result.binding.id}${result.warnings.length ? "&warned=1" : ""}`);
  },
  { keep: (formData) => ({ values: { exchange: String(formData.get("exchange") ?? ""), label: String(formData.get("label") ?? "") } }) },
);

/** "Back up" on a key card: queue the export (or find the running one) and follow it on the backups page. */
export const startBackupAction = userAction(
  z.object({ bindingId: bindingIdSchema }),
  async ({ user, input, meta }) => {
    await enqueueExport(db(), user.id, input.bindingId, { meta });
    redirect(`/backups#key-${input.bindingId}`);
  },
  { invalid: () => redirect("/backups") },
);
