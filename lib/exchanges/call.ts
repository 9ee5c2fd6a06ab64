import "server-only";
import type { Exchange } from "ccxt";
import { ExchangeAdapterError, isExchangeAdapterError } from "./errors";
import type { ClassifiedError, KeyDescription, PacedRequest, RequestPacer } from "./types";

// Every request an adapter makes goes through callExchange: the pacer sees it before and
// after (with the response headers, e.g. X-MBX-USED-WEIGHT-1M), and a failure leaves as an
// ExchangeAdapterError already classified, with Retry-After read from the response.

export const noPacing: RequestPacer = {
  async beforeRequest() {},
  afterResponse() {},
};

export function lowerCaseHeaders(headers: unknown): Record<string, string> {
  const result: Record<string, string> = {};
  if (headers === null || typeof headers !== "object") return result;
  for (const [name, value] of Object.entries(headers as Record<string, unknown>)) {
    if (value !== undefined && value !== null) result[name.toLowerCase()] = String(value);
  }
  return result;
}

/** Retry-After in milliseconds (seconds or an HTTP date), if present and sensible. */
export function retryAfterMs(headers: Record<string, string>, now: number = Date.now()): number | undefined {
  const value = headers["retry-after"]?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export interface CallOptions {
  exchange: Exchange;
  classify: (error: unknown) => ClassifiedError;
  pacer?: RequestPacer;
  request: Omit<PacedRequest, "exchange">;
}

export async function callExchange<T>({ exchange, classify, pacer = noPacing, request }: CallOptions, fn: () => Promise<T>): Promise<T> {
  const paced: PacedRequest = { exchange: exchange.id, ...request };
  await pacer.beforeRequest(paced);
  // ccxt keeps the previous response's headers when a request fails before any response
  exchange.last_response_headers = undefined;
  try {
    const result = await fn();
    pacer.afterResponse(paced, { headers: lowerCaseHeaders(exchange.last_response_headers) });
    return result;
  } catch (error) {
    const headers = lowerCaseHeaders(exchange.last_response_headers);
    let classified = classify(error);
    const retryAfter = retryAfterMs(headers);
    if (classified.status === "unreachable" && retryAfter !== undefined) classified = { ...classified, retryAfterMs: retryAfter };
    pacer.afterResponse(paced, { headers, error: classified });
    throw new ExchangeAdapterError(exchange.id, classified, { cause: error });
  }
}

/** Turns a shape problem in a 200 answer into the same typed error as any other failure. */
export function malformed(exchangeId: string, what: string): ExchangeAdapterError {
  return new ExchangeAdapterError(exchangeId, {
    status: "unreachable",
    reason: "malformed_response",
    message: `unexpected answer from ${what}`,
  });
}

/** describeKey's view of a classified failure. */
export function describeFailure(classified: ClassifiedError): KeyDescription {
  const code = classified.code !== undefined ? { code: classified.code } : {};
  switch (classified.status) {
    case "revoked":
      return { status: "revoked", reason: classified.reason, message: classified.message, ...code };
    case "unreachable":
      return {
        status: "unreachable",
        reason: classified.reason,
        message: classified.message,
        ...(classified.retryAfterMs !== undefined ? { retryAfterMs: classified.retryAfterMs } : {}),
      };
    case "ambiguous":
      return { status: "ambiguous", reason: classified.reason, message: classified.message, ...code };
    case "valid":
      // The error proves the key exists, but no description could be read.
      return { status: "ambiguous", reason: classified.reason, message: classified.message, keyExists: true, ...code };
  }
}

/** Runs a describeKey body; any failure becomes a description instead of an exception. */
export async function describeOrClassify(
  classify: (error: unknown) => ClassifiedError,
  body: () => Promise<KeyDescription>,
): Promise<KeyDescription> {
  try {
    return await body();
  } catch (error) {
    return describeFailure(isExchangeAdapterError(error) ? error.classified : classify(error));
  }
}
