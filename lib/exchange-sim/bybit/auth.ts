// Bybit v5 request authentication: X-BAPI-* headers; hex HMAC-SHA256 of timestamp + apiKey +
// recvWindow + (query string for GET, JSON body for POST); timestamp within
// [server - recvWindow, server + 1000).

import type { SimRequest, SimResponse } from "../http";
import { ipAllowed, isExpired, type KeyRecord, type KeyStore } from "../keys";
import { bybitSignature, sameSignature } from "../signing";
import { bybitErrors } from "./errors";

const DEFAULT_RECV_WINDOW = 5000;

export type BybitAuth = { ok: true; record: KeyRecord } | { ok: false; response: SimResponse };

export function authenticateBybit(req: SimRequest, keys: KeyStore): BybitAuth {
  const fail = (response: SimResponse): BybitAuth => ({ ok: false, response });
  const h = req.headers;
  const apiKey = h["x-bapi-api-key"] ?? "";
  const found = apiKey === "" ? ({ state: "unknown" } as const) : keys.lookup("bybit", apiKey);
  if (found.state !== "active") return fail(bybitErrors.invalidKey(req.now));
  const record = found.record;
  if (isExpired(record.key, req.now)) return fail(bybitErrors.expired(req.now));

  const timestampRaw = h["x-bapi-timestamp"] ?? "";
  const recvRaw = h["x-bapi-recv-window"] ?? String(DEFAULT_RECV_WINDOW);
  const timestamp = /^\d{1,16}$/.test(timestampRaw) ? Number(timestampRaw) : Number.NaN;
  const recvWindow = /^\d{1,9}$/.test(recvRaw) ? Number(recvRaw) : DEFAULT_RECV_WINDOW;
  if (!(timestamp >= req.now - recvWindow && timestamp < req.now + 1000)) {
    return fail(bybitErrors.timestamp(Number.isNaN(timestamp) ? 0 : timestamp, req.now, recvWindow));
  }

  const payload = req.method === "GET" ? req.rawQuery : req.body;
  const expected = bybitSignature(record.key.secret, timestampRaw, apiKey, recvRaw, payload);
  if (!sameSignature(expected, (h["x-bapi-sign"] ?? "").toLowerCase())) {
    return fail(bybitErrors.sign(`${timestampRaw}${apiKey}${recvRaw}${payload}`, req.now));
  }
  if (!ipAllowed(record.key, req.ip)) return fail(bybitErrors.ip(req.now));
  return { ok: true, record };
}
