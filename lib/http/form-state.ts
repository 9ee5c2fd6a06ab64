import type { z } from "zod";
import { sameOriginPath } from "./same-origin";

// What a server action answers a form with: a message and per-field errors, never a raw error.
export interface FormState {
  ok?: boolean;
  message?: string;
  fieldErrors?: Record<string, string>;
}

/**
 * What a Field shows for `name`: its own error, or, when the form's message already says the
 * same thing (an AppError that names its field), only a pointer to that message, so each
 * message appears once on the page while the field is still marked invalid.
 */
export function fieldErrorOf(state: FormState, name: string, messageId: string): { error?: string; errorId?: string } {
  const error = state.fieldErrors?.[name];
  if (!error) return {};
  return error === state.message ? { errorId: messageId } : { error };
}

export function fieldErrors(error: z.ZodError): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.join(".") || "form";
    errors[key] ??= issue.message;
  }
  return errors;
}

// Any origin does: a path is same-origin against one exactly when it is against every other.
const PLACEHOLDER_ORIGIN = "http://myits.invalid";

/** Only same-origin paths: an open redirect after sign-in would be a phishing gift. */
export function safeReturnPath(value: unknown, fallback = "/keys"): string {
  if (typeof value !== "string" || !value.startsWith("/")) return fallback;
  return sameOriginPath(value, PLACEHOLDER_ORIGIN) ?? fallback;
}
