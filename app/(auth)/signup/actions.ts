"use server";

import { signIn } from "@/auth";
import { signUpSchema } from "@/lib/auth/schemas";
import { signUp } from "@/lib/auth/sign-up";
import { db } from "@/lib/db";
import { guestAction } from "@/lib/http/action";
import type { FormState } from "@/lib/http/form-state";
import { throttle } from "@/lib/http/throttle";

// A taken email comes back from signUp as an AppError naming the email field.
export const signUpAction = guestAction(signUpSchema, async ({ input, formData, meta }): Promise<FormState> => {
  if (formData.get("confirm") !== input.password) {
    return { message: "Check the highlighted fields.", fieldErrors: { confirm: "The two passwords differ." } };
  }
  await throttle("signUp", meta.ip);
  await signUp(db(), input, meta);
  await signIn("credentials", { email: input.email, password: input.password, redirectTo: "/keys" });
  return { ok: true };
});
