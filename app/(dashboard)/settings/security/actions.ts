"use server";

import { headers } from "next/headers";
import { revalidatePath } from "next/cache";
import { requireUser } from "@/lib/auth/current-user";
import { requestMetaFrom } from "@/lib/auth/request-meta";
import { confirmTotpEnrolment, disableTotp, startTotpEnrolment } from "@/lib/auth/totp-enrolment";
import { db } from "@/lib/db";
import { isAppError } from "@/lib/errors";
import type { FormState } from "@/lib/http/form-state";

export interface EnrolmentState extends FormState {
  pending?: { qrDataUrl: string; secret: string };
  recoveryCodes?: string[];
}

export async function startEnrolmentAction(): Promise<EnrolmentState> {
  const user = await requireUser();
  try {
    const { qrDataUrl, secret } = await startTotpEnrolment(db(), user.id, user.sessionId);
    return { pending: { qrDataUrl, secret } };
  } catch (error) {
    if (isAppError(error)) return { message: error.message };
    throw error;
  }
}

export async function confirmEnrolmentAction(previous: EnrolmentState, formData: FormData): Promise<EnrolmentState> {
  const user = await requireUser();
  const code = String(formData.get("code") ?? "").trim();
  if (!/^\d{6}$/.test(code)) return { ...previous, message: "Enter the 6-digit code your app shows.", fieldErrors: { code: "6 digits." } };
  try {
    // No revalidation here: the page would re-render as "on" and the codes, shown once, would vanish.
    const { recoveryCodes } = await confirmTotpEnrolment(db(), user.id, user.sessionId, code, requestMetaFrom(await headers()));
    return { ok: true, recoveryCodes };
  } catch (error) {
    if (isAppError(error)) return { ...previous, message: error.message, fieldErrors: { code: error.message } };
    throw error;
  }
}

export async function disableTotpAction(): Promise<FormState> {
  const user = await requireUser();
  try {
    await disableTotp(db(), user.id, user.sessionId, requestMetaFrom(await headers()));
  } catch (error) {
    if (isAppError(error)) return { message: error.message };
    throw error;
  }
  revalidatePath("/settings/security");
  return { ok: true, message: "Two-factor authentication is off." };
}
