import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createHash, createHmac } from "node:crypto";
import type { ExchangeSim } from "@/lib/exchange-sim";
import { ExchangeAdapterError } from "@/lib/exchanges/errors";
import { createExchange } from "@/lib/exchanges/ccxt-client";
import { createKrakenAdapter, privateCall } from "@/lib/exchanges/kraken";
import type { ExchangeAdapter, ExportCursor, NormalizedTrade } from "@/lib/exchanges/types";
import { credentialsOf, expectSameTrades, exportAll, firstError, startSim } from "./harness";

const DAY = 86_400_000;
const TRADER = { read: true, spotTrade: true, marginTrade: false, futuresTrade: false, withdraw: false, transfer: false };
const RAW = { price: "price", amount: "vol", cost: "cost" };

/** A signed POST as Kraken defines it, sent by hand: what ccxt would send, with a chosen nonce. */
async function rawPost(origin: string, key: { apiKey: string; secret: string }, method: string, nonce: string): Promise<unknown> {
  const path = `/0/private/${method}`;
  const body = `nonce=${nonce}`;
  const digest = createHash("sha256").update(nonce + body).digest();
  const sign = createHmac("sha512", Buffer.from(key.secret, "base64")).update(Buffer.concat([Buffer.from(path), digest])).digest("base64");
  const response = await fetch(origin + path, { method: "POST", headers: { "API-Key": key.apiKey, "API-Sign": sign, "Content-Type": "application/x-www-form-urlencoded" }, body });
  expect(response.status).toBe(200);
  return response.json();
}

describe("Kraken adapter against the simulator, through ccxt's kraken class", () => {
  let sim: ExchangeSim;
  let env: Record<string, string>;
  let adapter: ExchangeAdapter;

  beforeAll(async () => {
    ({ sim, env } = await startSim());
    // no counter of MyITS's own: the simulator's is off too, and the tests stay fast
    adapter = createKrakenAdapter({ env, enableRateLimit: false }, { counter: null });
  });
  afterAll(async () => sim?.close());
  afterEach(() => {
    sim.clearFaults();
    sim.resetRateLimits();
  });

  it("describes a valid key from GetApiKeyInfo: permissions, IP allowlist, description, created and expiry", async () => {
    const createdAt = new Date("2026-02-03T04:05:06.000Z");
    const expiresAt = new Date("2027-01-02T03:04:05.000Z");
    const key = sim.createKey({ exchange: "kraken", label: "MyITS bot", permissions: { ...TRADER, withdraw: true }, ipWhitelist: ["127.0.0.1", "10.0.0.2"], createdAt, expiresAt });
    expect(key.apiKey).toMatch(/^[A-Za-z0-9+/]{56}$/);
    expect(Buffer.from(key.secret, "base64")).toHaveLength(64);
    const description = await adapter.describeKey(credentialsOf(key));
    expect(description).toMatchObject({
      status: "valid",
      permissions: { read: true, spotTrade: true, marginTrade: true, futuresTrade: false, withdraw: true, transfer: true, other: ["cancel-close-trades"] },
      ipRestricted: true,
      ipWhitelist: ["127.0.0.1", "10.0.0.2"],
      label: "MyITS bot",
      createdAt,
      expiresAt,
      permissionsKnown: true,
    });
    expect(description.status === "valid" && description.rawPermissions).toMatchObject({ permissions: expect.arrayContaining(["query-funds", "withdraw-funds"]), lastUsed: expect.any(String), queryFrom: null });
  });

  it("a query-only key open to any IP", async () => {
    const key = sim.createKey({ exchange: "kraken", permissions: { ...TRADER, spotTrade: false }, ipWhitelist: [] });
    expect(await adapter.describeKey(credentialsOf(key))).toMatchObject({
      status: "valid",
      ipRestricted: false,
      expiresAt: null,
      permissions: { read: true, spotTrade: false, marginTrade: false, withdraw: false, transfer: false, other: [] },
    });
  });

  it("a deleted key is revoked (EAPI:Invalid key, asked twice)", async () => {
    const key = sim.createKey({ exchange: "kraken", permissions: TRADER });
    sim.deleteKey("kraken", key.apiKey);
    sim.resetStats();
    expect(await adapter.describeKey(credentialsOf(key))).toMatchObject({ status: "revoked", reason: "key_not_found", code: "EAPI:Invalid key" });
    expect(sim.stats().byPath["/0/private/GetApiKeyInfo"]).toBe(2);
    expect(adapter.classifyRevocation(await firstError(adapter.exportHistory(credentialsOf(key), null)))).toBe("revoked");
  });

  it("a wrong secret is ambiguous (EAPI:Invalid signature), never revoked", async () => {
    const key = sim.createKey({ exchange: "kraken", permissions: TRADER });
    const wrong = Buffer.alloc(64, 7).toString("base64");
    expect(await adapter.describeKey({ ...credentialsOf(key), secret: wrong })).toMatchObject({ status: "ambiguous", reason: "bad_signature", code: "EAPI:Invalid signature" });
  });

  it("a key restricted to another IP still exists (EGeneral:Permission denied on GetApiKeyInfo, which needs no permission)", async () => {
    const key = sim.createKey({ exchange: "kraken", permissions: TRADER, ipWhitelist: ["127.0.0.1"] });
    sim.restrictKey("kraken", key.apiKey, { ipWhitelist: ["203.0.113.7"] });
    expect(await adapter.describeKey(credentialsOf(key))).toMatchObject({ status: "ambiguous", reason: "ip_not_allowed", code: "EGeneral:Permission denied", keyExists: true });
    expect(adapter.classifyRevocation(await firstError(adapter.exportHistory(credentialsOf(key), null)))).toBe("valid");
  });

  it("a key without the query permissions still describes itself, and its export is refused without calling it deleted", async () => {
    const key = sim.createKey({ exchange: "kraken", permissions: TRADER });
    sim.restrictKey("kraken", key.apiKey, { permissions: { read: false } });
    expect(await adapter.describeKey(credentialsOf(key))).toMatchObject({ status: "valid", permissions: { read: false, spotTrade: true } });
    const error = await firstError(adapter.exportHistory(credentialsOf(key), null));
    expect(adapter.classifyError(error)).toMatchObject({ status: "valid", reason: "permission_denied", code: "EGeneral:Permission denied" });
  });

  it("refuses a nonce that is not above the key's last one (EAPI:Invalid nonce), which says nothing about the key", async () => {
    const key = sim.createKey({ exchange: "kraken", permissions: TRADER });
    // another client of the same key signs with a clock a minute ahead
    const ahead = String(Date.now() + 60_000);
    expect(await rawPost(sim.origin, key, "Balance", ahead)).toMatchObject({ error: [] });
    expect(await rawPost(sim.origin, key, "Balance", ahead)).toEqual({ error: ["EAPI:Invalid nonce"], result: {} });
    // MyITS's nonces (the clock) are now behind: asked again once, still refused, and never "revoked"
    sim.resetStats();
    expect(await adapter.describeKey(credentialsOf(key))).toMatchObject({ status: "unreachable", reason: "clock_skew" });
    expect(sim.stats().byPath["/0/private/GetApiKeyInfo"]).toBe(2);
  });

  it("concurrent calls on one key, from several ccxt instances, never reuse or reorder a nonce", async () => {
    const key = sim.createKey({ exchange: "kraken", permissions: TRADER });
    const credentials = credentialsOf(key);
    // each describeKey is its own ccxt instance; all of them in the same milliseconds
    const answers = await Promise.all(Array.from({ length: 16 }, () => adapter.describeKey(credentials)));
    expect(answers.map((a) => a.status)).toEqual(Array(16).fill("valid"));
    const instances = Array.from({ length: 4 }, () => createExchange("kraken", credentials, { env, enableRateLimit: false }));
    const balances = await Promise.all(
      Array.from({ length: 12 }, (_, i) => {
        const exchange = instances[i % 4]!;
        return privateCall({ exchange, apiKey: key.apiKey, cost: 1, limit: null }, () => exchange.privatePostBalance());
      }),
    );
    // the simulator refuses any nonce not above the key's last: every call went through
    expect(balances.map((b) => (b as { error: unknown[] }).error)).toEqual(Array(12).fill([]));
  });

  it("Kraken's rate-limit counter: refused over the limit (unreachable), and MyITS's own counter keeps under it", async () => {
    const limited = await startSim({ kraken: { max: 3, decayPerSecond: 10 } });
    try {
      const key = limited.sim.createKey({ exchange: "kraken", permissions: TRADER, trades: { count: 260, markets: 2 } });
      const careless = createKrakenAdapter({ env: limited.env, enableRateLimit: false }, { counter: null });
      // TradesHistory costs 2: the second page in a row is over a counter of 3
      const error = await firstError(careless.exportHistory(credentialsOf(key), null));
      expect(careless.classifyError(error)).toMatchObject({ status: "unreachable", reason: "rate_limited", code: "EAPI:Rate limit exceeded" });
      limited.sim.resetRateLimits();
      // the same counter kept by the adapter: it waits instead, and reads every trade
      const careful = createKrakenAdapter({ env: limited.env, enableRateLimit: false }, { counter: { max: 3, decayPerSecond: 10 } });
      const { trades } = await exportAll(careful, credentialsOf(key));
      expectSameTrades(trades, limited.sim.trades("kraken", key.apiKey), RAW);
    } finally {
      await limited.sim.close();
    }
  });

  it("5xx, 429, timeouts and malformed bodies are unreachable", async () => {
    const key = sim.createKey({ exchange: "kraken", permissions: TRADER });
    const credentials = credentialsOf(key);
    sim.setFault({ exchange: "kraken", kind: "error", status: 429, count: 1 });
    expect(await adapter.describeKey(credentials)).toMatchObject({ status: "unreachable", reason: "rate_limited" });
    sim.setFault({ exchange: "kraken", kind: "error", status: 503, count: 1 });
    expect(await adapter.describeKey(credentials)).toMatchObject({ status: "unreachable", reason: "exchange_unavailable" });
    sim.setFault({ exchange: "kraken", kind: "malformed", count: 1 });
    expect(await adapter.describeKey(credentials)).toMatchObject({ status: "unreachable", reason: "malformed_response" });
    sim.setFault({ exchange: "kraken", kind: "timeout", ms: 3000, count: 1 });
    expect(await createKrakenAdapter({ env, timeoutMs: 300 }, { counter: null }).describeKey(credentials)).toMatchObject({ status: "unreachable", reason: "timeout" });
    expect(await adapter.describeKey(credentials)).toMatchObject({ status: "valid" });
  });

  it("exports spot and margin trades value by value, over TradesHistory's 50-trade pages, then only newer ones", async () => {
    const key = sim.createKey({
      exchange: "kraken",
      permissions: { ...TRADER, marginTrade: true },
      trades: {
        count: 1500,
        markets: 4,
        seed: 11,
        startTime: new Date(Date.now() - 300 * DAY),
        // the export reads up to a second before it starts; the next run reads on from there
        endTime: new Date(Date.now() - 5_000),
        products: { spot: { count: 1500, markets: 4 }, margin: { count: 300, markets: 2 } },
      },
    });
    const { pages, trades, cursor } = await exportAll(adapter, credentialsOf(key));
    expect(pages.filter((p) => p.trades.length === 50).length).toBeGreaterThan(30);
    expect(pages.at(-1)?.done).toBe(true);
    for (const product of ["spot", "margin"] as const) {
      const truth = sim.trades("kraken", key.apiKey, { product });
      expect(truth.length).toBeGreaterThan(0);
      expectSameTrades(
        trades.filter((t) => t.product === product),
        truth,
        RAW,
      );
    }
    expect(trades.find((t) => t.product === "spot")).toMatchObject({ symbol: expect.stringMatching(/^[A-Z]+\/[A-Z]+$/), effects: expect.any(Object) });
    expect(trades.find((t) => t.product === "margin")?.effects).toEqual({});
    const notes = pages.flatMap((p) => p.notes ?? []);
    expect(notes.filter((n) => n.kind === "unavailable").map((n) => n.part).sort()).toEqual(["coinm", "income", "usdm"]);
    const again = await exportAll(adapter, credentialsOf(key), cursor);
    expect(again.trades).toEqual([]);
  });

  it("resumes from any page's cursor without losing or repeating a trade", async () => {
    const key = sim.createKey({ exchange: "kraken", permissions: TRADER, trades: { count: 430, markets: 3, seed: 4, startTime: new Date(Date.now() - 40 * DAY), endTime: new Date(Date.now() - 5_000) } });
    const truth = sim.trades("kraken", key.apiKey);
    const collected: NormalizedTrade[] = [];
    let cursor: ExportCursor | null = null;
    for (let run = 0; run < 50; run++) {
      let finished = false;
      for await (const page of adapter.exportHistory(credentialsOf(key), cursor)) {
        collected.push(...page.trades);
        cursor = page.nextCursor;
        finished = page.done;
        break;
      }
      if (finished) break;
    }
    expectSameTrades(collected, truth, RAW);
  });

  it("turns an export failure into a typed error", async () => {
    const key = sim.createKey({ exchange: "kraken", permissions: TRADER, trades: { count: 50, markets: 1 } });
    sim.setFault({ exchange: "kraken", pathPrefix: "/0/private/TradesHistory", kind: "error", status: 503 });
    const error = await firstError(adapter.exportHistory(credentialsOf(key), null));
    expect(error).toBeInstanceOf(ExchangeAdapterError);
    expect((error as ExchangeAdapterError).classified.status).toBe("unreachable");
  });
});
