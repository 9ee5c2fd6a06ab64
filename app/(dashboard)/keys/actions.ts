"use server";

import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { requireUser } from "@/lib/auth/current-user";
import { requestMetaFrom } from "@/lib/auth/request-meta";
import { db } from "@/lib/db";
import { isAppError } from "@/lib/errors";
import { fieldErrors, type FormState } from "@/lib/http/form-state";
import { throttle } from "@/lib/http/throttle";
import { enqueueExport } from "@/lib/jobs/enqueue-export";
import { bindKey } from "@/lib/keys/bind-key";
import { listBindings } from "@/lib/keys/list-keys";
import { forgetLiveFacts } from "@/lib/keys/live-facts";
import { bindingIdSchema, bindKeySchema } from "@/lib/keys/schemas";
import { carryBotsOver } from "@/lib/unbind/carry-bots";
import { sessionIdSchema } from "@/lib/unbind/schemas";

export async function recheckAction(formData: FormData): Promise<void> {
  const user = await requireUser();
  const id = formData.get("bindingId");
  try {
    await throttle("recheck", requestMetaFrom(await headers()).ip);
  } catch (error) {
    // Past the limit the page simply keeps showing the facts it has (cached, with their age).
    if (isAppError(error) && error.code === "RATE_LIMITED") return;
    throw error;
  }
  if (id === "all") {
    for (const binding of await listBindings(db(), user.id)) forgetLiveFacts(binding.id);
  } else {
    const parsed = bindingIdSchema.safeParse(id);
    if (!parsed.success) return;
    // Forgetting is harmless for an id that is not the user's: the next check is scoped anyway.
    forgetLiveFacts(parsed.data);
  }
  revalidatePath("/keys");
}

export interface BindState extends FormState {
  values?: { exchange: string; label: string };
}

export async function bindKeyAction(_previous: BindState, formData: FormData): Promise<BindState> {
  const user = await requireUser();
  const raw = {
    exchange: formData.get("exchange"),
    label: formData.get("label"),
    apiKey: formData.get("apiKey"),
    secret: formData.get("secret"),
    passphrase: formData.get("passphrase") ?? undefined,
  };
  const values = { exchange: String(raw.exchange ?? ""), label: String(raw.label ?? "") };
  const parsed = bindKeySchema.safeParse(raw);
  if (!parsed.success) return { message: "Check the highlighted fields.", fieldErrors: fieldErrors(parsed.error), values };
  let warnings: string[];
  let bindingId: string;
  const carryFrom = sessionIdSchema.safeParse(formData.get("carryFrom"));
  try {
    const meta = requestMetaFrom(await headers());
    await throttle("bind", meta.ip);
    const result = await bindKey(db(), user.id, parsed.data, meta);
    warnings = result.warnings;
    bindingId = result.binding.id;
    // Moving exchanges: the bots the unbind detached follow the user to the new key.
    if (carryFrom.success) await carryBotsOver(db(), user.id, carryFrom.data, bindingId, meta);
  } catch (error) {
    if (isAppError(error)) {
      const field = typeof error.details?.field === "string" ? error.details.field : undefined;
      return { message: error.message, fieldErrors: field ? { [field]: error.message } : undefined, values };
    }
    throw error;
  }
  revalidatePath("/keys");
  redirect(`/keys?bound=${bindingId}${warnings.length ? "&warned=1" : ""}`);
}

/** "Back up" on a key card: queue the export (or find the running one) and follow it on the backups page. */
export async function startBackupAction(formData: FormData): Promise<void> {
  const user = await requireUser();
  const parsed = bindingIdSchema.safeParse(formData.get("bindingId"));
  if (!parsed.success) redirect("/backups");
  await enqueueExport(db(), user.id, parsed.data, { meta: requestMetaFrom(await headers()) });
  redirect(`/backups#key-${parsed.data}`);
}
