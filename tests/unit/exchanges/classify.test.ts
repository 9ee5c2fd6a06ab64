import ccxt from "ccxt";
import { describe, expect, it } from "vitest";
import { classifyBinanceError } from "@/lib/exchanges/binance";
import { classifyBybitError } from "@/lib/exchanges/bybit";
import { bodyFromMessage, exchangeCodeFromMessage, httpStatusFromMessage } from "@/lib/exchanges/classify";
import { ExchangeAdapterError } from "@/lib/exchanges/errors";
import { classifyGenericError } from "@/lib/exchanges/generic";
import { classifyOkxError } from "@/lib/exchanges/okx";
import { ccxtErrorFor } from "./ccxt-errors";

const LOCAL = "http://127.0.0.1:4010/sapi/v1/account/apiRestrictions";
const REAL = "https://api.binance.com/sapi/v1/account/apiRestrictions";

describe("reading the exchange's answer back from a ccxt message", () => {
  it("finds the JSON body at the end and its code", () => {
    const message = 'binance GET http://x/api 400 Bad Request {"code":-2015,"msg":"Invalid API-key, IP, or permissions for action."}';
    expect(bodyFromMessage(message)).toEqual({ code: -2015, msg: "Invalid API-key, IP, or permissions for action." });
    expect(exchangeCodeFromMessage(message)).toBe("-2015");
    expect(httpStatusFromMessage(message)).toBe(400);
    expect(exchangeCodeFromMessage('okx {"msg":"Invalid Sign","code":"50113","data":[]}')).toBe("50113");
    expect(exchangeCodeFromMessage('bybit {"retCode":10003,"retMsg":"API key is invalid.","result":{},"time":1}')).toBe("10003");
    expect(exchangeCodeFromMessage('bybit {"retCode":10003,"retMsg":"API key is inv')).toBe("10003");
    expect(exchangeCodeFromMessage("binance GET http://x request timed out (10000 ms)")).toBeUndefined();
  });
});

describe("Binance", () => {
  const classify = (status: number, body: string, opts?: Parameters<typeof ccxtErrorFor>[3]) =>
    classifyBinanceError(ccxtErrorFor("binance", status, body, opts));

  it.each([LOCAL, REAL])("-2008 and -2014 mean the key is gone, whatever ccxt class they come as (%s)", (url) => {
    const gone = classify(401, '{"code":-2008,"msg":"Invalid Api-Key ID."}', { url });
    expect(gone).toMatchObject({ status: "revoked", reason: "key_not_found", code: "-2008" });
    expect(classify(401, '{"code":-2014,"msg":"API-key format invalid."}', { url })).toMatchObject({ status: "revoked", code: "-2014" });
  });

  it("-2008 arrives as a plain ExchangeError against a non-Binance host, and is still revoked", () => {
    const error = ccxtErrorFor("binance", 401, '{"code":-2008,"msg":"Invalid Api-Key ID."}', { url: LOCAL });
    expect(error.constructor).toBe(ccxt.ExchangeError);
    expect(classifyBinanceError(error).status).toBe("revoked");
  });

  it("-2015 is ambiguous, as AuthenticationError and as the DDoSProtection ccxt makes of it later", () => {
    const body = '{"code":-2015,"msg":"Invalid API-key, IP, or permissions for action."}';
    const fresh = ccxtErrorFor("binance", 401, body, { url: REAL });
    const later = ccxtErrorFor("binance", 401, body, { url: REAL, authenticatedBefore: true });
    expect(fresh).toBeInstanceOf(ccxt.AuthenticationError);
    expect(later).toBeInstanceOf(ccxt.DDoSProtection);
    for (const error of [fresh, later, ccxtErrorFor("binance", 401, body, { url: LOCAL })]) {
      expect(classifyBinanceError(error)).toMatchObject({ status: "ambiguous", reason: "key_ip_or_permission", code: "-2015" });
    }
  });

  it("a wrong secret (-1022) is ambiguous, never revoked", () => {
    expect(classify(400, '{"code":-1022,"msg":"Signature for this request is not valid."}', { url: REAL })).toMatchObject({
      status: "ambiguous",
      reason: "bad_signature",
    });
  });

  it("429 and 418 are unreachable (rate limited)", () => {
    const limited = classify(429, '{"code":-1003,"msg":"Too many requests; current limit of IP(127.0.0.1) is 6000 requests per minute."}');
    const banned = classify(418, '{"code":-1003,"msg":"Way too many requests; IP(127.0.0.1) banned until 1700000000000."}');
    expect(limited).toMatchObject({ status: "unreachable", reason: "rate_limited" });
    expect(banned).toMatchObject({ status: "unreachable", reason: "rate_limited" });
    expect(classifyBinanceError(new ccxt.DDoSProtection("binance 429 Too Many Requests "))).toMatchObject({ reason: "rate_limited" });
  });

  it("5xx, timeouts, network failures, clock skew and malformed bodies are unreachable", () => {
    expect(classify(503, "<html>Service Unavailable</html>")).toMatchObject({ status: "unreachable", reason: "exchange_unavailable" });
    expect(classify(500, "")).toMatchObject({ status: "unreachable" });
    expect(classify(400, '{"code":-1021,"msg":"Timestamp for this request is outside of the recvWindow."}')).toMatchObject({
      status: "unreachable",
      reason: "clock_skew",
    });
    expect(classifyBinanceError(new ccxt.RequestTimeout("binance GET http://x request timed out (10000 ms)"))).toMatchObject({ reason: "timeout" });
    expect(classifyBinanceError(new ccxt.NetworkError("binance GET http://x fetch failed: ECONNREFUSED"))).toMatchObject({ status: "unreachable" });
    expect(classifyBinanceError(new TypeError("Cannot read properties of undefined (reading 'length')"))).toMatchObject({
      status: "unreachable",
      reason: "malformed_response",
    });
    expect(classifyBinanceError(new ccxt.BadResponse("binance bad"))).toMatchObject({ reason: "malformed_response" });
  });

  it("an answer it does not know is ambiguous, never revoked", () => {
    expect(classify(400, '{"code":-9999,"msg":"Something new."}').status).toBe("ambiguous");
    expect(classifyBinanceError("a string").status).toBe("ambiguous");
    expect(classifyBinanceError(undefined).status).toBe("ambiguous");
  });

  it("a missing credential is our configuration, not a revoked key", () => {
    expect(classifyBinanceError(new ccxt.AuthenticationError('binance requires "secret" credential'))).toMatchObject({
      status: "ambiguous",
      reason: "configuration",
    });
  });

  it("passes an already classified adapter error through", () => {
    const error = new ExchangeAdapterError("binance", { status: "revoked", reason: "key_not_found", message: "gone" });
    expect(classifyBinanceError(error).status).toBe("revoked");
  });
});

describe("OKX", () => {
  const classify = (status: number, body: string) => classifyOkxError(ccxtErrorFor("okx", status, body, { url: "http://127.0.0.1:4010/api/v5/account/config" }));

  it("50111 / 50119: the key does not exist", () => {
    expect(classify(401, '{"msg":"Invalid OK-ACCESS-KEY","code":"50111"}')).toMatchObject({ status: "revoked", code: "50111" });
    expect(classify(401, '{"msg":"API key doesn\'t exist","code":"50119"}')).toMatchObject({ status: "revoked", code: "50119" });
  });

  it("50110 (IP not on the whitelist) proves the key exists", () => {
    expect(classify(401, '{"msg":"Your IP 127.0.0.1 is not included in your API key\'s IP whitelist.","code":"50110"}')).toMatchObject({
      status: "valid",
      reason: "ip_not_allowed",
    });
  });

  it("a wrong secret or passphrase is ambiguous", () => {
    expect(classify(401, '{"msg":"Invalid Sign","code":"50113"}')).toMatchObject({ status: "ambiguous", reason: "bad_signature" });
    expect(classify(401, '{"msg":"OK-ACCESS-PASSPHRASE incorrect","code":"50105"}')).toMatchObject({ status: "ambiguous", reason: "bad_passphrase" });
  });

  it("rate limits and outages are unreachable", () => {
    expect(classify(429, '{"msg":"Too Many Requests","code":"50011"}')).toMatchObject({ status: "unreachable", reason: "rate_limited" });
    expect(classify(503, '{"msg":"Service temporarily unavailable. Please try again later.","code":"50001"}')).toMatchObject({
      status: "unreachable",
    });
    expect(classify(502, "<html>Bad Gateway</html>")).toMatchObject({ status: "unreachable" });
  });
});

describe("Bybit", () => {
  const classify = (status: number, body: string, path = "/v5/user/query-api") =>
    classifyBybitError(ccxtErrorFor("bybit", status, body, { url: `http://127.0.0.1:4010${path}` }));

  it("10003 (invalid key) and 33004 (expired) mean the key is gone", () => {
    expect(classify(401, '{"retCode":10003,"retMsg":"API key is invalid.","result":{},"retExtInfo":{},"time":1700000000000}')).toMatchObject({
      status: "revoked",
      reason: "key_not_found",
    });
    expect(classify(200, '{"retCode":33004,"retMsg":"Your api key has expired.","result":{},"time":1}')).toMatchObject({
      status: "revoked",
      reason: "key_expired",
    });
  });

  it("10010 (IP mismatch) and 10005 (permission denied) prove the key exists", () => {
    expect(classify(401, '{"retCode":10010,"retMsg":"Unmatched IP, please check your API key\'s bound IP addresses.","result":{},"time":1}')).toMatchObject({
      status: "valid",
      reason: "ip_not_allowed",
    });
    expect(classify(200, '{"retCode":10005,"retMsg":"Permission denied, please check your API key permissions.","result":{},"time":1}', "/v5/user/delete-api")).toMatchObject({
      status: "valid",
      reason: "permission_denied",
    });
  });

  it("a wrong secret (10004) is ambiguous", () => {
    expect(classify(401, '{"retCode":10004,"retMsg":"error sign! origin_string[1700000000000key5000]","result":{},"time":1}')).toMatchObject({
      status: "ambiguous",
      reason: "bad_signature",
    });
  });

  it("rate limits (10006, a bare 403) and outages are unreachable", () => {
    expect(classify(200, '{"retCode":10006,"retMsg":"Too many visits!","result":{},"time":1}')).toMatchObject({ status: "unreachable", reason: "rate_limited" });
    expect(classify(403, "access too frequent")).toMatchObject({ status: "unreachable" });
    expect(classify(503, "")).toMatchObject({ status: "unreachable" });
  });
});

describe("generic", () => {
  it("never says revoked: an AuthenticationError can be an IP restriction, so it stays ambiguous, as do PermissionDenied and AccountSuspended", () => {
    expect(classifyGenericError(new ccxt.AuthenticationError("kraken EAPI:Invalid key"))).toMatchObject({ status: "ambiguous", reason: "unknown" });
    expect(classifyGenericError(new ccxt.AuthenticationError("kucoin 400006 IP not allowed")).status).toBe("ambiguous");
    expect(classifyGenericError(new ccxt.PermissionDenied("kraken EGeneral:Permission denied")).status).toBe("ambiguous");
    expect(classifyGenericError(new ccxt.AccountSuspended("x suspended")).status).toBe("ambiguous");
    expect(classifyGenericError(new ccxt.AuthenticationError('kucoin requires "password" credential')).status).toBe("ambiguous");
    expect(classifyGenericError(new ccxt.ExchangeNotAvailable("kraken down")).status).toBe("unreachable");
    expect(classifyGenericError(new ccxt.ExchangeError("kraken EOrder:Unknown order")).status).toBe("ambiguous");
  });
});

describe("the classification keeps none of ccxt's text", () => {
  const signedUrl = `http://127.0.0.1:4010/api/v3/myTrades?timestamp=1&apiKey=KEYINTHEURL&signature=${"ab".repeat(32)}`;

  it("says what was classified (class, HTTP status, exchange code), not the URL or the body", () => {
    for (const [status, body] of [
      [503, "<html>KEYINTHEURL down</html>"],
      [400, '{"code":-2015,"msg":"Invalid API-key KEYINTHEURL, IP, or permissions for action."}'],
      [429, '{"code":-1003,"msg":"Too many requests from KEYINTHEURL."}'],
    ] as const) {
      const error = ccxtErrorFor("binance", status, body, { url: signedUrl });
      expect(error.message, "ccxt's message has the URL or the body").toMatch(/signature=|KEYINTHEURL/);
      const classified = classifyBinanceError(error);
      expect(classified.message).not.toMatch(/KEYINTHEURL|signature|127\.0\.0\.1|msg/);
      const adapterError = new ExchangeAdapterError("binance", classified, { cause: error });
      expect(JSON.stringify({ ...adapterError, message: adapterError.message, stack: adapterError.stack })).not.toMatch(/KEYINTHEURL|signature=/);
      expect("cause" in adapterError).toBe(false);
    }
    expect(classifyBinanceError(ccxtErrorFor("binance", 503, "down", { url: signedUrl })).message).toBe("ExchangeNotAvailable, HTTP 503");
  });

  it("a 418 still reads as a ban to the pacer", () => {
    const classified = classifyBinanceError(ccxtErrorFor("binance", 418, '{"code":-1003,"msg":"Way too many requests; IP banned until 1796000000000."}', { url: signedUrl }));
    expect(classified).toMatchObject({ status: "unreachable", reason: "rate_limited", code: "-1003" });
    expect(classified.message).toMatch(/ban/i);
  });
});
