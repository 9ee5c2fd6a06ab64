// One error type for everything a user may be told about. Route handlers and server actions
// map it to a status and a message in one place (toHttpError); anything else is a bug and
// reaches the user only as a generic message, never as a raw database or exchange error.

export const errorStatus = {
  BAD_REQUEST: 400,
  UNAUTHENTICATED: 401,
  REAUTH_REQUIRED: 403,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  /** An unbind precaution is not met yet (details.gate says which). */
  GATE_NOT_MET: 409,
  /** An upload over its limit, told as it streams in (a chunked body has no Content-Length). */
  PAYLOAD_TOO_LARGE: 413,
  /** A non-GET route handler accepts JSON (the restore upload: multipart) only. */
  UNSUPPORTED_MEDIA_TYPE: 415,
  LOCKED_OUT: 429,
  /** A per-client throttle refused the request (details.retryAfterSeconds says when to retry). */
  RATE_LIMITED: 429,
  /** The server is at its bound for this kind of work (e.g. password hashing): retry shortly. */
  BUSY: 503,
  EXCHANGE_UNAVAILABLE: 502,
  INTERNAL: 500,
} as const;

export type ErrorCode = keyof typeof errorStatus;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = "AppError";
    this.code = code;
    this.details = details;
  }

  get status(): number {
    return errorStatus[this.code];
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

export interface HttpError {
  status: number;
  body: { error: { code: ErrorCode; message: string; details?: Record<string, unknown> } };
}

export function toHttpError(error: unknown): HttpError {
  if (isAppError(error)) {
    return {
      status: error.status,
      body: { error: { code: error.code, message: error.message, details: error.details } },
    };
  }
  console.error("Unexpected error", loggableError(error));
  return {
    status: 500,
    body: { error: { code: "INTERNAL", message: "Something went wrong on our side. Please try again." } },
  };
}

/**
 * An unexpected error as the logs may keep it: its class, code and stack frames, without its
 * message. Unexpected means unclassified, and an unclassified exchange failure is a ccxt
 * exception whose message holds the signed request URL and the exchange's answer (and, on
 * exchanges that take the key as a query parameter, the key): logs are not a place for it.
 */
export function loggableError(error: unknown): string {
  if (!(error instanceof Error)) return `a thrown ${error === null ? "null" : typeof error}`;
  const code = (error as { code?: unknown }).code;
  const frames = (error.stack ?? "").split("\n").filter((line) => /^\s+at /.test(line));
  return [`${error.constructor.name}${typeof code === "string" || typeof code === "number" ? ` (${code})` : ""} [message withheld]`, ...frames].join("\n");
}
