import { hkdf } from "node:crypto";
import { base64url, calculateJwkThumbprint, EncryptJWT, jwtDecrypt, type JWTPayload } from "jose";
import type { JWT, JWTDecodeParams, JWTEncodeParams } from "next-auth/jwt";

// The session token exactly as Auth.js makes it (an encrypted JWT: alg "dir", enc
// A256CBC-HS512, the key derived by HKDF-SHA256 from AUTH_SECRET with the cookie name as salt,
// the key's JWK thumbprint as `kid`), with one difference: the derived key and its thumbprint
// are computed once per secret and salt, not on every call. Auth.js 5.0.0-beta.32
// (@auth/core/jwt.js) derives the key, and hashes it for the thumbprint, on every encode and
// decode: two HKDF runs on the libuv thread pool, which the password hashes also use, per
// signed-in request (docs/benchmarks.md, part d). auth.config.ts hands these to Auth.js as
// `jwt.encode` / `jwt.decode`, so sign-in, Auth.js's own routes and current-user.ts all read
// and write the same tokens; a token made by Auth.js's own encode decodes here and back
// (tests/unit/session-jwt.test.ts). Written here rather than a wrapper around Auth.js's
// functions because those take no derived key; jose (the library Auth.js itself uses) does
// the JWE work.

const ALG = "dir";
const ENC = "A256CBC-HS512";
/** What Auth.js's decode accepts (A256GCM: tokens of older Auth.js versions). */
const ACCEPTED_ENC = [ENC, "A256GCM"];
const DEFAULT_MAX_AGE = 30 * 24 * 60 * 60;

interface DerivedKey {
  key: Uint8Array;
  thumbprint: string;
}

const derived = new Map<string, Promise<DerivedKey>>();

function keyLength(enc: string): number {
  if (enc === "A256CBC-HS512") return 64;
  if (enc === "A256GCM") return 32;
  throw new Error("Unsupported JWT Content Encryption Algorithm");
}

/** The key Auth.js derives for `enc` from `secret` and `salt`, with its thumbprint; memoised. */
export function derivedKey(enc: string, secret: string, salt: string): Promise<DerivedKey> {
  const id = JSON.stringify([enc, secret, salt]);
  let found = derived.get(id);
  if (!found) {
    const length = keyLength(enc);
    found = new Promise<Uint8Array>((resolve, reject) =>
      hkdf("sha256", secret, salt, `Auth.js Generated Encryption Key (${salt})`, length, (error, bytes) => (error ? reject(error) : resolve(new Uint8Array(bytes)))),
    ).then(async (key) => ({ key, thumbprint: await calculateJwkThumbprint({ kty: "oct", k: base64url.encode(key) }, `sha${key.byteLength << 3}` as "sha512") }));
    // A failure is not kept: the next call derives again.
    found.catch(() => derived.delete(id));
    derived.set(id, found);
  }
  return found;
}

const secretsOf = (secret: string | string[]) => (Array.isArray(secret) ? secret : [secret]);
const nowSeconds = () => (Date.now() / 1000) | 0;

export async function encodeSessionJwt(params: JWTEncodeParams): Promise<string> {
  const { token = {}, secret, maxAge = DEFAULT_MAX_AGE, salt } = params;
  const { key, thumbprint } = await derivedKey(ENC, secretsOf(secret)[0]!, salt);
  return new EncryptJWT(token as JWTPayload)
    .setProtectedHeader({ alg: ALG, enc: ENC, kid: thumbprint })
    .setIssuedAt()
    .setExpirationTime(nowSeconds() + maxAge)
    .setJti(crypto.randomUUID())
    .encrypt(key);
}

/** The token's claims, or null without a token; throws on a token that does not verify or has expired. */
export async function decodeSessionJwt(params: JWTDecodeParams): Promise<JWT | null> {
  const { token, secret, salt } = params;
  if (!token) return null;
  const secrets = secretsOf(secret);
  const { payload } = await jwtDecrypt(
    token,
    async ({ kid, enc }) => {
      for (const candidate of secrets) {
        const { key, thumbprint } = await derivedKey(enc, candidate, salt);
        if (kid === undefined || kid === thumbprint) return key;
      }
      throw new Error("no matching decryption secret");
    },
    { clockTolerance: 15, keyManagementAlgorithms: [ALG], contentEncryptionAlgorithms: ACCEPTED_ENC },
  );
  return payload as JWT;
}
