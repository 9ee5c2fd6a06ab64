"use server";

import { AuthError, CredentialsSignin } from "next-auth";
import { signIn } from "@/auth";
import { signInSchema } from "@/lib/auth/schemas";
import { signInBusy } from "@/lib/auth/sign-in-attempts";
import { guestAction } from "@/lib/http/action";
import { safeReturnPath, type FormState } from "@/lib/http/form-state";

export interface SignInState extends FormState {
  needsCode?: boolean;
  /** "info" only for the question that asks for the code; everything else is an error. */
  tone?: "info" | "error";
}

const refusals: Record<string, SignInState> = {
  invalid_credentials: { message: "Wrong email or password." },
  totp_required: { needsCode: true, tone: "info", message: "Enter the 6-digit code from your authenticator app (or a recovery code)." },
  totp_invalid: { needsCode: true, message: "That code is not valid. Enter the current code from your authenticator app." },
  rate_limited: { message: "Too many sign-in attempts from your address. Wait a minute, then try again." },
  busy: { message: "The server is busy. Try again in a few seconds." },
  locked_out: { message: "Too many failed sign-in attempts from here. Wait a little, then try again: the wait grows with each failure, up to 15 minutes." },
};

export const signInAction = guestAction(signInSchema, async ({ input, formData }): Promise<SignInState> => {
  // At the bound of attempts or password checks, refused before Auth.js or the database is involved.
  if (signInBusy()) return refusals.busy!;
  try {
    await signIn("credentials", {
      email: input.email,
      password: input.password,
      code: input.code ?? "",
      redirectTo: safeReturnPath(formData.get("callbackUrl")),
    });
    return { ok: true };
  } catch (error) {
    if (error instanceof CredentialsSignin) return (Object.hasOwn(refusals, error.code) ? refusals[error.code] : undefined) ?? refusals.invalid_credentials!;
    if (error instanceof AuthError) return { message: "Sign-in failed. Please try again." };
    throw error; // Next's redirect after success travels as an exception
  }
});
