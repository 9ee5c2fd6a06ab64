// Bitget request authentication (HMAC keys): ACCESS-KEY, ACCESS-TIMESTAMP (ms, within 30 s of
// the server's clock), ACCESS-PASSPHRASE (the passphrase chosen at creation, in clear) and
// ACCESS-SIGN = base64 HMAC-SHA256, keyed with the secret, of timestamp + METHOD + requestPath
// + ("?" + queryString when there is one) + body. The query string is signed as its raw,
// percent-decoded text (ccxt signs it so; the URL carries it encoded).
// https://www.bitget.com/api-doc/common/signature

import { createHmac } from "node:crypto";
import type { SimRequest, SimResponse } from "../http";
import { ipAllowed, isExpired, type KeyRecord, type KeyStore } from "../keys";
import { sameSignature } from "../signing";
import { bitgetErrors } from "./errors";

const WINDOW_MS = 30_000;
/** Bitget's HMAC keys: "bg_" and 32 hex digits. */
export const BITGET_KEY_FORMAT = /^bg_[0-9a-f]{32}$/;

export function bitgetSignature(secret: string, timestamp: string, method: string, requestPath: string, query: string, body: string): string {
  const payload = `${timestamp}${method.toUpperCase()}${requestPath}${query === "" ? "" : `?${query}`}${body}`;
  return createHmac("sha256", secret).update(payload).digest("base64");
}

function decodedQuery(raw: string): string {
  try {
    return raw
      .split("&")
      .map((part) => decodeURIComponent(part.replace(/\+/g, " ")))
      .join("&");
  } catch {
    return raw;
  }
}

export type BitgetAuth = { ok: true; record: KeyRecord } | { ok: false; response: SimResponse };

export function authenticateBitget(req: SimRequest, keys: KeyStore): BitgetAuth {
  const fail = (response: SimResponse): BitgetAuth => ({ ok: false, response });
  const h = req.headers;
  const now = req.now;
  const apiKey = h["access-key"];
  const sign = h["access-sign"];
  const timestamp = h["access-timestamp"];
  const passphrase = h["access-passphrase"];
  if (!apiKey) return fail(bitgetErrors.keyMissing(now));
  if (!sign) return fail(bitgetErrors.signMissing(now));
  if (!timestamp || !/^\d{13}$/.test(timestamp)) return fail(bitgetErrors.timestampInvalid(now));
  if (Math.abs(now - Number(timestamp)) > WINDOW_MS) return fail(bitgetErrors.timestampExpired(now));
  if (!passphrase) return fail(bitgetErrors.passphraseMissing(now));
  if (!BITGET_KEY_FORMAT.test(apiKey)) return fail(bitgetErrors.keyInvalid(now));

  const found = keys.lookup("bitget", apiKey);
  // A deleted key and one that never existed get the same answer.
  if (found.state !== "active" || isExpired(found.record.key, now)) return fail(bitgetErrors.keyNotExists(now));
  const record = found.record;
  const expected = bitgetSignature(record.key.secret, timestamp, req.method, req.path, req.rawQuery === "" ? "" : decodedQuery(req.rawQuery), req.body);
  if (!sameSignature(expected, sign)) return fail(bitgetErrors.signature(now));
  if (!sameSignature(record.key.passphrase ?? "", passphrase)) return fail(bitgetErrors.passphrase(now));
  if (!ipAllowed(record.key, req.ip)) return fail(bitgetErrors.ipNotAllowed(now));
  // the permission an endpoint needs is its route's access (dialect.ts)
  return { ok: true, record };
}
