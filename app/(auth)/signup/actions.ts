"use server";

import { headers } from "next/headers";
import { signIn } from "@/auth";
import { requestMetaFrom } from "@/lib/auth/request-meta";
import { signUpSchema } from "@/lib/auth/schemas";
import { signUp } from "@/lib/auth/sign-up";
import { db } from "@/lib/db";
import { isAppError } from "@/lib/errors";
import { fieldErrors, type FormState } from "@/lib/http/form-state";
import { throttle } from "@/lib/http/throttle";

export async function signUpAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const parsed = signUpSchema.safeParse({
    name: formData.get("name") ?? undefined,
    email: formData.get("email"),
    password: formData.get("password"),
  });
  if (!parsed.success) return { message: "Check the highlighted fields.", fieldErrors: fieldErrors(parsed.error) };
  if (formData.get("confirm") !== parsed.data.password) {
    return { message: "Check the highlighted fields.", fieldErrors: { confirm: "The two passwords differ." } };
  }
  try {
    const meta = requestMetaFrom(await headers());
    await throttle("signUp", meta.ip);
    await signUp(db(), parsed.data, meta);
  } catch (error) {
    if (isAppError(error) && error.code === "CONFLICT") return { message: error.message, fieldErrors: { email: error.message } };
    if (isAppError(error)) return { message: error.message };
    throw error;
  }
  await signIn("credentials", { email: parsed.data.email, password: parsed.data.password, redirectTo: "/keys" });
  return { ok: true };
}
