"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { db } from "@/lib/db";
import { userAction } from "@/lib/http/action";
import type { FormState } from "@/lib/http/form-state";
import { performUnbindAction } from "@/lib/unbind/perform-action";
import { sessionIdSchema, startUnbindSchema, unbindActionSchema } from "@/lib/unbind/schemas";
import { startUnbind } from "@/lib/unbind/unbind-session";

// The wizard's forms post here. Each form names its action in a hidden "type" field; the same
// zod union as the JSON route checks the shape, and performUnbindAction decides whether it is
// allowed, whatever the page showed. A refusal (AppError) comes back as the form's message.

export interface WizardFormState extends FormState {
  tone?: "success" | "info" | "warning";
}

export const startUnbindAction = userAction(
  startUnbindSchema,
  async ({ user, input, meta }) => {
    await startUnbind(db(), user.id, input, meta);
    redirect(`/keys/${input.bindingId}/unbind`);
  },
  { invalid: () => redirect("/keys") },
);

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
    case "acknowledge_unprovable":
      return { type, acknowledgement: text("acknowledgement") ?? "" };
    default:
      return { type };
  }
}

const wizardInput = z.object({ sessionId: sessionIdSchema, action: unbindActionSchema });

export const wizardAction = userAction(
  wizardInput,
  async ({ user, input, meta }): Promise<WizardFormState> => {
    const result = await performUnbindAction(db(), user.id, input.sessionId, input.action, { meta, authSessionId: user.sessionId });
    revalidatePath("/keys", "layout");
    return { ok: true, message: result.message, tone: result.tone };
  },
  {
    read: (formData) => ({ sessionId: formData.get("sessionId"), action: actionInput(formData) }),
    invalid: (error) => {
      if (error.issues.some((issue) => issue.path[0] === "sessionId")) return { message: "This wizard session is not valid: reload the page." };
      const fieldErrors: Record<string, string> = {};
      for (const issue of error.issues) fieldErrors[issue.path.slice(1).join(".") || "form"] ??= issue.message;
      return { message: error.issues[0]?.message ?? "Check the form.", fieldErrors };
    },
  },
);
