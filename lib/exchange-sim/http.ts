// The transport-neutral request and response the dialects work with: the server parses the raw
// HTTP request once (keeping the raw query string, which signatures are computed over) and
// writes whatever response a dialect returns.

import type { SimExchange } from "./types";

export interface SimRequest {
  method: string;
  /** Path without the query string, e.g. /api/v3/myTrades. */
  path: string;
  /** The query string exactly as sent, without the leading "?" ("" when absent). */
  rawQuery: string;
  query: URLSearchParams;
  /** Lower-cased header names. */
  headers: Record<string, string | undefined>;
  body: string;
  /** Client address, IPv4-mapped IPv6 reduced to IPv4 (::ffff:127.0.0.1 -> 127.0.0.1). */
  ip: string;
  /** Server clock at arrival, ms. */
  now: number;
}

export interface SimResponse {
  status: number;
  headers: Record<string, string>;
  /** Binary for downloads (the OKX fills archive). */
  body: string | Uint8Array;
}

export function json(status: number, value: unknown, headers: Record<string, string> = {}): SimResponse {
  return {
    status,
    headers: { "content-type": "application/json;charset=UTF-8", ...headers },
    body: JSON.stringify(value),
  };
}

export function html(status: number, body: string, headers: Record<string, string> = {}): SimResponse {
  return { status, headers: { "content-type": "text/html; charset=utf-8", ...headers }, body };
}

/** Which dialect a path belongs to. The three exchanges' path spaces do not overlap. */
export function exchangeOfPath(path: string): SimExchange | undefined {
  if (path.startsWith("/api/v5/") || path.startsWith("/okx-archive/")) return "okx";
  if (path.startsWith("/v5/")) return "bybit";
  if (path.startsWith("/api/v4/")) return "gate";
  if (path.startsWith("/binance-statements/")) return "binance";
  if (/^\/(api\/v[13]|sapi\/v[1-4]|fapi\/v[1-3]|dapi\/v[12]|eapi\/v1|papi\/v[12]|futures\/data)\//.test(path)) return "binance";
  return undefined;
}

/** A dialect's handler for one method + path. */
export type Handler = (req: SimRequest) => SimResponse | Promise<SimResponse>;

export type RouteTable = Record<string, Handler>;

export function routeKey(method: string, path: string): string {
  return `${method.toUpperCase()} ${path}`;
}
