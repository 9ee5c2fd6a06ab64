import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { ExchangeSim } from "@/lib/exchange-sim";
import { ExchangeAdapterError } from "@/lib/exchanges/errors";
import { createGateAdapter } from "@/lib/exchanges/gate";
import type { ExchangeAdapter, ExportCursor, NormalizedTrade } from "@/lib/exchanges/types";
import { credentialsOf, expectSameTrades, exportAll, firstError, startSim } from "./harness";

const DAY = 86_400_000;
const TRADER = { read: true, spotTrade: true, marginTrade: false, futuresTrade: false, withdraw: false, transfer: false };
const RAW = { price: "price", amount: "amount", cost: "deal" };

describe("Gate adapter against the simulator, through ccxt's gate class", () => {
  let sim: ExchangeSim;
  let env: Record<string, string>;
  let adapter: ExchangeAdapter;

  beforeAll(async () => {
    ({ sim, env } = await startSim());
    adapter = createGateAdapter({ env, enableRateLimit: false });
  });
  afterAll(async () => sim?.close());
  afterEach(() => {
    sim.clearFaults();
    sim.resetRateLimits();
  });

  it("describes a valid key from GET /api/v4/account/main_keys: perms, IP whitelist, state, remark, dates", async () => {
    const createdAt = new Date("2026-02-03T04:05:06.000Z");
    const key = sim.createKey({ exchange: "gate", label: "MyITS bot", permissions: { ...TRADER, marginTrade: true, withdraw: true }, ipWhitelist: ["127.0.0.1", "10.0.0.2"], createdAt });
    expect(key.apiKey).toMatch(/^[0-9a-f]{32}$/);
    const description = await adapter.describeKey(credentialsOf(key));
    expect(description).toMatchObject({
      status: "valid",
      permissions: { read: true, spotTrade: true, marginTrade: true, futuresTrade: false, withdraw: true, transfer: true, other: [] },
      ipRestricted: true,
      ipWhitelist: ["127.0.0.1", "10.0.0.2"],
      label: "MyITS bot",
      createdAt,
      permissionsKnown: true,
    });
    expect(description.status === "valid" && description.rawPermissions).toMatchObject({ state: 1, lastAccess: expect.any(String) });
  });

  it("a read-only key open to any IP", async () => {
    const key = sim.createKey({ exchange: "gate", permissions: { ...TRADER, spotTrade: false }, ipWhitelist: [] });
    expect(await adapter.describeKey(credentialsOf(key))).toMatchObject({
      status: "valid",
      ipRestricted: false,
      permissions: { read: true, spotTrade: false, marginTrade: false, withdraw: false, transfer: false },
    });
  });

  it("a deleted key is revoked (INVALID_KEY)", async () => {
    const key = sim.createKey({ exchange: "gate", permissions: TRADER });
    sim.deleteKey("gate", key.apiKey);
    expect(await adapter.describeKey(credentialsOf(key))).toMatchObject({ status: "revoked", reason: "key_not_found", code: "INVALID_KEY" });
    expect(adapter.classifyRevocation(await firstError(adapter.exportHistory(credentialsOf(key), null)))).toBe("revoked");
  });

  it("a wrong secret is ambiguous (INVALID_SIGNATURE), never revoked", async () => {
    const key = sim.createKey({ exchange: "gate", permissions: TRADER });
    expect(await adapter.describeKey({ ...credentialsOf(key), secret: `${key.secret.slice(0, -4)}beef` })).toMatchObject({ status: "ambiguous", reason: "bad_signature", code: "INVALID_SIGNATURE" });
  });

  it("a key restricted to another IP still exists (IP_FORBIDDEN)", async () => {
    const key = sim.createKey({ exchange: "gate", permissions: TRADER, ipWhitelist: ["127.0.0.1"] });
    sim.restrictKey("gate", key.apiKey, { ipWhitelist: ["203.0.113.7"] });
    expect(await adapter.describeKey(credentialsOf(key))).toMatchObject({ status: "ambiguous", reason: "ip_not_allowed", code: "IP_FORBIDDEN", keyExists: true });
    expect(adapter.classifyRevocation(await firstError(adapter.exportHistory(credentialsOf(key), null)))).toBe("valid");
  });

  it("a key without the permission still exists (FORBIDDEN)", async () => {
    const key = sim.createKey({ exchange: "gate", permissions: TRADER });
    sim.restrictKey("gate", key.apiKey, { permissions: { read: false } });
    expect(await adapter.describeKey(credentialsOf(key))).toMatchObject({ status: "ambiguous", reason: "permission_denied", code: "FORBIDDEN", keyExists: true });
  });

  it("Gate's own rate limit (TOO_MANY_REQUESTS), 5xx, timeouts and malformed bodies are unreachable", async () => {
    const limited = await startSim({ gate: { requestsPerWindow: 1, windowMs: 60_000 } });
    try {
      const strict = createGateAdapter({ env: limited.env, enableRateLimit: false });
      const key = limited.sim.createKey({ exchange: "gate", permissions: TRADER });
      expect(await strict.describeKey(credentialsOf(key))).toMatchObject({ status: "valid" });
      expect(await strict.describeKey(credentialsOf(key))).toMatchObject({ status: "unreachable", reason: "rate_limited" });
    } finally {
      await limited.sim.close();
    }
    const key = sim.createKey({ exchange: "gate", permissions: TRADER });
    const credentials = credentialsOf(key);
    sim.setFault({ exchange: "gate", kind: "error", status: 429, count: 1 });
    expect(await adapter.describeKey(credentials)).toMatchObject({ status: "unreachable", reason: "rate_limited" });
    sim.setFault({ exchange: "gate", kind: "error", status: 503, count: 1 });
    expect(await adapter.describeKey(credentials)).toMatchObject({ status: "unreachable", reason: "exchange_unavailable" });
    sim.setFault({ exchange: "gate", kind: "malformed", count: 1 });
    expect(await adapter.describeKey(credentials)).toMatchObject({ status: "unreachable", reason: "malformed_response" });
    sim.setFault({ exchange: "gate", kind: "timeout", ms: 3000, count: 1 });
    expect(await createGateAdapter({ env, timeoutMs: 300 }).describeKey(credentials)).toMatchObject({ status: "unreachable", reason: "timeout" });
    expect(await adapter.describeKey(credentials)).toMatchObject({ status: "valid" });
  });

  it("exports spot, cross and isolated margin trades value by value, over 30-day windows and pages, then only newer ones", async () => {
    const key = sim.createKey({
      exchange: "gate",
      permissions: { ...TRADER, marginTrade: true },
      trades: {
        count: 3000,
        markets: 5,
        seed: 11,
        startTime: new Date(Date.now() - 300 * DAY),
        // the export reads whole seconds up to the one it starts in (the next run reads on from
        // there): the newest trade must not fall in that second, or this run rightly leaves it
        endTime: new Date(Date.now() - 5_000),
        products: { spot: { count: 3000, markets: 5, startTime: new Date(Date.now() - 20 * DAY) }, margin: { count: 400, markets: 2 }, isolated_margin: { count: 200, markets: 2 } },
      },
    });
    sim.resetStats();
    const { pages, trades, cursor } = await exportAll(adapter, credentialsOf(key));
    expect(pages.some((p) => p.trades.length === 1000)).toBe(true);
    expect(pages.at(-1)?.done).toBe(true);
    for (const product of ["spot", "margin", "isolated_margin"] as const) {
      const truth = sim.trades("gate", key.apiKey, { product });
      expect(truth.length).toBeGreaterThan(0);
      expectSameTrades(trades.filter((t) => t.product === product), truth, RAW);
    }
    const notes = pages.flatMap((p) => p.notes ?? []);
    expect(notes.filter((n) => n.kind === "unavailable").map((n) => n.part).sort()).toEqual(["coinm", "usdm"]);
    const again = await exportAll(adapter, credentialsOf(key), cursor);
    expect(again.trades).toEqual([]);
  });

  it("resumes from any page's cursor without losing or repeating a trade", async () => {
    const key = sim.createKey({ exchange: "gate", permissions: TRADER, trades: { count: 2300, markets: 3, seed: 4, startTime: new Date(Date.now() - 40 * DAY) } });
    const truth = sim.trades("gate", key.apiKey);
    const collected: NormalizedTrade[] = [];
    let cursor: ExportCursor | null = null;
    for (let run = 0; run < 200; run++) {
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
    const key = sim.createKey({ exchange: "gate", permissions: TRADER, trades: { count: 50, markets: 1 } });
    sim.setFault({ exchange: "gate", pathPrefix: "/api/v4/spot/my_trades", kind: "error", status: 503 });
    const error = await firstError(adapter.exportHistory(credentialsOf(key), null));
    expect(error).toBeInstanceOf(ExchangeAdapterError);
    expect((error as ExchangeAdapterError).classified.status).toBe("unreachable");
  });
});
