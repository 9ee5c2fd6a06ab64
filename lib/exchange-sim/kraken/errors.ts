// Kraken's answers: HTTP 200 with `{"error": [...], "result": {...}}`, a non-empty error list
// meaning the request failed; each error is "E<Category>:<message>". Kraken documents the strings,
// not HTTP statuses (https://docs.kraken.com/exchange/guides/general/errors).

import { json, type SimResponse } from "../http";

export function krakenError(error: string, headers: Record<string, string> = {}): SimResponse {
  return json(200, { error: [error], result: {} }, headers);
}

export function krakenOk(result: unknown, headers: Record<string, string> = {}): SimResponse {
  return json(200, { error: [], result }, headers);
}

export const krakenErrors = {
  /** The API-Key header is missing, malformed, or names a key that was deleted (or expired). */
  invalidKey: () => krakenError("EAPI:Invalid key"),
  invalidSignature: () => krakenError("EAPI:Invalid signature"),
  /** The nonce is not above the last one the key used. */
  invalidNonce: () => krakenError("EAPI:Invalid nonce"),
  permissionDenied: () => krakenError("EGeneral:Permission denied"),
  invalidArguments: (what: string) => krakenError(`EGeneral:Invalid arguments:${what}`),
  rateLimited: () => krakenError("EAPI:Rate limit exceeded"),
  unknownMethod: () => krakenError("EGeneral:Unknown method"),
};
