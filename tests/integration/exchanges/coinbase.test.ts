import { createExchange } from "@/lib/exchanges/ccxt-client";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { ExchangeSim } from "@/lib/exchange-sim";
import { ExchangeAdapterError } from "@/lib/exchanges/errors";
import { createCoinbaseAdapter } from "@/lib/exchanges/coinbase";
import type { ExchangeAdapter, ExportCursor, NormalizedTrade } from "@/lib/exchanges/types";
import { credentialsOf, expectSameTrades, exportAll, firstError, startSim } from "./harness";

// The Coinbase adapter through ccxt's own coinbase class (ES256 JWTs signed with the key's PEM
// private key) against the simulated Coinbase, which verifies each token with the key's public
// key: the matrix of answers, and the fills export.

const DAY = 86_400_000;
const TRADER = { read: true, spotTrade: true, marginTrade: false, futuresTrade: false, withdraw: false, transfer: false };
const RAW = { price: "price", amount: "size" };

describe("Coinbase adapter against the simulator, through ccxt's coinbase class", () => {
  let sim: ExchangeSim;
  let env: Record<string, string>;
  let adapter: ExchangeAdapter;

  beforeAll(async () => {
    ({ sim, env } = await startSim());
    adapter = createCoinbaseAdapter({ env, enableRateLimit: false });
  });
  afterAll(async () => sim?.close());
  afterEach(() => {
    sim.clearFaults();
    sim.resetRateLimits();
  });

  it("describes a valid CDP key from GET /api/v3/brokerage/key_permissions, and says what Coinbase does not report", async () => {
    const key = sim.createKey({ exchange: "coinbase", permissions: TRADER, ipWhitelist: ["127.0.0.1"] });
    expect(key.apiKey).toMatch(/^organizations\/[0-9a-f-]{36}\/apiKeys\/[0-9a-f-]{36}$/);
    expect(key.secret).toMatch(/^-----BEGIN EC PRIVATE KEY-----\n[\s\S]+\n-----END EC PRIVATE KEY-----\n$/);
    const description = await adapter.describeKey(credentialsOf(key));
    expect(description).toMatchObject({
      status: "valid",
      permissions: { read: true, spotTrade: true, marginTrade: false, futuresTrade: true, withdraw: false, transfer: false, other: [] },
      rawPermissions: { can_view: true, can_trade: true, can_transfer: false, portfolio_type: "DEFAULT", portfolio_uuid: expect.stringMatching(/^[0-9a-f-]{36}$/) },
      permissionsKnown: true,
      // the allowlist exists on Coinbase, but no API answer says so
      unreported: ["ipWhitelist", "expiry"],
      ipWhitelist: [],
      expiresAt: null,
    });
  });

  it("reads a view-only key and a key that may transfer (withdraw)", async () => {
    const viewer = sim.createKey({ exchange: "coinbase", permissions: { ...TRADER, spotTrade: false } });
    expect(await adapter.describeKey(credentialsOf(viewer))).toMatchObject({ status: "valid", permissions: { read: true, spotTrade: false, futuresTrade: false, withdraw: false } });
    const mover = sim.createKey({ exchange: "coinbase", permissions: { ...TRADER, transfer: true } });
    expect(await adapter.describeKey(credentialsOf(mover))).toMatchObject({ status: "valid", permissions: { withdraw: true, transfer: true } });
  });

  it("a deleted key is never called revoked: Coinbase's 401 proves nothing", async () => {
    const key = sim.createKey({ exchange: "coinbase", permissions: TRADER });
    sim.deleteKey("coinbase", key.apiKey);
    expect(await adapter.describeKey(credentialsOf(key))).toMatchObject({ status: "ambiguous", reason: "key_refused" });
    expect(adapter.classifyRevocation(await firstError(adapter.exportHistory(credentialsOf(key), null)))).toBe("ambiguous");
  });

  it("a private key that is not the key's own is refused alike (ambiguous)", async () => {
    const key = sim.createKey({ exchange: "coinbase", permissions: TRADER });
    const other = sim.createKey({ exchange: "coinbase", permissions: TRADER });
    expect(await adapter.describeKey({ apiKey: key.apiKey, secret: other.secret })).toMatchObject({ status: "ambiguous", reason: "key_refused" });
  });

  it("a key restricted to another IP is refused alike: ambiguous, never revoked, never valid", async () => {
    const key = sim.createKey({ exchange: "coinbase", permissions: TRADER, ipWhitelist: ["127.0.0.1"] });
    sim.restrictKey("coinbase", key.apiKey, { ipWhitelist: ["203.0.113.7"] });
    const description = await adapter.describeKey(credentialsOf(key));
    expect(description).toMatchObject({ status: "ambiguous", reason: "key_refused" });
    expect(description.status === "ambiguous" && description.keyExists).toBeFalsy();
  });

  it("a key without the view scope still exists: it describes itself, and its fills are refused with PERMISSION_DENIED (valid)", async () => {
    const key = sim.createKey({ exchange: "coinbase", permissions: TRADER });
    sim.restrictKey("coinbase", key.apiKey, { permissions: { read: false } });
    expect(await adapter.describeKey(credentialsOf(key))).toMatchObject({ status: "valid", permissions: { read: false } });
    const error = await firstError(adapter.exportHistory(credentialsOf(key), null));
    expect(adapter.classifyError(error)).toMatchObject({ status: "valid", reason: "permission_denied", code: "PERMISSION_DENIED" });
  });

  it("Coinbase's own rate limit (an HTML 429), 5xx, timeouts and malformed bodies are unreachable", async () => {
    const limited = await startSim({ coinbase: { requestsPerWindow: 1, windowMs: 60_000 } });
    try {
      const strict = createCoinbaseAdapter({ env: limited.env, enableRateLimit: false });
      const key = limited.sim.createKey({ exchange: "coinbase", permissions: TRADER });
      expect(await strict.describeKey(credentialsOf(key))).toMatchObject({ status: "valid" });
      expect(await strict.describeKey(credentialsOf(key))).toMatchObject({ status: "unreachable", reason: "rate_limited" });
    } finally {
      await limited.sim.close();
    }
    const key = sim.createKey({ exchange: "coinbase", permissions: TRADER });
    const credentials = credentialsOf(key);
    sim.setFault({ exchange: "coinbase", kind: "error", status: 429, count: 1 });
    expect(await adapter.describeKey(credentials)).toMatchObject({ status: "unreachable", reason: "rate_limited" });
    sim.setFault({ exchange: "coinbase", kind: "error", status: 503, count: 1 });
    expect(await adapter.describeKey(credentials)).toMatchObject({ status: "unreachable", reason: "exchange_unavailable" });
    sim.setFault({ exchange: "coinbase", kind: "malformed", count: 1 });
    expect(await adapter.describeKey(credentials)).toMatchObject({ status: "unreachable", reason: "malformed_response" });
    sim.setFault({ exchange: "coinbase", kind: "timeout", ms: 3000, count: 1 });
    expect(await createCoinbaseAdapter({ env, timeoutMs: 300 }).describeKey(credentials)).toMatchObject({ status: "unreachable", reason: "timeout" });
    expect(await adapter.describeKey(credentials)).toMatchObject({ status: "valid" });
  });

  it("exports spot and perpetual fills value by value over cursor pages, then only newer ones", async () => {
    const key = sim.createKey({
      exchange: "coinbase",
      permissions: TRADER,
      trades: {
        count: 1500,
        markets: 4,
        seed: 11,
        startTime: new Date(Date.now() - 200 * DAY),
        endTime: new Date(Date.now() - 5_000),
        products: { spot: { count: 1500, markets: 4 }, usdm: { count: 400, markets: 2 } },
      },
    });
    const { pages, trades, cursor } = await exportAll(adapter, credentialsOf(key));
    expect(pages.filter((p) => p.trades.length === 100).length).toBeGreaterThanOrEqual(18);
    expect(pages.at(-1)?.done).toBe(true);
    for (const product of ["spot", "usdm"] as const) {
      const truth = sim.trades("coinbase", key.apiKey, { product });
      expect(truth.length).toBeGreaterThan(0);
      expectSameTrades(trades.filter((t) => t.product === product), truth, RAW);
    }
    // a spot fill books base and quote; a perpetual's fill moves no coin itself
    const spot = trades.find((t) => t.product === "spot")!;
    expect(Object.keys(spot.effects).length).toBeGreaterThanOrEqual(2);
    expect(trades.find((t) => t.product === "usdm")).toMatchObject({ market: expect.stringMatching(/-PERP-INTX$/), effects: {}, fee: { currency: "USDC" } });
    expect(pages.flatMap((p) => p.notes ?? []).map((n) => n.part).sort()).toEqual(["income", "transfers"]);
    const again = await exportAll(adapter, credentialsOf(key), cursor);
    expect(again.trades).toEqual([]);
  });

  it("resumes from any page's cursor without losing or repeating a fill", async () => {
    const key = sim.createKey({ exchange: "coinbase", permissions: TRADER, trades: { count: 730, markets: 3, seed: 4, startTime: new Date(Date.now() - 40 * DAY), endTime: new Date(Date.now() - 5_000) } });
    const truth = sim.trades("coinbase", key.apiKey);
    const collected: NormalizedTrade[] = [];
    let cursor: ExportCursor | null = null;
    for (let run = 0; run < 100; run++) {
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

  it("serves the key's accounts (balances) in pages to unmodified ccxt", async () => {
    const key = sim.createKey({ exchange: "coinbase", permissions: TRADER, trades: { count: 200, markets: 4 } });
    const exchange = createExchange("coinbase", credentialsOf(key), { env, enableRateLimit: false });
    const first = await exchange.v3PrivateGetBrokerageAccounts({ limit: 2 });
    expect(first).toMatchObject({ has_next: true, size: 2, accounts: [expect.objectContaining({ currency: expect.any(String), available_balance: expect.any(Object) }), expect.any(Object)] });
    const rest = await exchange.v3PrivateGetBrokerageAccounts({ limit: 250, cursor: first.cursor });
    expect(rest.has_next).toBe(false);
    const currencies = [...first.accounts, ...rest.accounts].map((a: { currency: string }) => a.currency);
    expect(new Set(currencies).size).toBe(currencies.length);
  });

  it("turns an export failure into a typed error", async () => {
    const key = sim.createKey({ exchange: "coinbase", permissions: TRADER, trades: { count: 50, markets: 1 } });
    sim.setFault({ exchange: "coinbase", pathPrefix: "/api/v3/brokerage/orders/historical/fills", kind: "error", status: 503 });
    const error = await firstError(adapter.exportHistory(credentialsOf(key), null));
    expect(error).toBeInstanceOf(ExchangeAdapterError);
    expect((error as ExchangeAdapterError).classified.status).toBe("unreachable");
  });
});
