import { AppError } from "@/lib/errors";
import type { ClassifiedError } from "./types";

// The only error an adapter lets out: an exchange failure already classified, so a caller can
// decide (retry later, mark revoked, show a message) without knowing ccxt. It is an AppError,
// so a route handler that does not catch it still answers 502 with a readable message.
//
// The ccxt exception it was made from is not one of its properties (no `cause`): anything that
// serialises an error (pg-boss stores a failed job's error with its cause, console.error prints
// the cause chain) would write ccxt's text, signed URL included, to the database or the logs.
// Code that must look at the original (its ccxt class) asks exchangeCause().

const causes = new WeakMap<ExchangeAdapterError, unknown>();

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
    if (options?.cause !== undefined) causes.set(this, options.cause);
  }
}

/** The exception the adapter error was classified from (in memory only; never store or log it). */
export function exchangeCause(error: ExchangeAdapterError): unknown {
  return causes.get(error);
}

export function isExchangeAdapterError(error: unknown): error is ExchangeAdapterError {
  return error instanceof ExchangeAdapterError;
}
