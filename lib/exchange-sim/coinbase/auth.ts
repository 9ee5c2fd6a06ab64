// Coinbase Advanced Trade request authentication with CDP API keys: every private request
// carries `Authorization: Bearer <JWT>`, an ES256 token signed with the key's EC P-256 private
// key, whose header names the key (kid) with a random nonce and whose claims are sub (the key
// name again), iss, nbf and exp (at most two minutes apart) and uri, "METHOD host/path" of this
// very request without its query string. The simulator holds the private PEM as the key's
// secret and verifies with the public key derived from it, as Coinbase does with the public half
// it keeps.
// https://docs.cdp.coinbase.com/coinbase-app/authentication-authorization/api-key-authentication
//
// Coinbase answers every authentication failure alike: HTTP 401 with the plain-text body
// "Unauthorized" — a key that was deleted or never existed, a signature made with another key,
// an expired or not-yet-valid token, a uri claim for another request, and a caller outside the
// key's IP allowlist. The simulator does the same; it names the check that failed only in an
// X-Sim-Auth-Failure header of its own, for its tests (the adapter never reads it).

import { createPrivateKey, createPublicKey, verify, type KeyObject } from "node:crypto";
import type { SimRequest, SimResponse } from "../http";
import { ipAllowed, isExpired, type KeyRecord, type KeyStore } from "../keys";

/** Coinbase's tokens live two minutes (exp = nbf + 120); a little clock skew is tolerated. */
const MAX_LIFETIME_S = 120;
const SKEW_S = 5;
/** CDP's issuer, and the one ccxt (and Coinbase's older SDKs) still write for ES256 keys. */
const ISSUERS = new Set(["cdp", "coinbase-cloud"]);

export type AuthFailure = "missing" | "malformed" | "algorithm" | "unknown_key" | "claims" | "expired" | "not_yet_valid" | "uri" | "signature" | "ip";

export function unauthorized(why: AuthFailure): SimResponse {
  return { status: 401, headers: { "content-type": "text/plain; charset=utf-8", "x-sim-auth-failure": why }, body: "Unauthorized\n" };
}

const publicKeys = new Map<string, KeyObject>();

/** The public key of a PEM private key, derived once per secret. */
function publicKeyOf(secret: string): KeyObject | null {
  let key = publicKeys.get(secret);
  if (!key) {
    try {
      key = createPublicKey(createPrivateKey(secret));
    } catch {
      return null;
    }
    publicKeys.set(secret, key);
  }
  return key;
}

function decodePart(part: string | undefined): Record<string, unknown> | null {
  if (!part || !/^[A-Za-z0-9_-]+$/.test(part)) return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/**
 * The request's own "METHOD host/path". Coinbase is reached over https only and its clients
 * strip the scheme; ccxt strips "https://" alone, so against the simulator's http origin its uri
 * claim still starts with "http://", which is dropped before comparing.
 */
export function requestUri(req: Pick<SimRequest, "method" | "path" | "headers">): string {
  return `${req.method.toUpperCase()} ${req.headers.host ?? ""}${req.path}`;
}

function claimedUri(uri: string): string {
  const space = uri.indexOf(" ");
  if (space < 0) return uri;
  return uri.slice(0, space + 1) + uri.slice(space + 1).replace(/^https?:\/\//, "");
}

export type CoinbaseAuth = { ok: true; record: KeyRecord } | { ok: false; response: SimResponse };

export function authenticateCoinbase(req: SimRequest, keys: KeyStore): CoinbaseAuth {
  const fail = (why: AuthFailure): CoinbaseAuth => ({ ok: false, response: unauthorized(why) });
  const authorization = req.headers.authorization ?? "";
  const token = /^Bearer (\S+)$/.exec(authorization)?.[1];
  if (!token) return fail("missing");
  const parts = token.split(".");
  if (parts.length !== 3) return fail("malformed");
  const header = decodePart(parts[0]);
  const claims = decodePart(parts[1]);
  if (!header || !claims || !parts[2] || !/^[A-Za-z0-9_-]+$/.test(parts[2])) return fail("malformed");
  if (header.alg !== "ES256") return fail("algorithm");
  const kid = header.kid;
  if (typeof kid !== "string" || typeof header.nonce !== "string" || header.nonce === "") return fail("claims");
  if (claims.sub !== kid || typeof claims.iss !== "string" || !ISSUERS.has(claims.iss)) return fail("claims");
  const { nbf, exp, uri } = claims;
  if (typeof nbf !== "number" || typeof exp !== "number" || typeof uri !== "string" || exp <= nbf || exp - nbf > MAX_LIFETIME_S) return fail("claims");
  const nowS = req.now / 1000;
  if (exp <= nowS - SKEW_S) return fail("expired");
  if (nbf > nowS + SKEW_S) return fail("not_yet_valid");
  if (claimedUri(uri) !== requestUri(req)) return fail("uri");
  const found = keys.lookup("coinbase", kid);
  // a deleted key and one that never existed get the same answer, as every other failure does
  if (found.state !== "active" || isExpired(found.record.key, req.now)) return fail("unknown_key");
  const publicKey = publicKeyOf(found.record.key.secret);
  const signature = Buffer.from(parts[2], "base64url");
  // ES256 signatures are r || s, 64 bytes (RFC 7518 section 3.4), not DER
  const valid =
    publicKey !== null && signature.length === 64 && verify("sha256", Buffer.from(`${parts[0]}.${parts[1]}`), { key: publicKey, dsaEncoding: "ieee-p1363" }, signature);
  if (!valid) return fail("signature");
  if (!ipAllowed(found.record.key, req.ip)) return fail("ip");
  return { ok: true, record: found.record };
}
