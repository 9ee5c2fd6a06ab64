"use server";

import { revalidatePath } from "next/cache";
import { reauthenticate } from "@/lib/auth/reauthenticate";
import { reauthSchema } from "@/lib/auth/schemas";
import { db } from "@/lib/db";
import { userAction } from "@/lib/http/action";
import { fieldErrors, type FormState } from "@/lib/http/form-state";

// Re-authentication for destructive steps, shared by every page that has one.

export interface ReauthState extends FormState {
  needsCode?: boolean;
  until?: string;
}

const messages = {
  invalid_password: "That password is not right.",
  totp_required: "Enter the code from your authenticator app too.",
  totp_invalid: "That authenticator code is not valid.",
  locked_out: "Too many failed attempts: locked for 15 minutes.",
} as const;

export const reauthAction = userAction(
  reauthSchema,
  async ({ user, input, meta }): Promise<ReauthState> => {
    const result = await reauthenticate(db(), user.id, input, meta);
    if (result.ok) {
      revalidatePath("/", "layout");
      return { ok: true, until: result.until.toISOString(), message: "Confirmed. You can continue for the next 5 minutes." };
    }
    return { message: messages[result.reason], needsCode: user.totpEnabled };
  },
  { invalid: (error, _form, user) => ({ message: "Check the highlighted fields.", fieldErrors: fieldErrors(error), needsCode: user?.totpEnabled }) },
);
