"use server";

import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import { requireUser } from "@/lib/auth/current-user";
import { reauthenticate } from "@/lib/auth/reauthenticate";
import { requestMetaFrom } from "@/lib/auth/request-meta";
import { reauthSchema } from "@/lib/auth/schemas";
import { db } from "@/lib/db";
import { isAppError } from "@/lib/errors";
import { fieldErrors, type FormState } from "@/lib/http/form-state";
import { throttle } from "@/lib/http/throttle";

// Re-authentication for destructive steps, shared by every page that has one.

export interface ReauthState extends FormState {
  needsCode?: boolean;
  until?: string;
}

export async function reauthAction(_previous: ReauthState, formData: FormData): Promise<ReauthState> {
  const user = await requireUser();
  const parsed = reauthSchema.safeParse({ password: formData.get("password"), code: formData.get("code") ?? undefined });
  if (!parsed.success) return { message: "Check the highlighted fields.", fieldErrors: fieldErrors(parsed.error), needsCode: user.totpEnabled };
  const meta = requestMetaFrom(await headers());
  let result: Awaited<ReturnType<typeof reauthenticate>>;
  try {
    await throttle("reauth", meta.ip);
    result = await reauthenticate(db(), user.id, user.sessionId, parsed.data, meta);
  } catch (error) {
    if (isAppError(error)) return { message: error.message, needsCode: user.totpEnabled };
    throw error;
  }
  if (result.ok) {
    revalidatePath("/", "layout");
    return { ok: true, until: result.until.toISOString(), message: "Confirmed. You can continue for the next 5 minutes." };
  }
  const messages = {
    invalid_password: "That password is not right.",
    totp_required: "Enter the code from your authenticator app too.",
    totp_invalid: "That authenticator code is not valid.",
  } as const;
  if (result.reason === "locked_out") {
    const seconds = Math.max(1, Math.ceil((result.until.getTime() - Date.now()) / 1000));
    const wait = seconds < 120 ? `${seconds} seconds` : `${Math.ceil(seconds / 60)} minutes`;
    return { message: `Too many failed attempts: try again in ${wait}.`, needsCode: user.totpEnabled };
  }
  return { message: messages[result.reason], needsCode: user.totpEnabled };
}
