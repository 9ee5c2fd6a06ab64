// OKX error answers: `{code, msg, data: []}`; authentication failures come with HTTP 401,
// parameter errors with 400.

import { json, type SimResponse } from "../http";

export function okxError(status: number, code: string, msg: string): SimResponse {
  return json(status, { code, msg, data: [] });
}

export const okxErrors = {
  keyEmpty: () => okxError(401, "50103", "Request header OK-ACCESS-KEY cannot be empty."),
  passphraseEmpty: () => okxError(401, "50104", "Request header OK-ACCESS-PASSPHRASE cannot be empty."),
  passphraseWrong: () => okxError(401, "50105", "Request header OK-ACCESS-PASSPHRASE incorrect."),
  signEmpty: () => okxError(401, "50106", "Request header OK-ACCESS-SIGN cannot be empty."),
  timestampEmpty: () => okxError(401, "50107", "Request header OK-ACCESS-TIMESTAMP cannot be empty."),
  timestampExpired: () => okxError(401, "50102", "Timestamp request expired."),
  ipNotAllowed: (ip: string) => okxError(401, "50110", `Your IP ${ip} is not included in your API key's IP whitelist.`),
  invalidKey: () => okxError(401, "50111", "Invalid OK-ACCESS-KEY."),
  invalidTimestamp: () => okxError(401, "50112", "Invalid OK-ACCESS-TIMESTAMP."),
  invalidSign: () => okxError(401, "50113", "Invalid Sign."),
  noPermission: () => okxError(401, "50120", "API key doesn't have permission."),
  paramEmpty: (p: string) => okxError(400, "50014", `Parameter ${p} can not be empty.`),
  paramError: (p: string) => okxError(400, "51000", `Parameter ${p} error`),
  noInstrument: () => okxError(400, "51001", "Instrument ID does not exist."),
};

export class OkxParamError extends Error {
  constructor(readonly response: SimResponse) {
    super("okx parameter error");
  }
}
