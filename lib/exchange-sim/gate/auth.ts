// Gate APIv4 request authentication: KEY, Timestamp (seconds, within 60 s of the server's
// clock) and SIGN = hex HMAC-SHA512 of METHOD \n /api/v4/path \n query \n hex SHA-512 of the
// body \n Timestamp. Errors are `{label, message}`: 401 for the credentials and the IP
// whitelist (IP_FORBIDDEN), 403 for a missing permission (FORBIDDEN) or a locked key.
// https://www.gate.com/docs/developers/apiv4/#authentication

import { createHash, createHmac } from "node:crypto";
import { json, type SimRequest, type SimResponse } from "../http";
import { ipAllowed, isExpired, type KeyRecord, type KeyStore } from "../keys";
import { sameSignature } from "../signing";

const WINDOW_S = 60;

export function gateError(status: number, label: string, message: string, headers: Record<string, string> = {}): SimResponse {
  return json(status, { label, message }, headers);
}

export function gateSignature(secret: string, method: string, path: string, query: string, body: string, timestamp: string): string {
  const bodyHash = createHash("sha512").update(body).digest("hex");
  return createHmac("sha512", secret).update([method.toUpperCase(), path, query, bodyHash, timestamp].join("\n")).digest("hex");
}

export type GateAuth = { ok: true; record: KeyRecord } | { ok: false; response: SimResponse };

export function authenticateGate(req: SimRequest, keys: KeyStore): GateAuth {
  const fail = (response: SimResponse): GateAuth => ({ ok: false, response });
  const apiKey = req.headers["key"];
  const sign = req.headers["sign"];
  const timestamp = req.headers["timestamp"];
  if (!apiKey || !sign || !timestamp) return fail(gateError(401, "MISSING_REQUIRED_HEADER", "Missing required header: KEY, SIGN or Timestamp"));
  if (!/^\d{10}(\.\d+)?$/.test(timestamp) || Math.abs(req.now / 1000 - Number(timestamp)) > WINDOW_S) {
    return fail(gateError(401, "REQUEST_EXPIRED", `gap between request Timestamp and server time exceeds ${WINDOW_S}`));
  }
  const found = keys.lookup("gate", apiKey);
  // A deleted key and one that never existed get the same answer.
  if (found.state !== "active" || isExpired(found.record.key, req.now)) return fail(gateError(401, "INVALID_KEY", "Invalid key provided"));
  const record = found.record;
  const expected = gateSignature(record.key.secret, req.method, req.path, req.rawQuery, req.body, timestamp);
  if (!sameSignature(expected, sign.toLowerCase())) return fail(gateError(401, "INVALID_SIGNATURE", "Signature mismatch"));
  if (!ipAllowed(record.key, req.ip)) return fail(gateError(401, "IP_FORBIDDEN", `Request IP not in whitelist: ${req.ip}`));
  // the permission an endpoint needs is its route's access (dialect.ts)
  return { ok: true, record };
}
