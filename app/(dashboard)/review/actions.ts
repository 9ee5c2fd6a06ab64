"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { dismissAlert } from "@/lib/alerts/list-alerts";
import { db } from "@/lib/db";
import { isAppError } from "@/lib/errors";
import { userAction } from "@/lib/http/action";
import { throttle } from "@/lib/http/throttle";
import { checkKeyLive } from "@/lib/keys/live-facts";
import { bindingIdSchema } from "@/lib/keys/schemas";
import { startUnbind } from "@/lib/unbind/unbind-session";

// The review page's forms: check a key now (throttled like the keys page's re-check), dismiss an
// alert, and start the unbind wizard for a key the review says to remove.

const alertIdSchema = z.string().regex(/^[a-z0-9]{10,40}$/, "not an alert id");

export const checkNowAction = userAction(z.object({ bindingId: bindingIdSchema }), async ({ user, input, meta }) => {
  try {
    await throttle("recheck", meta.ip);
  } catch (error) {
    if (isAppError(error) && error.code === "RATE_LIMITED") return { message: error.message };
    throw error;
  }
  // the check is recorded as the key's history, and its alerts go out before the page reloads
  await checkKeyLive(db(), user.id, input.bindingId, { force: true, source: "manual", deliverAlerts: true });
  revalidatePath("/", "layout");
});

export const dismissAlertAction = userAction(z.object({ alertId: alertIdSchema }), async ({ user, input, meta }) => {
  await dismissAlert(db(), user.id, input.alertId, meta);
  revalidatePath("/", "layout");
});

export const reviewUnbindAction = userAction(
  z.object({ bindingId: bindingIdSchema }),
  async ({ user, input, meta }) => {
    try {
      await startUnbind(db(), user.id, { bindingId: input.bindingId, reason: "cleanup" }, meta);
    } catch (error) {
      // a wizard already open for the key: the wizard page shows it
      if (!(isAppError(error) && error.code === "CONFLICT")) throw error;
    }
    redirect(`/keys/${input.bindingId}/unbind`);
  },
  { invalid: () => redirect("/review") },
);
