import { z } from "zod";
import { ExchangeAdapterError } from "./errors";
import type { ExportCursor, HistoryPage } from "./types";

// Small helpers the adapters share for turning raw answers into the common shapes. No ccxt
// here: amounts stay the exchange's strings, never JavaScript numbers.

export const DECIMAL = /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/;

/** A decimal as the exchange wrote it. A JSON number would already have lost its exact text. */
export function decimalString() {
  return z.string().regex(DECIMAL);
}

export function isNonZero(value: string): boolean {
  return DECIMAL.test(value) && /[1-9]/.test(value.replace(/[eE].*$/, ""));
}

/** Milliseconds (number or digit string) or an ISO date; null for empty, zero or garbage. */
export function toDate(value: unknown): Date | null {
  if (value === undefined || value === null || value === "") return null;
  if (typeof value === "number" || (typeof value === "string" && /^\d+$/.test(value))) {
    const ms = Number(value);
    return ms > 0 ? new Date(ms) : null;
  }
  if (typeof value === "string") {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? null : new Date(ms);
  }
  return null;
}

export function emptyPage(nextCursor: ExportCursor): HistoryPage {
  return { market: null, trades: [], nextCursor, done: true, progress: null };
}

/** A cursor from another exchange or an older version: a bug in the caller, typed. */
export function badCursor(exchange: string): ExchangeAdapterError {
  return new ExchangeAdapterError(exchange, {
    status: "ambiguous",
    reason: "configuration",
    message: "the export cursor does not belong to this exchange's adapter",
  });
}

/** -x for a decimal string, keeping its digits as written ("-0.00100" -> "0.00100"). */
export function negateDecimal(value: string): string {
  if (value.startsWith("-")) return value.slice(1);
  if (value.startsWith("+")) return `-${value.slice(1)}`;
  return isNonZero(value) ? `-${value}` : value;
}

/** Compares two non-negative integer strings (OKX billId, Binance id) without floats. */
export function compareIntegerStrings(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** A float as a plain decimal string, without exponent (1e-7 -> "0.0000001"). Not exact: only for ccxt's parsed numbers. */
export function plainNumber(value: number): string {
  const text = String(value);
  const match = /^(-?)(\d+)(?:\.(\d+))?e([-+]\d+)$/i.exec(text);
  if (!match) return text;
  const [, sign = "", whole = "", fraction = "", exponentText = "0"] = match;
  const digits = whole + fraction;
  const point = whole.length + Number(exponentText);
  const plain =
    point <= 0
      ? `0.${"0".repeat(-point)}${digits}`
      : point >= digits.length
        ? digits + "0".repeat(point - digits.length)
        : `${digits.slice(0, point)}.${digits.slice(point)}`;
  return sign + plain.replace(/^0+(?=\d)/, "");
}
