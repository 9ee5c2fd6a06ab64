// The three request-signing schemes, as the exchanges define them. Used by the dialects to
// verify requests and by tests (and anyone probing the simulator with raw HTTP) to sign them.

import { createHmac, timingSafeEqual } from "node:crypto";

/** Binance: hex HMAC-SHA256 of the query string (without `signature`) followed by the body. */
export function binanceSignature(secret: string, payload: string): string {
  return createHmac("sha256", secret).update(payload).digest("hex");
}

/** The signed payload of a Binance request: every query parameter but `signature`, then the body. */
export function binancePayload(rawQuery: string, body: string): string {
  const params = rawQuery === "" ? [] : rawQuery.split("&").filter((p) => !p.startsWith("signature="));
  return params.join("&") + body;
}

/** OKX: base64 HMAC-SHA256 of timestamp + METHOD + requestPath (with ?query) + body. */
export function okxSignature(secret: string, timestamp: string, method: string, requestPath: string, body: string): string {
  return createHmac("sha256", secret).update(`${timestamp}${method.toUpperCase()}${requestPath}${body}`).digest("base64");
}

/** Bybit v5: hex HMAC-SHA256 of timestamp + apiKey + recvWindow + (query string | JSON body). */
export function bybitSignature(secret: string, timestamp: string, apiKey: string, recvWindow: string, payload: string): string {
  return createHmac("sha256", secret).update(`${timestamp}${apiKey}${recvWindow}${payload}`).digest("hex");
}

/** Constant-time comparison of two signatures (case-sensitive; callers normalise hex case). */
export function sameSignature(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
