import { describe, expect, it } from "vitest";
import { ExchangeError, AuthenticationError } from "ccxt";
import { classifyKucoinError, kucoinPermissions, withKucoinReset } from "@/lib/exchanges/kucoin";

// KuCoin's error table: only "the key does not exist" (400003) is a revocation.
const answer = (code: string, msg: string) => new AuthenticationError(`kucoin {"code":"${code}","msg":"${msg}"}`);

describe("KuCoin error table", () => {
  it("calls only 400003 revoked; an IP restriction or a missing permission proves the key exists", () => {
    expect(classifyKucoinError(answer("400003", "KC-API-KEY not exists"))).toMatchObject({ status: "revoked", reason: "key_not_found", code: "400003" });
    expect(classifyKucoinError(answer("400006", "Invalid request ip"))).toMatchObject({ status: "valid", reason: "ip_not_allowed" });
    expect(classifyKucoinError(answer("400007", "Access Denied"))).toMatchObject({ status: "valid", reason: "permission_denied" });
    expect(classifyKucoinError(answer("400005", "Signature error"))).toMatchObject({ status: "ambiguous", reason: "bad_signature" });
    expect(classifyKucoinError(answer("400004", "Invalid KC-API-PASSPHRASE"))).toMatchObject({ status: "ambiguous", reason: "bad_passphrase" });
    expect(classifyKucoinError(new ExchangeError('kucoin {"code":"429000","msg":"Too Many Requests"}'))).toMatchObject({ status: "unreachable", reason: "rate_limited" });
    expect(classifyKucoinError(answer("400002", "KC-API-TIMESTAMP Invalid"))).toMatchObject({ status: "unreachable", reason: "clock_skew" });
    // an authentication failure KuCoin did not document here is not a revocation either
    expect(classifyKucoinError(answer("400009", "something new")).status).toBe("ambiguous");
  });

  it("reads KuCoin's permission words", () => {
    expect(kucoinPermissions("General,Spot,Margin,Futures,InnerTransfer,Withdrawal,Earn")).toEqual({
      read: true,
      spotTrade: true,
      marginTrade: true,
      futuresTrade: true,
      withdraw: true,
      transfer: true,
      other: ["Earn"],
    });
    expect(kucoinPermissions("General")).toMatchObject({ read: true, spotTrade: false, withdraw: false, transfer: false, other: [] });
  });
});

describe("KuCoin's rate-limit reset", () => {
  it("becomes the pacer's retry time when KuCoin answers 429000 (gw-ratelimit-reset, ms)", () => {
    const seen: Array<number | undefined> = [];
    const pacer = withKucoinReset({ beforeRequest: async () => {}, afterResponse: (_r, o) => void seen.push(o.error?.retryAfterMs) })!;
    const request = { exchange: "kucoin", endpoint: "hf/fills", weight: 2 };
    pacer.afterResponse(request, { headers: { "gw-ratelimit-reset": "12500" }, error: { status: "unreachable", reason: "rate_limited", message: "x" } });
    pacer.afterResponse(request, { headers: { "gw-ratelimit-reset": "12500" }, error: { status: "unreachable", reason: "rate_limited", message: "x", retryAfterMs: 40 } });
    expect(seen).toEqual([12500, 40]);
  });
});
