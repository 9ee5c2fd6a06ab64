// What a Binance endpoint is to the dialect: its request weight, the pool that weight counts
// in, who may call it, and the handler. Shared by the endpoint modules (spot, margin, futures,
// convert) so each stays one file with one job.

import type { SimRequest, SimResponse } from "../http";
import type { KeyRecord } from "../keys";
import type { RouteAccess } from "../dialect";
import { intParam, ParamError, windowTooLong } from "./errors";

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

export interface Route {
  /** Request weight as Binance documents it (a function when it depends on the parameters). */
  weight: number | ((req: SimRequest) => number);
  /** "uid": counted per account in the SAPI UID pool instead of the path's IP pool. */
  pool?: "uid";
  /** Who may call it, declared as every dialect declares it (../dialect.ts). */
  access: RouteAccess;
  run(req: SimRequest, key: KeyRecord | undefined): SimResponse;
}

export function need(key: KeyRecord | undefined): KeyRecord {
  if (!key) throw new Error("signed route without key");
  return key;
}

/** A window [start, end] from optional bounds: missing ones default around `now` or each other. */
export function timeWindow(q: URLSearchParams, now: number, maxMs: number): { start: number; end: number } {
  const start = intParam(q, "startTime");
  const end = intParam(q, "endTime");
  if (start !== undefined && end !== undefined) {
    if (end - start > maxMs) throw new ParamError(windowTooLong(maxMs / HOUR));
    return { start, end };
  }
  if (start !== undefined) return { start, end: start + maxMs };
  if (end !== undefined) return { start: end - maxMs, end };
  return { start: now - maxMs, end: now };
}
