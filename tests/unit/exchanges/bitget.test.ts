import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { AuthenticationError, ExchangeError, PermissionDenied, DDoSProtection } from "ccxt";
import { StepIllustration } from "@/components/unbind/illustrations/step-illustration";
import {
  BITGET_PER_SECOND,
  bitgetPermissions,
  classifyBitgetError,
  normalizeBitgetMixFill,
  normalizeBitgetSpotFill,
  parseBitgetCursor,
  withBitgetLimits,
} from "@/lib/exchanges/bitget";
import { ExchangeAdapterError } from "@/lib/exchanges/errors";
import { getAdapter } from "@/lib/exchanges/registry";
import type { PacedRequest } from "@/lib/exchanges/types";

// Bitget's error table: only "the key does not exist" (40037) and "Invalid ACCESS_KEY" (40006)
// are revocations. ccxt appends Bitget's body to its message, as these do.
const answer = (Class: typeof ExchangeError, code: string, msg: string) => new Class(`bitget {"code":"${code}","msg":"${msg}","requestTime":1764620000000,"data":null}`);

describe("Bitget error table", () => {
  it("calls only 40037 and 40006 revoked; an IP binding or a missing permission proves the key exists", () => {
    expect(classifyBitgetError(answer(AuthenticationError, "40037", "Apikey does not exist"))).toMatchObject({ status: "revoked", reason: "key_not_found", code: "40037" });
    expect(classifyBitgetError(answer(AuthenticationError, "40006", "Invalid ACCESS_KEY"))).toMatchObject({ status: "revoked", reason: "key_not_found", code: "40006" });
    expect(classifyBitgetError(answer(PermissionDenied, "40018", "Invalid IP"))).toMatchObject({ status: "valid", reason: "ip_not_allowed" });
    expect(classifyBitgetError(answer(PermissionDenied, "40014", "Incorrect permissions"))).toMatchObject({ status: "valid", reason: "permission_denied" });
    expect(classifyBitgetError(answer(AuthenticationError, "40009", "sign signature error"))).toMatchObject({ status: "ambiguous", reason: "bad_signature" });
    expect(classifyBitgetError(answer(AuthenticationError, "40012", "apikey/password is incorrect"))).toMatchObject({ status: "ambiguous", reason: "bad_passphrase" });
    expect(classifyBitgetError(answer(ExchangeError, "40013", "User status is abnormal"))).toMatchObject({ status: "ambiguous", reason: "key_frozen" });
    expect(classifyBitgetError(answer(DDoSProtection, "429", "Too Many Requests"))).toMatchObject({ status: "unreachable", reason: "rate_limited" });
    expect(classifyBitgetError(answer(AuthenticationError, "40008", "Request timestamp expired"))).toMatchObject({ status: "unreachable", reason: "clock_skew" });
    // an authentication failure Bitget did not document here is not a revocation either
    expect(classifyBitgetError(answer(AuthenticationError, "40099", "something new")).status).toBe("ambiguous");
    // nothing Bitget wrote is kept in the message
    expect(classifyBitgetError(answer(AuthenticationError, "40037", "Apikey does not exist")).message).not.toMatch(/Apikey/);
  });

  it("reads Bitget's authority codes, read-only and read-and-write per area", () => {
    expect(bitgetPermissions(["stow", "smor", "coor", "cpow", "wtow", "wwow", "taxr", "p2pr"])).toEqual({
      read: true,
      spotTrade: true,
      marginTrade: false,
      futuresTrade: true,
      withdraw: true,
      transfer: true,
      other: ["p2pr", "taxr"],
    });
    expect(bitgetPermissions(["stor", "coor"])).toMatchObject({ read: true, spotTrade: false, futuresTrade: false, withdraw: false, transfer: false, other: [] });
    // the words of keys from before the per-area authorities
    expect(bitgetPermissions(["readonly", "trade"])).toMatchObject({ read: true, spotTrade: true, marginTrade: true, futuresTrade: true, withdraw: false });
    expect(bitgetPermissions([])).toMatchObject({ read: false });
  });
});

describe("Bitget records", () => {
  const spotFill = {
    userId: "1234567890",
    symbol: "BTCUSDT",
    orderId: "1200000000000000001",
    tradeId: "1103122437840805890",
    orderType: "market",
    side: "buy",
    priceAvg: "13000",
    size: "0.0007",
    amount: "9.1",
    feeDetail: { deduction: "no", feeCoin: "BTC", totalDeductionFee: "", totalFee: "-0.0000007" },
    tradeScope: "taker",
    cTime: "1695865232579",
    uTime: "1695865233027",
  };

  it("a spot fill: the coin bought arrives less its fee, the quote leaves; ids stay strings", () => {
    const trade = normalizeBitgetSpotFill(spotFill, { base: "BTC", quote: "USDT" });
    expect(trade).toMatchObject({
      id: "1103122437840805890",
      product: "spot",
      market: "BTCUSDT",
      symbol: "BTC/USDT",
      side: "buy",
      timestamp: 1695865232579,
      price: "13000",
      amount: "0.0007",
      cost: "9.1",
      fee: { cost: "0.0000007", currency: "BTC" },
      maker: false,
      exact: true,
      effects: { BTC: "0.0006993", USDT: "-9.1" },
    });
    expect(() => normalizeBitgetSpotFill({ ...spotFill, priceAvg: 13000 }, null)).toThrow(ExchangeAdapterError);
  });

  it("a futures fill books its realised profit and its fee in the margin coin, nothing else", () => {
    const fill = {
      tradeId: "1103122437840805891",
      symbol: "BTCUSD",
      orderId: "1103122437760503816",
      price: "60000",
      baseVolume: "0.02",
      feeDetail: [{ deduction: "no", feeCoin: "BTC", totalDeductionFee: "0", totalFee: "-0.000012" }],
      side: "sell",
      quoteVolume: "1200",
      profit: "0.0003",
      tradeSide: "close",
      tradeScope: "maker",
      cTime: "1699267238892",
    };
    expect(normalizeBitgetMixFill(fill, "COIN-FUTURES")).toMatchObject({
      product: "coinm",
      symbol: "BTC/USD:BTC",
      fee: { cost: "0.000012", currency: "BTC" },
      maker: true,
      effects: { BTC: "0.000288" },
    });
    const linear = normalizeBitgetMixFill({ ...fill, symbol: "ETHUSDT", feeDetail: [{ feeCoin: "USDT", totalFee: "-0.72" }], profit: "-3.5" }, "USDT-FUTURES");
    expect(linear).toMatchObject({ product: "usdm", symbol: "ETH/USDT:USDT", effects: { USDT: "-4.22" } });
  });

  it("refuses a cursor that is not Bitget's", () => {
    expect(parseBitgetCursor(null)).toEqual({ exchange: "bitget", version: 1, through: null, run: null });
    expect(() => parseBitgetCursor({ exchange: "gate", version: 1 })).toThrow(ExchangeAdapterError);
  });
});

describe("Bitget's per-endpoint frequency limits", () => {
  it("hold an endpoint to its figure per second, after the shared pacer let the request through", async () => {
    let now = 10_500;
    const slept: number[] = [];
    const clock = { now: () => now, sleep: async (ms: number) => void (slept.push(ms), (now += ms)) };
    const order: string[] = [];
    const shared = { beforeRequest: async (r: PacedRequest) => void order.push(r.endpoint), afterResponse: () => {} };
    const pacer = withBitgetLimits(shared, clock)!;
    const request = (endpoint: string): PacedRequest => ({ exchange: "bitget", endpoint, weight: 1 });
    expect(BITGET_PER_SECOND).toMatchObject({ "spot/account/info": 1, "spot/trade/fills": 10, "mix/order/fill-history": 10 });
    const first = request("spot/account/info");
    await pacer.beforeRequest(first);
    pacer.afterResponse(first, { headers: {} });
    // the second account/info of the second waits for the next one (and its 20 ms guard)
    await pacer.beforeRequest(request("spot/account/info"));
    expect(slept).toEqual([520]);
    // fills have a pool of their own: nine in a second (one of Bitget's ten held back for a
    // request that arrives in the next second), the tenth in the next
    for (let i = 0; i < 9; i++) {
      const fills = request("spot/trade/fills");
      await pacer.beforeRequest(fills);
      pacer.afterResponse(fills, { headers: {} });
    }
    expect(slept).toEqual([520]);
    await pacer.beforeRequest(request("spot/trade/fills"));
    expect(slept).toEqual([520, 1000]);
    expect(order).toEqual(["spot/account/info", "spot/account/info", ...Array(10).fill("spot/trade/fills")]);
    expect(withBitgetLimits(undefined)).toBeUndefined();
  });
});

describe("Bitget's guide", () => {
  it("walks the seven steps on Bitget's own API Management page and draws each one", () => {
    const guide = getAdapter("bitget").guide;
    expect(guide).toMatchObject({ exchangeId: "bitget", displayName: "Bitget", apiManagementUrl: "https://www.bitget.com/account/newapi", selfRevoke: null });
    expect(guide.steps.map((s) => s.id)).toEqual(["login", "open-api-management", "find-key-list", "locate-key", "delete", "verify", "confirm"]);
    expect(guide.steps.at(-1)?.instructions).toMatch(/stored key/);
    for (const step of guide.steps) {
      const html = renderToStaticMarkup(createElement(StepIllustration, { look: guide.look, stepId: step.id, keyInfo: { label: "MyITS bot", maskedKey: "bg_1…cdef", createdAt: null } }));
      expect(html).toMatch(/not a screenshot/);
      // Bitget's own pages, drawn; the last step draws MyITS asking Bitget
      if (step.id !== "confirm") expect(html).toMatch(/Drawing of Bitget(&#x27;|')s [^"<]*not a screenshot/);
      else expect(html).toContain("MyITS checks with Bitget");
    }
  });
});
