// KuCoin's error answers: `{code, msg}`, code "200000" meaning success. Authentication failures
// come with HTTP 401, an IP outside the key's whitelist and a missing permission with 403
// (KuCoin's "Invalid request ip" is answered 403), too many requests with 429.
// https://www.kucoin.com/docs-new/rate-limit and the error-code tables of KuCoin's docs.

import { json, type SimResponse } from "../http";

export function kucoinError(status: number, code: string, msg: string, headers: Record<string, string> = {}): SimResponse {
  return json(status, { code, msg }, headers);
}

export const kucoinErrors = {
  headersMissing: () => kucoinError(401, "400001", "Please check the header of your request for KC-API-KEY, KC-API-SIGN, KC-API-TIMESTAMP, KC-API-PASSPHRASE"),
  timestamp: () => kucoinError(401, "400002", "KC-API-TIMESTAMP Invalid -- Time differs from server time by more than 5 seconds"),
  keyNotExists: () => kucoinError(401, "400003", "KC-API-KEY not exists"),
  passphrase: () => kucoinError(401, "400004", "Invalid KC-API-PASSPHRASE"),
  signature: () => kucoinError(401, "400005", "Signature error -- Please check your signature"),
  ipNotAllowed: () => kucoinError(403, "400006", "Invalid request ip, the current clientIp is not in the api whitelist"),
  noPermission: () => kucoinError(403, "400007", "Access Denied -- Your API key does not have sufficient permissions to access the URI"),
  param: (msg: string) => kucoinError(400, "400100", msg),
  notFound: () => kucoinError(404, "404000", "Url Not Found -- The requested resource could not be found"),
  tooMany: (headers: Record<string, string>) => kucoinError(429, "429000", "Too Many Requests", headers),
};

export function kucoinOk(data: unknown, headers: Record<string, string> = {}): SimResponse {
  return json(200, { code: "200000", data }, headers);
}
