import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { ExchangeSim } from "@/lib/exchange-sim";
import { createBinanceAdapter, type BinanceCursor } from "@/lib/exchanges/binance";
import type { ExportCursor } from "@/lib/exchanges/types";
import { ExchangeAdapterError } from "@/lib/exchanges/errors";
import type { ExchangeAdapter, PacedOutcome, PacedRequest } from "@/lib/exchanges/types";
import { credentialsOf, expectSameTrades, exportAll, firstError, startSim } from "./harness";
import { FAR_BINANCE_LIMITS } from "../../support/far-limits";

const DAY = 86_400_000;
const ALL = { read: true, spotTrade: true, marginTrade: false, futuresTrade: false, withdraw: false, transfer: false };

describe("Binance adapter against the simulator", () => {
  let sim: ExchangeSim;
  let env: Record<string, string>;
  let adapter: ExchangeAdapter;

  beforeAll(async () => {
    // Exports here are about completeness, not pacing: ccxt's limiter (about 100 weight/s) is
    // off and the simulator's limit high. Pacing is tested below at the real limit.
    // no pacer here: every pool effectively unlimited (the pacing has its own tests)
    ({ sim, env } = await startSim({ binance: FAR_BINANCE_LIMITS }));
    adapter = createBinanceAdapter({ env, enableRateLimit: false });
  });
  afterAll(async () => sim?.close());
  afterEach(() => {
    sim.clearFaults();
    sim.resetRateLimits();
  });

  it("describes a valid key: permissions, IP restriction, creation and (trading) expiry", async () => {
    const createdAt = new Date(Date.now() - 40 * DAY);
    const expiresAt = new Date(Date.now() + 50 * DAY);
    const key = sim.createKey({
      exchange: "binance",
      label: "MyITS bot",
      permissions: { read: true, spotTrade: true, marginTrade: true, futuresTrade: true, withdraw: true, transfer: false },
      ipWhitelist: ["127.0.0.1"],
      createdAt,
      expiresAt,
    });
    const description = await adapter.describeKey(credentialsOf(key));
    expect(description.status).toBe("valid");
    if (description.status !== "valid") return;
    expect(description.permissions).toEqual({
      read: true,
      spotTrade: true,
      marginTrade: true,
      futuresTrade: true,
      withdraw: true,
      transfer: false,
      other: [],
    });
    expect(description).toMatchObject({ ipRestricted: true, ipWhitelist: [], permissionsKnown: true });
    expect(description.createdAt?.getTime()).toBe(createdAt.getTime());
    expect(description.expiresAt?.getTime()).toBe(expiresAt.getTime());
    expect(description.rawPermissions).toMatchObject({ ipRestrict: true, enableWithdrawals: true });
  });

  it("reports an unrestricted key as such", async () => {
    const key = sim.createKey({ exchange: "binance", permissions: ALL, ipWhitelist: [] });
    const description = await adapter.describeKey(credentialsOf(key));
    expect(description).toMatchObject({ status: "valid", ipRestricted: false, permissions: { withdraw: false, transfer: false } });
  });

  it("a deleted key is revoked (-2008), and the export says so too", async () => {
    const key = sim.createKey({ exchange: "binance", permissions: ALL, trades: { count: 10, markets: 2 } });
    sim.deleteKey("binance", key.apiKey);
    expect(await adapter.describeKey(credentialsOf(key))).toMatchObject({ status: "revoked", reason: "key_not_found", code: "-2008" });
    const error = await firstError(adapter.exportHistory(credentialsOf(key), null));
    expect(error).toBeInstanceOf(ExchangeAdapterError);
    expect(adapter.classifyRevocation(error)).not.toBe("valid");
  });

  // Binance answers a wrong secret for an existing key id with -1022: the key id is alive, so
  // nothing here proves deletion; "revoked" would let the wizard shred a live key's secret.
  it("a wrong secret is ambiguous, never valid or revoked", async () => {
    const key = sim.createKey({ exchange: "binance", permissions: ALL });
    const description = await adapter.describeKey({ apiKey: key.apiKey, secret: `${key.secret.slice(0, -4)}beef` });
    expect(description.status).toBe("ambiguous");
    expect(description).toMatchObject({ reason: expect.stringMatching(/bad_signature|key_ip_or_permission/) });
  });

  it("a key restricted to another IP is ambiguous (-2015)", async () => {
    const key = sim.createKey({ exchange: "binance", permissions: ALL, ipWhitelist: ["127.0.0.1"] });
    sim.restrictKey("binance", key.apiKey, { ipWhitelist: ["10.9.9.9"] });
    expect(await adapter.describeKey(credentialsOf(key))).toMatchObject({ status: "ambiguous", reason: "key_ip_or_permission", code: "-2015" });
  });

  it("a key without read permission is described, but its export fails ambiguous (-2015)", async () => {
    const key = sim.createKey({ exchange: "binance", permissions: { ...ALL, read: false }, trades: { count: 5, markets: 1 } });
    const description = await adapter.describeKey(credentialsOf(key));
    expect(description).toMatchObject({ status: "valid", permissions: { read: false } });
    const error = await firstError(adapter.exportHistory(credentialsOf(key), null));
    expect(error).toBeInstanceOf(ExchangeAdapterError);
    expect((error as ExchangeAdapterError).classified).toMatchObject({ status: "ambiguous", code: "-2015" });
  });

  it("an exchange answering 5xx is unreachable", async () => {
    const key = sim.createKey({ exchange: "binance", permissions: ALL });
    sim.setFault({ exchange: "binance", kind: "error", status: 503 });
    expect(await adapter.describeKey(credentialsOf(key))).toMatchObject({ status: "unreachable", reason: "exchange_unavailable" });
    sim.clearFaults();
    sim.setFault({ exchange: "binance", kind: "error", status: 500 });
    expect((await adapter.describeKey(credentialsOf(key))).status).toBe("unreachable");
  });

  it("a timeout is unreachable", async () => {
    const key = sim.createKey({ exchange: "binance", permissions: ALL });
    sim.setFault({ exchange: "binance", kind: "timeout", ms: 3000 });
    const quick = createBinanceAdapter({ env, timeoutMs: 300, enableRateLimit: false });
    expect(await quick.describeKey(credentialsOf(key))).toMatchObject({ status: "unreachable", reason: "timeout" });
  });

  it("a malformed body is unreachable, in describeKey and in the export", async () => {
    const key = sim.createKey({ exchange: "binance", permissions: ALL, trades: { count: 20, markets: 2 } });
    sim.setFault({ exchange: "binance", kind: "malformed", pathPrefix: "/sapi/v1/account/apiRestrictions" });
    expect(await adapter.describeKey(credentialsOf(key))).toMatchObject({ status: "unreachable", reason: "malformed_response" });
    sim.clearFaults();
    sim.setFault({ exchange: "binance", kind: "malformed", pathPrefix: "/api/v3/myTrades" });
    // (a recent `since`: this adapter has no pacer, and years of convert history would meet the UID limit first)
    const error = await firstError(adapter.exportHistory(credentialsOf(key), null, { fullScan: true, since: new Date(Date.now() - 200 * DAY) }));
    expect((error as ExchangeAdapterError).classified).toMatchObject({ status: "unreachable", reason: "malformed_response" });
  });

  it("exports exactly the simulator's trades across pages, with exact strings", async () => {
    const key = sim.createKey({ exchange: "binance", permissions: ALL, trades: { count: 2600, markets: 2, seed: 7 } });
    const truth = sim.trades("binance", key.apiKey);
    const { pages, trades } = await exportAll(adapter, credentialsOf(key), null, { fullScan: true, since: new Date(Date.now() - 400 * DAY) });
    expect(pages.at(-1)?.done).toBe(true);
    expect(pages.filter((p) => p.trades.length === 1000).length).toBeGreaterThan(0);
    expectSameTrades(trades, truth, { price: "price", amount: "qty", cost: "quoteQty" });
    // fee paid is the exchange's commission text
    for (const trade of trades) expect(trade.fee?.cost).toBe(trade.raw.commission);
  });

  it("without a full scan, finds the markets that balances, deposits and withdrawals lead to", async () => {
    const key = sim.createKey({ exchange: "binance", permissions: ALL, trades: { count: 600, markets: 8, seed: 11 } });
    const truth = sim.trades("binance", key.apiKey);
    const { visibleAssets } = sim.markets("binance", key.apiKey);
    const { trades } = await exportAll(adapter, credentialsOf(key), null, { since: new Date(Date.now() - 400 * DAY) });
    const visible = new Set(visibleAssets);
    const reachable = truth.filter((t) => visible.has(t.base) || visible.has(t.quote));
    expectSameTrades(trades, reachable, { price: "price", amount: "qty", cost: "quoteQty" });
  });

  it("resumes from any page's cursor without losing or repeating a trade", async () => {
    const key = sim.createKey({ exchange: "binance", permissions: ALL, trades: { count: 2300, markets: 3, seed: 5 } });
    const truth = sim.trades("binance", key.apiKey);
    const options = { fullScan: true, since: new Date(Date.now() - 400 * DAY) };
    const collected = [];
    let cursor: BinanceCursor | null = null;
    // stop after every second page, as a crashed job would, and resume from the stored cursor
    for (let run = 0; run < 200; run++) {
      let pagesThisRun = 0;
      let finished = false;
      for await (const page of adapter.exportHistory(credentialsOf(key), cursor, options)) {
        collected.push(...page.trades);
        cursor = page.nextCursor as BinanceCursor;
        finished = page.done;
        if (++pagesThisRun === 2 || finished) break;
      }
      if (finished) break;
    }
    expectSameTrades(collected, truth, { price: "price", amount: "qty", cost: "quoteQty" });
    // a later run from the final cursor finds nothing new
    const again = await exportAll(adapter, credentialsOf(key), cursor, options);
    expect(again.trades).toEqual([]);
    expect(again.pages.at(-1)?.done).toBe(true);
  });

  it("skips a remembered symbol Binance no longer knows (-1121) instead of stopping", async () => {
    const key = sim.createKey({ exchange: "binance", permissions: ALL, trades: { count: 120, markets: 2, seed: 13 } });
    const truth = sim.trades("binance", key.apiKey);
    const symbols = [...new Set(truth.map((t) => t.symbol))].sort();
    // a version 1 cursor (spot only) of an earlier run that knew the symbol
    const cursor = { exchange: "binance", version: 1, remaining: ["DELISTEDUSDT", ...symbols], markets: { DELISTEDUSDT: { fromId: "0" } } } as ExportCursor;
    const { trades, pages } = await exportAll(adapter, credentialsOf(key), cursor);
    expect(pages.find((p) => p.market === "DELISTEDUSDT")).toMatchObject({
      trades: [],
      notes: [{ kind: "delisted", part: "spot", market: "DELISTEDUSDT", message: expect.stringContaining("no longer knows") }],
    });
    expectSameTrades(trades, truth, { price: "price", amount: "qty", cost: "quoteQty" });
  });

  it("lets a pacer see every request, its weight and the used-weight header", async () => {
    const key = sim.createKey({ exchange: "binance", permissions: ALL, trades: { count: 50, markets: 2 } });
    const seen: Array<{ request: PacedRequest; outcome: PacedOutcome }> = [];
    const pacer = {
      async beforeRequest() {},
      afterResponse(request: PacedRequest, outcome: PacedOutcome) {
        seen.push({ request, outcome });
      },
    };
    await exportAll(adapter, credentialsOf(key), null, { pacer, fullScan: true, since: new Date(Date.now() - 200 * DAY) });
    expect(seen.map((s) => s.request.endpoint)).toContain("myTrades");
    const myTrades = seen.find((s) => s.request.endpoint === "myTrades");
    expect(myTrades?.request.weight).toBe(20);
    expect(Number(myTrades?.outcome.headers["x-mbx-used-weight-1m"])).toBeGreaterThan(0);
  });

  // One request at a time, latency alone caps a pool (scripts/bench/export-weight-limit.ts):
  // the trades of several markets are read at once, each market's pages still in order.
  it("reads the trades of three markets at once, each market's pages in order", async () => {
    const key = sim.createKey({ exchange: "binance", permissions: ALL, trades: { count: 6000, markets: 5, seed: 17 } });
    const truth = sim.trades("binance", key.apiKey);
    sim.setFault({ exchange: "binance", kind: "latency", ms: 20, pathPrefix: "/api/v3/myTrades" });
    let inFlight = 0;
    let most = 0;
    const pacer = {
      async beforeRequest(request: PacedRequest) {
        if (request.endpoint === "myTrades") most = Math.max(most, ++inFlight);
      },
      afterResponse(request: PacedRequest) {
        if (request.endpoint === "myTrades") inFlight--;
      },
    };
    const { pages, trades } = await exportAll(adapter, credentialsOf(key), null, { pacer, fullScan: true, since: new Date(Date.now() - 200 * DAY) });
    expect(most).toBe(3);
    expectSameTrades(trades, truth, { price: "price", amount: "qty", cost: "quoteQty" });
    const lastId = new Map<string, bigint>();
    for (const page of pages) {
      for (const trade of page.trades) {
        expect(BigInt(trade.id) > (lastId.get(trade.market) ?? -1n), trade.market).toBe(true);
        lastId.set(trade.market, BigInt(trade.id));
      }
    }
  });
});

describe("Binance adapter over the weight limit", () => {
  let sim: ExchangeSim;
  let env: Record<string, string>;

  beforeAll(async () => {
    ({ sim, env } = await startSim({ binance: { weightLimitPerMinute: 40 } }));
  });
  afterAll(async () => sim?.close());

  it("429 and then 418 are unreachable, with Retry-After", async () => {
    const adapter = createBinanceAdapter({ env });
    const key = sim.createKey({ exchange: "binance", permissions: ALL });
    const results = [];
    for (let i = 0; i < 45; i++) results.push(await adapter.describeKey(credentialsOf(key)));
    const limited = results.filter((r) => r.status === "unreachable");
    expect(limited.length).toBeGreaterThan(0);
    expect(limited[0]).toMatchObject({ reason: "rate_limited" });
    expect(limited[0]).toHaveProperty("retryAfterMs");
    expect(sim.stats().binance.rateLimited429).toBeGreaterThan(0);
    expect(sim.stats().binance.banned418).toBeGreaterThan(0);
    expect(results.every((r) => r.status === "valid" || r.status === "unreachable")).toBe(true);
  });
});
