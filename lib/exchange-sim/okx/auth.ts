// OKX request authentication: the four OK-ACCESS-* headers, a 30-second timestamp window, the
// passphrase chosen at key creation, base64 HMAC-SHA256 over timestamp + method + path + body.

import type { SimRequest, SimResponse } from "../http";
import { ipAllowed, isExpired, type KeyRecord, type KeyStore } from "../keys";
import { okxSignature, sameSignature } from "../signing";
import { okxErrors } from "./errors";

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,3})?Z$/;
const WINDOW_MS = 30_000;

export type OkxAuth = { ok: true; record: KeyRecord } | { ok: false; response: SimResponse };

export function authenticateOkx(req: SimRequest, keys: KeyStore): OkxAuth {
  const fail = (response: SimResponse): OkxAuth => ({ ok: false, response });
  const h = req.headers;
  const apiKey = h["ok-access-key"];
  const passphrase = h["ok-access-passphrase"];
  const sign = h["ok-access-sign"];
  const timestamp = h["ok-access-timestamp"];
  if (!apiKey) return fail(okxErrors.keyEmpty());
  if (!passphrase) return fail(okxErrors.passphraseEmpty());
  if (!sign) return fail(okxErrors.signEmpty());
  if (!timestamp) return fail(okxErrors.timestampEmpty());
  if (!ISO.test(timestamp)) return fail(okxErrors.invalidTimestamp());
  if (Math.abs(req.now - Date.parse(timestamp)) > WINDOW_MS) return fail(okxErrors.timestampExpired());

  const found = keys.lookup("okx", apiKey);
  // OKX removes expired keys, so an expired key looks like a deleted one.
  if (found.state !== "active" || isExpired(found.record.key, req.now)) return fail(okxErrors.invalidKey());
  const record = found.record;
  if (record.key.passphrase !== passphrase) return fail(okxErrors.passphraseWrong());

  const requestPath = req.rawQuery === "" ? req.path : `${req.path}?${req.rawQuery}`;
  const expected = okxSignature(record.key.secret, timestamp, req.method, requestPath, req.body);
  if (!sameSignature(expected, sign)) return fail(okxErrors.invalidSign());
  if (!ipAllowed(record.key, req.ip)) return fail(okxErrors.ipNotAllowed(req.ip));
  return { ok: true, record };
}
