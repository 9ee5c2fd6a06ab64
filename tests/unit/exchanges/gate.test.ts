import { describe, expect, it } from "vitest";
import { AuthenticationError, PermissionDenied, RateLimitExceeded } from "ccxt";
import { classifyGateError, gatePermissions, withGateReset } from "@/lib/exchanges/gate";

// Gate's error table, read from the `label` in Gate's body: only INVALID_KEY is a revocation.
const answer = (Class: typeof AuthenticationError, label: string, message: string) => new Class(`gate {"label":"${label}","message":"${message}"}`);

describe("Gate error table", () => {
  it("calls only INVALID_KEY revoked; an IP whitelist or a missing permission proves the key exists", () => {
    expect(classifyGateError(answer(AuthenticationError, "INVALID_KEY", "Invalid key provided"))).toMatchObject({ status: "revoked", reason: "key_not_found", code: "INVALID_KEY" });
    expect(classifyGateError(answer(AuthenticationError, "IP_FORBIDDEN", "Request IP not in whitelist: 1.2.3.4"))).toMatchObject({ status: "valid", reason: "ip_not_allowed" });
    expect(classifyGateError(answer(PermissionDenied, "FORBIDDEN", "no permission"))).toMatchObject({ status: "valid", reason: "permission_denied" });
    expect(classifyGateError(answer(PermissionDenied, "READ_ONLY", "API key is read only"))).toMatchObject({ status: "valid", reason: "permission_denied" });
    expect(classifyGateError(answer(AuthenticationError, "INVALID_SIGNATURE", "Signature mismatch"))).toMatchObject({ status: "ambiguous", reason: "bad_signature" });
    expect(classifyGateError(answer(RateLimitExceeded, "TOO_MANY_REQUESTS", "Request Rate limit Exceeded"))).toMatchObject({ status: "unreachable", reason: "rate_limited" });
    expect(classifyGateError(answer(AuthenticationError, "SOMETHING_NEW", "?")).status).toBe("ambiguous");
  });

  it("reads Gate's perms and key state", () => {
    expect(gatePermissions([{ name: "spot", read_only: false }, { name: "wallet", read_only: true }, { name: "earn", read_only: true }], 2)).toEqual({
      read: true,
      spotTrade: true,
      marginTrade: false,
      futuresTrade: false,
      withdraw: false,
      transfer: false,
      other: ["earn:read", "state:locked"],
    });
  });
});

describe("Gate's rate-limit reset", () => {
  it("becomes the pacer's retry time when Gate answers TOO_MANY_REQUESTS", () => {
    const seen: Array<number | undefined> = [];
    const pacer = withGateReset({ beforeRequest: async () => {}, afterResponse: (_r, o) => void seen.push(o.error?.retryAfterMs) }, () => 1_000_000)!;
    const request = { exchange: "gate", endpoint: "spot/my_trades", weight: 1 };
    pacer.afterResponse(request, { headers: { "x-gate-ratelimit-reset-timestamp": "1003" }, error: { status: "unreachable", reason: "rate_limited", message: "x" } });
    pacer.afterResponse(request, { headers: {} });
    expect(seen).toEqual([3000, undefined]);
  });
});
