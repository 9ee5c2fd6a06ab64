import { describe, expect, it } from "vitest";
import { AuthenticationError, DDoSProtection, ExchangeError, InvalidNonce, PermissionDenied } from "ccxt";
import { classifyKrakenError, KeyGate, krakenMillis, krakenNotes, krakenPermissions, krakenSeconds, normalizeKrakenTrade, STARTER_LIMIT, withKrakenRetry } from "@/lib/exchanges/kraken";

// Kraken's error table, read from the strings in Kraken's `error` list: only EAPI:Invalid key is a revocation.
const answer = (Class: typeof ExchangeError, error: string) => new Class(`kraken {"error":["${error}"],"result":{}}`);

describe("Kraken error table", () => {
  it("calls only EAPI:Invalid key revoked; a permission refusal proves the key exists; the rest says nothing about it", () => {
    expect(classifyKrakenError(answer(AuthenticationError, "EAPI:Invalid key"))).toMatchObject({ status: "revoked", reason: "key_not_found", code: "EAPI:Invalid key" });
    expect(classifyKrakenError(answer(PermissionDenied, "EGeneral:Permission denied"))).toMatchObject({ status: "valid", reason: "permission_denied" });
    expect(classifyKrakenError(answer(ExchangeError, "EAPI:Invalid signature"))).toMatchObject({ status: "ambiguous", reason: "bad_signature" });
    expect(classifyKrakenError(answer(InvalidNonce, "EAPI:Invalid nonce"))).toMatchObject({ status: "unreachable", reason: "clock_skew" });
    expect(classifyKrakenError(answer(DDoSProtection, "EAPI:Rate limit exceeded"))).toMatchObject({ status: "unreachable", reason: "rate_limited" });
    expect(classifyKrakenError(answer(DDoSProtection, "EGeneral:Temporary lockout"))).toMatchObject({ status: "unreachable", reason: "rate_limited" });
    expect(classifyKrakenError(answer(ExchangeError, "EService:Unavailable"))).toMatchObject({ status: "unreachable", reason: "exchange_unavailable" });
    expect(classifyKrakenError(answer(ExchangeError, "EGeneral:Invalid arguments:ofs"))).toMatchObject({ status: "ambiguous", reason: "configuration", code: "EGeneral:Invalid arguments" });
    // an unknown authentication failure, or a string that merely starts like a known one, proves nothing
    expect(classifyKrakenError(answer(AuthenticationError, "EAPI:Invalid keys please")).status).toBe("ambiguous");
    expect(classifyKrakenError(answer(AuthenticationError, "ESomething:New")).status).toBe("ambiguous");
  });

  it("keeps none of ccxt's text in its message", () => {
    const classified = classifyKrakenError(new AuthenticationError(`kraken POST http://x/0/private/Balance API-Sign=SECRETSIGN {"error":["EAPI:Invalid key"],"result":{}}`));
    expect(classified.message).not.toContain("SECRETSIGN");
  });
});

describe("Kraken key facts", () => {
  it("reads GetApiKeyInfo's permission names", () => {
    expect(krakenPermissions(["query-funds", "query-closed-trades", "deposit-funds", "export-data"])).toEqual({
      read: true,
      spotTrade: false,
      marginTrade: false,
      futuresTrade: false,
      withdraw: false,
      transfer: false,
      other: ["deposit-funds", "export-data"],
    });
    expect(krakenPermissions(["modify-trades", "withdraw-funds"])).toMatchObject({ read: false, spotTrade: true, marginTrade: true, withdraw: true, transfer: true, other: [] });
  });

  it("notes what the export cannot hold, and a key's query window", () => {
    const parts = (n: ReturnType<typeof krakenNotes>) => n.map((x) => `${x.kind}:${x.part}`).sort();
    expect(parts(krakenNotes(null, 0))).toEqual(["unavailable:coinm", "unavailable:income", "unavailable:usdm"]);
    const notes = krakenNotes({ queryFrom: 1_700_000_000, queryTo: 1_750_000_000 }, 1_800_000_000_000);
    expect(notes.filter((n) => n.kind === "retention")).toEqual([
      expect.objectContaining({ part: "spot", availableFrom: 1_700_000_000_000 }),
      expect.objectContaining({ part: "margin", availableFrom: 1_700_000_000_000 }),
    ]);
    expect(notes.filter((n) => n.kind === "failed").map((n) => n.kind === "failed" && [n.part, n.from, n.to])).toEqual([
      ["spot", 1_750_000_000_000, 1_800_000_000_000],
      ["margin", 1_750_000_000_000, 1_800_000_000_000],
    ]);
  });
});

describe("Kraken trades", () => {
  const pairs = new Map([["XXBTZUSD", { base: "BTC", quote: "USD" }]]);
  const spot = { ordertxid: "OQCLML-BW3P3-BUCMWZ", postxid: "TKH2SE-M7IF5-CFI7LT", pair: "XXBTZUSD", time: 1710429248.3052, type: "buy", ordertype: "limit", price: "72026.50000", cost: "7.20265", fee: "0.01873", vol: "0.00010000", margin: "0.00000", misc: "", maker: true };

  it("keeps Kraken's strings and reads its times to the millisecond", () => {
    expect(krakenMillis(1710429248.3052)).toBe(1710429248305);
    expect(krakenMillis(1710429248.3)).toBe(1710429248300);
    expect(krakenMillis(1710429248)).toBe(1710429248000);
    expect(krakenSeconds(1710429248305)).toBe("1710429248.305");
    expect(krakenSeconds(1710429248005)).toBe("1710429248.005");
    expect(normalizeKrakenTrade("TID1", spot, pairs)).toMatchObject({
      id: "TID1",
      product: "spot",
      market: "XXBTZUSD",
      symbol: "BTC/USD",
      timestamp: 1710429248305,
      price: "72026.50000",
      amount: "0.00010000",
      cost: "7.20265",
      fee: { cost: "0.01873", currency: "USD" },
      maker: true,
      effects: { BTC: "0.0001", USD: "-7.22138" },
    });
  });

  it("a margin trade (margin, leverage) books no spot balance; a malformed one is refused", () => {
    expect(normalizeKrakenTrade("TID2", { ...spot, margin: "1.44053", leverage: "5" }, pairs)).toMatchObject({ product: "margin", effects: {} });
    expect(() => normalizeKrakenTrade("TID3", { ...spot, vol: 0.0001 }, pairs)).toThrow();
  });
});

describe("Kraken's per-key gate", () => {
  it("hands out nonces above the clock and above every earlier one", () => {
    const gate = new KeyGate();
    expect([gate.nextNonce(1000), gate.nextNonce(1000), gate.nextNonce(999), gate.nextNonce(2000)]).toEqual([1000, 1001, 1002, 2000]);
  });

  it("runs one call at a time, in order, even when one fails", async () => {
    const gate = new KeyGate();
    const log: string[] = [];
    let release!: () => void;
    const first = gate.run(() => new Promise<void>((resolve) => (release = () => (log.push("first"), resolve()))));
    const second = gate.run(async () => {
      log.push("second");
      throw new Error("refused");
    });
    const third = gate.run(async () => void log.push("third"));
    await Promise.resolve();
    expect(log).toEqual([]);
    release();
    await first;
    await expect(second).rejects.toThrow("refused");
    await third;
    expect(log).toEqual(["first", "second", "third"]);
  });

  it("models Kraken's decaying counter", () => {
    const gate = new KeyGate();
    for (let i = 0; i < 7; i++) gate.spend(2, STARTER_LIMIT, 0);
    expect(gate.waitMs(1, STARTER_LIMIT, 0)).toBe(0);
    gate.spend(1, STARTER_LIMIT, 0);
    // full at 15: a call of 2 waits until 2 have decayed at 0.33 a second
    expect(gate.waitMs(2, STARTER_LIMIT, 0)).toBe(Math.ceil((2 / 0.33) * 1000));
    expect(gate.waitMs(2, STARTER_LIMIT, 7000)).toBe(0);
    gate.fill(STARTER_LIMIT, 10_000);
    expect(gate.waitMs(1, STARTER_LIMIT, 10_000)).toBeGreaterThan(0);
  });

  it("gives the pacer a retry time after Kraken's rate-limit refusal, which carries none", () => {
    const seen: Array<number | undefined> = [];
    const pacer = withKrakenRetry({ beforeRequest: async () => {}, afterResponse: (_r, o) => void seen.push(o.error?.retryAfterMs) })!;
    const request = { exchange: "kraken", endpoint: "TradesHistory", weight: 2 };
    pacer.afterResponse(request, { headers: {}, error: { status: "unreachable", reason: "rate_limited", message: "x" } });
    pacer.afterResponse(request, { headers: {} });
    expect(seen).toEqual([Math.ceil((2 / 0.33) * 1000), undefined]);
  });
});
