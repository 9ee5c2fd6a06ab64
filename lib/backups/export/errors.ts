import { isExchangeAdapterError } from "@/lib/exchanges/errors";
import { isAppError } from "@/lib/errors";
import { explainProblem } from "@/lib/keys/explain";

// What a failed export means for the job: try again later (the exchange was slow, down,
// rate-limiting, or sent garbage; our database blinked) or stop for good with a reason the
// user can act on (the key was deleted, restricted or refused; the key is no longer bound).

/** The run stopped because it was asked to (worker shutting down): not a failure. */
export class ExportInterruptedError extends Error {
  constructor(message = "the export was interrupted") {
    super(message);
    this.name = "ExportInterruptedError";
  }
}

export function isExportInterrupted(error: unknown): boolean {
  return error instanceof ExportInterruptedError || (error instanceof Error && error.name === "AbortError");
}

export interface ExportFailure {
  /** True when trying again later may succeed. */
  retryable: boolean;
  /** Why, in the user's words (stored on the ExportJob, shown by the UI). */
  message: string;
  /** Rate-limited: do not count the attempt against the retry budget. */
  rateLimited: boolean;
  retryAfterMs?: number;
}

export function classifyExportFailure(error: unknown): ExportFailure {
  if (isExchangeAdapterError(error)) {
    const { status, reason, code, retryAfterMs } = error.classified;
    const text = explainProblem(reason, code);
    // Unreachable (timeouts, 5xx, 429, malformed bodies) is transient, except our own
    // configuration. Revoked, ambiguous (-2015, bad signature) and "valid but refused"
    // (IP not allowed, permission denied) will not change by waiting.
    const retryable = status === "unreachable" && reason !== "configuration";
    return {
      retryable,
      rateLimited: reason === "rate_limited",
      message: retryable ? `The exchange could not be read: ${text}.` : `The export stopped: ${text}.`,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    };
  }
  if (isAppError(error)) {
    // NOT_FOUND: the binding was unbound (or never was this user's): nothing to export.
    return { retryable: false, rateLimited: false, message: `The export stopped: ${error.message}` };
  }
  // Anything else (a database connection lost, a bug): retry a bounded number of times.
  return { retryable: true, rateLimited: false, message: "The export hit an unexpected error; it will be retried." };
}
