"use server";

import { headers } from "next/headers";
import { revalidatePath } from "next/cache";
import { changePassword } from "@/lib/auth/change-password";
import { requireUser } from "@/lib/auth/current-user";
import { requestMetaFrom } from "@/lib/auth/request-meta";
import { changePasswordSchema } from "@/lib/auth/schemas";
import { signOutEverywhere } from "@/lib/auth/sign-out-everywhere";
import { confirmTotpEnrolment, disableTotp, startTotpEnrolment } from "@/lib/auth/totp-enrolment";
import { db } from "@/lib/db";
import { isAppError } from "@/lib/errors";
import { fieldErrors, type FormState } from "@/lib/http/form-state";
import { throttle } from "@/lib/http/throttle";

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

// This browser stays signed in; every other one is sent to the sign-in page on its next request.
export async function signOutEverywhereAction(): Promise<FormState> {
  const user = await requireUser();
  await signOutEverywhere(db(), user.id, user.sessionId, requestMetaFrom(await headers()));
  revalidatePath("/settings/security");
  return { ok: true, message: "Every other browser and device is signed out. This one stays signed in." };
}

export async function changePasswordAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const user = await requireUser();
  const parsed = changePasswordSchema.safeParse({
    currentPassword: formData.get("currentPassword"),
    code: formData.get("code") ?? undefined,
    newPassword: formData.get("newPassword"),
    confirm: formData.get("confirm"),
  });
  if (!parsed.success) return { message: "Check the highlighted fields.", fieldErrors: fieldErrors(parsed.error) };
  try {
    const meta = requestMetaFrom(await headers());
    // The current password is a guess like a sign-in's: the same per-IP allowance as re-auth.
    await throttle("reauth", meta.ip);
    await changePassword(db(), user.id, user.sessionId, parsed.data, meta);
  } catch (error) {
    if (isAppError(error)) {
      const field = typeof error.details?.field === "string" ? error.details.field : undefined;
      return { message: error.message, fieldErrors: field ? { [field]: error.message } : undefined };
    }
    throw error;
  }
  revalidatePath("/settings/security");
  return { ok: true, message: "Password changed. Every other browser and device is signed out." };
}
