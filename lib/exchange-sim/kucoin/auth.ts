// KuCoin request authentication, API key version 2: KC-API-KEY, KC-API-TIMESTAMP (ms, within 5
// seconds of the server's clock), KC-API-SIGN = base64 HMAC-SHA256 of timestamp + METHOD +
// endpoint (with ?query) + body, and KC-API-PASSPHRASE = base64 HMAC-SHA256 of the passphrase,
// both keyed with the secret (version 1 sent the passphrase in clear).
// https://www.kucoin.com/docs-new/authentication

import { createHmac } from "node:crypto";
import type { SimRequest, SimResponse } from "../http";
import { ipAllowed, isExpired, type KeyRecord, type KeyStore } from "../keys";
import { sameSignature } from "../signing";
import { kucoinErrors } from "./errors";

const WINDOW_MS = 5_000;

export function kucoinSignature(secret: string, timestamp: string, method: string, endpoint: string, body: string): string {
  return createHmac("sha256", secret).update(`${timestamp}${method.toUpperCase()}${endpoint}${body}`).digest("base64");
}

export function kucoinSignedPassphrase(secret: string, passphrase: string): string {
  return createHmac("sha256", secret).update(passphrase).digest("base64");
}

export type KucoinAuth = { ok: true; record: KeyRecord } | { ok: false; response: SimResponse };

export function authenticateKucoin(req: SimRequest, keys: KeyStore): KucoinAuth {
  const fail = (response: SimResponse): KucoinAuth => ({ ok: false, response });
  const h = req.headers;
  const apiKey = h["kc-api-key"];
  const sign = h["kc-api-sign"];
  const timestamp = h["kc-api-timestamp"];
  const passphrase = h["kc-api-passphrase"];
  if (!apiKey || !sign || !timestamp || !passphrase) return fail(kucoinErrors.headersMissing());
  if (!/^\d{13}$/.test(timestamp) || Math.abs(req.now - Number(timestamp)) > WINDOW_MS) return fail(kucoinErrors.timestamp());

  const found = keys.lookup("kucoin", apiKey);
  // A deleted key and one that never existed get the same answer.
  if (found.state !== "active" || isExpired(found.record.key, req.now)) return fail(kucoinErrors.keyNotExists());
  const record = found.record;
  const endpoint = req.rawQuery === "" ? req.path : `${req.path}?${req.rawQuery}`;
  if (!sameSignature(kucoinSignature(record.key.secret, timestamp, req.method, endpoint, req.body), sign)) return fail(kucoinErrors.signature());
  const version = h["kc-api-key-version"] ?? "1";
  const expected = version === "1" ? (record.key.passphrase ?? "") : kucoinSignedPassphrase(record.key.secret, record.key.passphrase ?? "");
  if (!sameSignature(expected, passphrase)) return fail(kucoinErrors.passphrase());
  if (!ipAllowed(record.key, req.ip)) return fail(kucoinErrors.ipNotAllowed());
  // the permission an endpoint needs is its route's access (dialect.ts)
  return { ok: true, record };
}
