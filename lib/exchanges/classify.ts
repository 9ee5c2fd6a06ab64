import "server-only";
import {
  AccountSuspended,
  AuthenticationError,
  BadResponse,
  DDoSProtection,
  ExchangeError,
  ExchangeNotAvailable,
  InvalidNonce,
  NetworkError,
  PermissionDenied,
  RateLimitExceeded,
  RequestTimeout,
} from "ccxt";
import { isExchangeAdapterError } from "./errors";
import type { ClassifiedError, ProblemReason, RevocationStatus } from "./types";

// Classification shared by the adapters. The exchange's own error code decides first: ccxt's
// exception class for the same answer changes with the URL (Binance -2008 is an
// AuthenticationError only against api.binance.com) and with the instance's history (-2015
// becomes DDoSProtection after one successful signed call; tests/unit/exchanges/classify.test.ts
// holds both cases). ccxt puts the response body at the end of every exception message, so the
// code can be read back from it.
//
// That text is read here and nowhere else: it holds the signed URL (timestamp and signature,
// replayable within recvWindow), the exchange's body, and on some exchanges the API key itself
// (keys sent as query parameters). The classification's `message` is therefore built from what
// was classified (ccxt's class, the HTTP status, the exchange's code), never copied from ccxt,
// so whatever stores or logs it (job output, ExportJob.error, audit data, logs) stores no secret.

export interface Verdict {
  status: RevocationStatus;
  reason: ProblemReason;
}

export interface ExchangeErrorTable {
  /** Exchange error code -> verdict. */
  codes: Record<string, Verdict>;
  /** For answers ccxt rethrows with the exchange's message only (Binance does for some). */
  messages: Array<[RegExp, Verdict & { code?: string }]>;
  /** Verdict for an AuthenticationError whose code is unknown. */
  unknownAuthentication: Verdict;
}

/** The JSON body ccxt appended to an exception message, if any. */
export function bodyFromMessage(message: string): Record<string, unknown> | null {
  for (let i = message.indexOf("{"); i >= 0; i = message.indexOf("{", i + 1)) {
    try {
      const parsed: unknown = JSON.parse(message.slice(i));
      if (parsed !== null && typeof parsed === "object" && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
    } catch {
      // not the start of the body; try the next brace
    }
  }
  return null;
}

/** The exchange's error code in a ccxt exception message: Binance `code`, OKX `code`/`sCode`, Bybit `retCode`. */
export function exchangeCodeFromMessage(message: string): string | undefined {
  const body = bodyFromMessage(message);
  if (body) {
    const okxData = Array.isArray(body.data) ? (body.data[0] as Record<string, unknown> | undefined) : undefined;
    const candidates = [body.code, body.retCode, body.ret_code, okxData?.sCode];
    for (const candidate of candidates) {
      if ((typeof candidate === "string" || typeof candidate === "number") && String(candidate) !== "" && String(candidate) !== "0") {
        // OKX batch answers carry "1" at the top and the real code per item
        if (String(candidate) === "1" && okxData?.sCode !== undefined) continue;
        return String(candidate);
      }
    }
  }
  // a body cut short: still try the obvious field
  const match = /"(?:code|retCode|ret_code)"\s*:\s*"?(-?\d+)"?/.exec(message);
  return match?.[1] !== undefined && match[1] !== "0" ? match[1] : undefined;
}

/** HTTP status ccxt wrote into its message ("binance 429 Too Many Requests ..."), if any. */
export function httpStatusFromMessage(message: string): number | undefined {
  const match = /(?:^|\s)([45]\d\d)\s+[A-Za-z]/.exec(message.replace(/\{[\s\S]*$/, ""));
  return match?.[1] !== undefined ? Number(match[1]) : undefined;
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === "string") return error;
  try {
    return JSON.stringify(error) ?? String(error);
  } catch {
    return String(error);
  }
}

/** What a failure was, in words that hold nothing the exchange or ccxt wrote. */
function summary(error: unknown, status: number | undefined, code: string | undefined, banned: boolean): string {
  const kind = error instanceof Error ? error.constructor.name : typeof error;
  const parts = [kind];
  if (status !== undefined) parts.push(`HTTP ${status}`);
  if (code !== undefined) parts.push(`exchange code ${code}`);
  // The pacers tell a ban (418: stop for long) from a 429 by this word.
  if (banned) parts.push("IP banned");
  return parts.join(", ");
}

/** Classifies any thrown value with one exchange's table. Pure. */
export function classifyWith(table: ExchangeErrorTable, error: unknown): ClassifiedError {
  if (isExchangeAdapterError(error)) return error.classified;
  const text = messageOf(error);
  const code = exchangeCodeFromMessage(text);
  const status = httpStatusFromMessage(text);
  const message = summary(error, status, code, status === 418 || /\bbanned\b/i.test(text));

  // ccxt refuses to sign without a credential it needs: our configuration, not the key's fate
  if (error instanceof AuthenticationError && /requires "\w+" credential/.test(text)) {
    return { status: "ambiguous", reason: "configuration", message };
  }

  const byCode = code !== undefined ? table.codes[code] : undefined;
  if (byCode) return { ...byCode, code, message };

  for (const [pattern, verdict] of table.messages) {
    if (pattern.test(text)) {
      const found = verdict.code ?? code;
      return { status: verdict.status, reason: verdict.reason, ...(found !== undefined ? { code: found } : {}), message };
    }
  }

  const withCode = code !== undefined ? { code } : {};
  if (error instanceof RateLimitExceeded || error instanceof DDoSProtection || status === 429 || status === 418) {
    return { status: "unreachable", reason: "rate_limited", ...withCode, message };
  }
  if (error instanceof RequestTimeout) return { status: "unreachable", reason: "timeout", message };
  if (error instanceof InvalidNonce) return { status: "unreachable", reason: "clock_skew", ...withCode, message };
  if (error instanceof ExchangeNotAvailable || (status !== undefined && status >= 500)) {
    return { status: "unreachable", reason: "exchange_unavailable", ...withCode, message };
  }
  if (error instanceof NetworkError) return { status: "unreachable", reason: "network", message };
  if (error instanceof BadResponse) return { status: "unreachable", reason: "malformed_response", message };
  // ccxt does not raise BadResponse for a truncated 200 body: parsing code then trips over
  // the string it got instead (TypeError) or a JSON parser does (SyntaxError).
  if (error instanceof TypeError || error instanceof SyntaxError) {
    return { status: "unreachable", reason: "malformed_response", message };
  }
  if (error instanceof AccountSuspended) return { status: "ambiguous", reason: "key_frozen", ...withCode, message };
  if (error instanceof PermissionDenied) return { status: "ambiguous", reason: "permission_denied", ...withCode, message };
  if (error instanceof AuthenticationError) return { ...table.unknownAuthentication, ...withCode, message };
  if (error instanceof ExchangeError) return { status: "ambiguous", reason: "unknown", ...withCode, message };
  return { status: "ambiguous", reason: "unknown", ...withCode, message };
}

const v = (status: RevocationStatus, reason: ProblemReason): Verdict => ({ status, reason });
export const verdict = v;
