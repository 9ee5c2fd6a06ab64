// Kraken's private REST authentication: a POST with a form-encoded body holding `nonce`, the
// API-Key header, and API-Sign = base64 HMAC-SHA512 of (URI path + SHA-256(nonce + POST body)),
// keyed with the base64-decoded secret. The nonce must be above every nonce the key used before
// (Kraken keeps the last one per key), so a replayed or reordered request is refused.
// https://docs.kraken.com/api/docs/guides/spot-rest-auth
//
// The order of the checks follows what each answer can tell a caller: an unknown or deleted key
// says nothing else; a bad signature comes before the nonce (an unsigned request must not move
// it); the key's IP allowlist comes last, for a request Kraken has authenticated.

import { createHash, createHmac } from "node:crypto";
import type { SimRequest, SimResponse } from "../http";
import { ipAllowed, isExpired, type KeyRecord, type KeyStore } from "../keys";
import { sameSignature } from "../signing";
import { krakenErrors } from "./errors";

export function krakenSignature(secret: string, path: string, nonce: string, body: string): string {
  const digest = createHash("sha256").update(nonce + body).digest();
  return createHmac("sha512", Buffer.from(secret, "base64")).update(Buffer.concat([Buffer.from(path), digest])).digest("base64");
}

export type KrakenAuth = { ok: true; record: KeyRecord; params: URLSearchParams } | { ok: false; response: SimResponse };

/** The last accepted nonce of each key (Kraken's nonce window of 0). */
export class NonceBook {
  private readonly last = new Map<string, bigint>();

  lastOf(apiKey: string): bigint | undefined {
    return this.last.get(apiKey);
  }

  /** Takes `nonce` if it is above the key's last one. */
  take(apiKey: string, nonce: bigint): boolean {
    const last = this.last.get(apiKey);
    if (last !== undefined && nonce <= last) return false;
    this.last.set(apiKey, nonce);
    return true;
  }
}

export function authenticateKraken(req: SimRequest, keys: KeyStore, nonces: NonceBook): KrakenAuth {
  const fail = (response: SimResponse): KrakenAuth => ({ ok: false, response });
  const apiKey = req.headers["api-key"];
  const sign = req.headers["api-sign"];
  if (!apiKey) return fail(krakenErrors.invalidKey());
  const found = keys.lookup("kraken", apiKey);
  // A deleted key, an expired one and one that never existed get the same answer.
  if (found.state !== "active" || isExpired(found.record.key, req.now)) return fail(krakenErrors.invalidKey());
  const record = found.record;
  const params = new URLSearchParams(req.body);
  const nonce = params.get("nonce") ?? "";
  if (!sign || !sameSignature(krakenSignature(record.key.secret, req.path, nonce, req.body), sign)) return fail(krakenErrors.invalidSignature());
  if (!/^\d{1,19}$/.test(nonce) || !nonces.take(apiKey, BigInt(nonce))) return fail(krakenErrors.invalidNonce());
  if (!ipAllowed(record.key, req.ip)) return fail(krakenErrors.permissionDenied());
  return { ok: true, record, params };
}
