// Bybit v5 answers: `{retCode, retMsg, result, retExtInfo, time}`. Errors usually travel with
// HTTP 200; a bad or expired key and a bad signature come with 401, as on the real API.

import { json, type SimResponse } from "../http";

export function bybitOk(result: unknown, now: number, retMsg = "OK"): SimResponse {
  return json(200, { retCode: 0, retMsg, result, retExtInfo: {}, time: now });
}

export function bybitError(retCode: number, retMsg: string, now: number, status = 200): SimResponse {
  return json(status, { retCode, retMsg, result: {}, retExtInfo: {}, time: now });
}

export const bybitErrors = {
  params: (msg: string, now: number) => bybitError(10001, `params error: ${msg}`, now),
  timestamp: (req: number, server: number, recv: number) =>
    bybitError(
      10002,
      `invalid request, please check your server timestamp or recv_window param. req_timestamp[${req}],server_timestamp[${server}],recv_window[${recv}]`,
      server,
    ),
  invalidKey: (now: number) => bybitError(10003, "API key is invalid.", now, 401),
  sign: (origin: string, now: number) => bybitError(10004, `error sign! origin_string[${origin}]`, now, 401),
  permission: (now: number) => bybitError(10005, "Permission denied, please check your API key permissions.", now),
  ip: (now: number) => bybitError(10010, "Unmatched IP, please check your API key's bound IP addresses.", now),
  expired: (now: number) => bybitError(33004, "Your api key has expired.", now, 401),
};

export class BybitParamError extends Error {
  constructor(readonly response: SimResponse) {
    super("bybit parameter error");
  }
}
