"use server";

import { revalidatePath } from "next/cache";
import { reauthenticate } from "@/lib/auth/reauthenticate";
import { reauthSchema } from "@/lib/auth/schemas";
import { db } from "@/lib/db";
import { userAction } from "@/lib/http/action";
import { fieldErrors, type FormState } from "@/lib/http/form-state";
import { throttle } from "@/lib/http/throttle";

// Re-authentication for destructive steps, shared by every page that has one. The confirmation
// belongs to this browser's session only (lib/auth/reauth-window.ts).

export interface ReauthState extends FormState {
  needsCode?: boolean;
  until?: string;
}

const messages = {
  invalid_password: "That password is not right.",
  totp_required: "Enter the code from your authenticator app too.",
  totp_invalid: "That authenticator code is not valid.",
} as const;

export const reauthAction = userAction(
  reauthSchema,
  async ({ user, input, meta }): Promise<ReauthState> => {
    await throttle("reauth", meta.ip);
    const result = await reauthenticate(db(), user.id, user.sessionId, input, meta);
    if (result.ok) {
      revalidatePath("/", "layout");
      return { ok: true, until: result.until.toISOString(), message: "Confirmed. You can continue for the next 5 minutes." };
    }
    if (result.reason === "locked_out") {
      const seconds = Math.max(1, Math.ceil((result.until.getTime() - Date.now()) / 1000));
      const wait = seconds < 120 ? `${seconds} seconds` : `${Math.ceil(seconds / 60)} minutes`;
      return { message: `Too many failed attempts: try again in ${wait}.`, needsCode: user.totpEnabled };
    }
    return { message: messages[result.reason], needsCode: user.totpEnabled };
  },
  { invalid: (error, _form, user) => ({ message: "Check the highlighted fields.", fieldErrors: fieldErrors(error), needsCode: user?.totpEnabled }) },
);
