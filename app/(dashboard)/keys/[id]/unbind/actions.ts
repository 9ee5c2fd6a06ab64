"use server";

import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { requireUser } from "@/lib/auth/current-user";
import { requestMetaFrom } from "@/lib/auth/request-meta";
import { db } from "@/lib/db";
import { isAppError } from "@/lib/errors";
import { fieldErrors, type FormState } from "@/lib/http/form-state";
import { performUnbindAction } from "@/lib/unbind/perform-action";
import { sessionIdSchema, startUnbindSchema, unbindActionSchema } from "@/lib/unbind/schemas";
import { startUnbind } from "@/lib/unbind/unbind-session";

// The wizard's forms post here. Each form names its action in a hidden "type" field; the same
// zod union as the JSON route checks the shape, and performUnbindAction decides whether it is
// allowed, whatever the page showed.

export interface WizardFormState extends FormState {
  tone?: "success" | "info" | "warning";
}

export async function startUnbindAction(formData: FormData): Promise<void> {
  const user = await requireUser();
  const parsed = startUnbindSchema.safeParse({
    bindingId: formData.get("bindingId"),
    reason: formData.get("reason") ?? undefined,
    targetExchange: formData.get("targetExchange") ?? undefined,
  });
  if (!parsed.success) redirect("/keys");
  await startUnbind(db(), user.id, parsed.data, requestMetaFrom(await headers()));
  redirect(`/keys/${parsed.data.bindingId}/unbind`);
}

function actionInput(formData: FormData): unknown {
  const type = formData.get("type");
  const text = (name: string) => {
    const value = formData.get(name);
    return typeof value === "string" && value !== "" ? value : undefined;
  };
  switch (type) {
    case "goto":
      return { type, to: text("to") };
    case "decline_backup":
      return { type, reason: text("reason") };
    case "acknowledge_impact":
    case "stop_bots":
      return { type, botIds: formData.getAll("botIds") };
    case "acknowledge_security":
      return { type, items: formData.getAll("items") };
    case "retry_notification":
      return { type, deliveryId: text("deliveryId") };
    case "force_unbind":
      return { type, acknowledgement: text("acknowledgement") ?? "" };
    default:
      return { type };
  }
}

export async function wizardAction(_previous: WizardFormState, formData: FormData): Promise<WizardFormState> {
  const user = await requireUser();
  const sessionId = sessionIdSchema.safeParse(formData.get("sessionId"));
  const action = unbindActionSchema.safeParse(actionInput(formData));
  if (!sessionId.success) return { message: "This wizard session is not valid: reload the page." };
  if (!action.success) return { message: action.error.issues[0]?.message ?? "Check the form.", fieldErrors: fieldErrors(action.error) };
  try {
    const result = await performUnbindAction(db(), user.id, sessionId.data, action.data, {
      meta: requestMetaFrom(await headers()),
      authSessionId: user.sessionId,
    });
    revalidatePath("/keys", "layout");
    return { ok: true, message: result.message, tone: result.tone };
  } catch (error) {
    if (isAppError(error)) return { message: error.message };
    throw error;
  }
}
