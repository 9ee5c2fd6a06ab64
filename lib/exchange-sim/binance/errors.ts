// Binance error answers: `{code, msg}` with the HTTP status Binance uses for each code.

import { json, type SimResponse } from "../http";

export const BINANCE_ERRORS = {
  unknown: { status: 400, code: -1000, msg: "An unknown error occurred while processing the request." },
  timestampAhead: { status: 400, code: -1021, msg: "Timestamp for this request was 1000ms ahead of the server's time." },
  timestampOutside: { status: 400, code: -1021, msg: "Timestamp for this request is outside of the recvWindow." },
  badSignature: { status: 400, code: -1022, msg: "Signature for this request is not valid." },
  invalidSymbol: { status: 400, code: -1121, msg: "Invalid symbol." },
  badCombination: { status: 400, code: -1128, msg: "Combination of optional parameters invalid." },
  badRecvWindow: { status: 400, code: -1131, msg: "recvWindow must be less than 60000" },
  invalidKeyId: { status: 401, code: -2008, msg: "Invalid Api-Key ID." },
  keyFormat: { status: 401, code: -2014, msg: "API-key format invalid." },
  keyIpOrPermission: { status: 401, code: -2015, msg: "Invalid API-key, IP, or permissions for action." },
} as const;

export type BinanceErrorName = keyof typeof BINANCE_ERRORS;

export function binanceError(name: BinanceErrorName): SimResponse {
  const e = BINANCE_ERRORS[name];
  return json(e.status, { code: e.code, msg: e.msg });
}

/** -1102: a mandatory parameter is missing or empty. */
export function missingParam(param: string): SimResponse {
  return json(400, { code: -1102, msg: `Mandatory parameter '${param}' was not sent, was empty/null, or malformed.` });
}

/** -1100: a parameter has characters or a value outside its legal range. */
export function illegalParam(param: string, legal: string): SimResponse {
  return json(400, { code: -1100, msg: `Illegal characters found in parameter '${param}'; legal range is '${legal}'.` });
}

/** -1127: a startTime/endTime window longer than the endpoint allows. */
export function windowTooLong(hours: number): SimResponse {
  return json(400, { code: -1127, msg: `More than ${hours} hours between startTime and endTime.` });
}

/** Parameter access that answers the Binance error directly when the value is malformed. */
export class ParamError extends Error {
  constructor(readonly response: SimResponse) {
    super("binance parameter error");
  }
}

const INTEGER = /^-?[0-9]{1,20}$/;

export function intParam(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (v === null) return undefined;
  if (v === "") throw new ParamError(missingParam(name));
  if (!INTEGER.test(v) || !Number.isSafeInteger(Number(v))) throw new ParamError(illegalParam(name, "^[0-9]{1,20}$"));
  return Number(v);
}
