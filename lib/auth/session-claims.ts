import "server-only";
import { headers } from "next/headers";
import { getToken } from "next-auth/jwt";
import type { JWT, JWTDecodeParams } from "next-auth/jwt";
import { decodeSessionJwt } from "./session-jwt";
import type { SessionClaims } from "./session-user";

// The claims of this request's session cookie, read the way Auth.js's auth() reads them, without
// the rest of what auth() does per call: it runs a whole Auth.js request (a Request built, the
// session action, the token decoded and encoded again to refresh its expiry, a JSON response
// parsed back), and in a page or route handler the refreshed cookie it makes is thrown away.
// Here: the same cookie (Auth.js's name: "__Secure-" prefixed when the site is https, judged as
// Auth.js judges it), the same secrets (AUTH_SECRET and the AUTH_SECRET_1..3 it rotates through),
// the same verification (session-jwt.ts: the JWE decrypted and its expiry checked), and the
// claims the app's session callback reads (auth.config.ts): sub, sid, cv.

const COOKIE = "authjs.session-token";

// Tokens this process has already decrypted and verified, by their exact text (and salt): the
// same cookie comes back on every request of a session, and a token is an authenticated
// ciphertext, so holding the very same string is holding what was verified. Each hit still
// checks the expiry as jose does (15 s of clock tolerance). Bounded; oldest dropped first.
const VERIFIED_MAX = 10_000;
const CLOCK_TOLERANCE_S = 15;
const verified = new Map<string, JWT>();

async function decodeRemembered(params: JWTDecodeParams): Promise<JWT | null> {
  if (!params.token) return null;
  const id = `${params.salt}\u0000${params.token}`;
  const known = verified.get(id);
  const nowS = Date.now() / 1000;
  const current = (claims: JWT) => typeof claims.exp !== "number" || claims.exp > nowS - CLOCK_TOLERANCE_S;
  if (known) {
    if (current(known)) return known;
    verified.delete(id);
    throw new Error("the session token has expired");
  }
  const claims = await decodeSessionJwt(params);
  if (claims && current(claims)) {
    verified.set(id, claims);
    if (verified.size > VERIFIED_MAX) verified.delete(verified.keys().next().value!);
  }
  return claims;
}

/** Auth.js's rule (@auth/core createActionURL + init): AUTH_URL's protocol, else x-forwarded-proto, else https. */
function usesSecureCookies(requestHeaders: Headers): boolean {
  const configured = process.env.AUTH_URL ?? process.env.NEXTAUTH_URL;
  if (configured) return new URL(configured).protocol === "https:";
  const proto = requestHeaders.get("x-forwarded-proto") ?? "https";
  return (proto.endsWith(":") ? proto : `${proto}:`) === "https:";
}

/** Auth.js's secret list (setEnvDefaults): the rotated AUTH_SECRET_3..1 first, then AUTH_SECRET. */
function authSecrets(): string[] {
  const secrets: string[] = [];
  if (process.env.AUTH_SECRET) secrets.push(process.env.AUTH_SECRET);
  for (const i of [1, 2, 3]) {
    const rotated = process.env[`AUTH_SECRET_${i}`];
    if (rotated) secrets.unshift(rotated);
  }
  return secrets;
}

export async function sessionClaims(): Promise<SessionClaims> {
  const requestHeaders = await headers();
  const secure = usesSecureCookies(requestHeaders);
  const cookieName = secure ? `__Secure-${COOKIE}` : COOKIE;
  // Only the Cookie header is handed on, as auth() does: it reads no Authorization header.
  const cookie = requestHeaders.get("cookie") ?? "";
  const token = await getToken({
    req: { headers: new Headers({ cookie }) },
    secret: authSecrets(),
    secureCookie: secure,
    cookieName,
    salt: cookieName,
    decode: decodeRemembered,
  });
  return {
    userId: typeof token?.sub === "string" ? token.sub : undefined,
    sessionId: typeof token?.sid === "string" ? token.sid : undefined,
    credentialVersion: typeof token?.cv === "number" ? token.cv : undefined,
  };
}
