import { AppError } from "@/lib/errors";
import type { ClassifiedError } from "./types";

// The only error an adapter lets out: an exchange failure already classified, so a caller can
// decide (retry later, mark revoked, show a message) without knowing ccxt. It is an AppError,
// so a route handler that does not catch it still answers 502 with a readable message.
export class ExchangeAdapterError extends AppError {
  readonly exchange: string;
  readonly classified: ClassifiedError;

  constructor(exchange: string, classified: ClassifiedError, options?: { cause?: unknown }) {
    super("EXCHANGE_UNAVAILABLE", `${exchange}: ${classified.message}`, {
      exchange,
      status: classified.status,
      reason: classified.reason,
      ...(classified.code !== undefined ? { code: classified.code } : {}),
    });
    this.name = "ExchangeAdapterError";
    this.exchange = exchange;
    this.classified = classified;
    if (options?.cause !== undefined) (this as { cause?: unknown }).cause = options.cause;
  }
}

export function isExchangeAdapterError(error: unknown): error is ExchangeAdapterError {
  return error instanceof ExchangeAdapterError;
}
