// Bitget's error answers: `{code, msg, requestTime, data: null}`, code "00000" meaning success.
// Authentication and parameter failures come with HTTP 400 and Bitget's own code (what public
// reports of its v2 API show, e.g. 40006 answered "400 Bad Request"), too many requests with 429,
// an unknown path with 404.
// https://www.bitget.com/api-doc/common/error-code/restapi

import { json, type SimResponse } from "../http";

export function bitgetError(status: number, code: string, msg: string, now: number, headers: Record<string, string> = {}): SimResponse {
  return json(status, { code, msg, requestTime: now, data: null }, headers);
}

export function bitgetOk(data: unknown, now: number, headers: Record<string, string> = {}): SimResponse {
  return json(200, { code: "00000", msg: "success", requestTime: now, data }, headers);
}

export const bitgetErrors = {
  keyMissing: (now: number) => bitgetError(400, "40001", "ACCESS_KEY cannot be empty", now),
  signMissing: (now: number) => bitgetError(400, "40003", "Signature cannot be empty", now),
  timestampInvalid: (now: number) => bitgetError(400, "40005", "Invalid ACCESS_TIMESTAMP", now),
  /** A key string Bitget cannot read as one of its keys. */
  keyInvalid: (now: number) => bitgetError(400, "40006", "Invalid ACCESS_KEY", now),
  timestampExpired: (now: number) => bitgetError(400, "40008", "Request timestamp expired", now),
  signature: (now: number) => bitgetError(400, "40009", "sign signature error", now),
  passphraseMissing: (now: number) => bitgetError(400, "40011", "ACCESS_PASSPHRASE cannot be empty", now),
  passphrase: (now: number) => bitgetError(400, "40012", "apikey/password is incorrect", now),
  noPermission: (now: number) => bitgetError(400, "40014", "Incorrect permissions", now),
  param: (msg: string, now: number) => bitgetError(400, "40017", msg, now),
  ipNotAllowed: (now: number) => bitgetError(400, "40018", "Invalid IP", now),
  /** A well-formed key Bitget does not have: deleted, or never created. */
  keyNotExists: (now: number) => bitgetError(400, "40037", "Apikey does not exist", now),
  notFound: (now: number) => bitgetError(404, "40404", "Request URL NOT FOUND", now),
  tooMany: (now: number, headers: Record<string, string>) => bitgetError(429, "429", "Too Many Requests", now, headers),
};
