import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { ExchangeSim } from "@/lib/exchange-sim";
import { createBybitAdapter, type BybitCursor } from "@/lib/exchanges/bybit";
import { ExchangeAdapterError } from "@/lib/exchanges/errors";
import type { ExchangeAdapter, ExportCursor, NormalizedTrade } from "@/lib/exchanges/types";
import { credentialsOf, expectSameTrades, exportAll, firstError, startSim } from "./harness";

const DAY = 86_400_000;
const TRADER = { read: true, spotTrade: true, marginTrade: false, futuresTrade: false, withdraw: false, transfer: false };

describe("Bybit adapter against the simulator", () => {
  let sim: ExchangeSim;
  let env: Record<string, string>;
  let adapter: ExchangeAdapter;

  beforeAll(async () => {
    ({ sim, env } = await startSim());
    adapter = createBybitAdapter({ env, enableRateLimit: false });
  });
  afterAll(async () => sim?.close());
  afterEach(() => sim.clearFaults());

  it("describes a valid key: permissions, IPs, note, created and expiry", async () => {
    const createdAt = new Date(Math.floor((Date.now() - 10 * DAY) / 1000) * 1000);
    const expiresAt = new Date(Math.floor((Date.now() + 80 * DAY) / 1000) * 1000);
    const key = sim.createKey({
      exchange: "bybit",
      label: "MyITS bot",
      permissions: { read: true, spotTrade: true, marginTrade: false, futuresTrade: true, withdraw: false, transfer: true },
      ipWhitelist: ["127.0.0.1"],
      createdAt,
      expiresAt,
    });
    const description = await adapter.describeKey(credentialsOf(key));
    expect(description).toMatchObject({
      status: "valid",
      permissions: { read: true, spotTrade: true, marginTrade: true, futuresTrade: true, withdraw: false, transfer: true },
      ipRestricted: true,
      ipWhitelist: ["127.0.0.1"],
      label: "MyITS bot",
    });
    if (description.status !== "valid") return;
    expect(description.permissions.other).toEqual(["Exchange:ExchangeHistory", "Options:OptionsTrade"]);
    expect(description.createdAt?.getTime()).toBe(createdAt.getTime());
    expect(description.expiresAt?.getTime()).toBe(expiresAt.getTime());
  });

  it("a read-only key open to any IP ('*') and without expiry", async () => {
    const key = sim.createKey({ exchange: "bybit", permissions: { ...TRADER, spotTrade: false }, ipWhitelist: [], expiresAt: null });
    expect(await adapter.describeKey(credentialsOf(key))).toMatchObject({
      status: "valid",
      ipRestricted: false,
      ipWhitelist: [],
      expiresAt: null,
      permissions: { read: true, spotTrade: false, marginTrade: false, withdraw: false, transfer: false },
    });
  });

  it("a deleted key is revoked (10003); an expired one too (33004)", async () => {
    const deleted = sim.createKey({ exchange: "bybit", permissions: TRADER });
    sim.deleteKey("bybit", deleted.apiKey);
    expect(await adapter.describeKey(credentialsOf(deleted))).toMatchObject({ status: "revoked", reason: "key_not_found", code: "10003" });
    const expired = sim.createKey({ exchange: "bybit", permissions: TRADER });
    sim.restrictKey("bybit", expired.apiKey, { expiresAt: new Date(Date.now() - 1000) });
    expect(await adapter.describeKey(credentialsOf(expired))).toMatchObject({ status: "revoked", reason: "key_expired", code: "33004" });
  });

  // 10004 answers a known key id with the wrong secret: the key may be alive.
  it("a wrong secret is ambiguous", async () => {
    const key = sim.createKey({ exchange: "bybit", permissions: TRADER });
    expect(await adapter.describeKey({ apiKey: key.apiKey, secret: `${key.secret.slice(0, -4)}beef` })).toMatchObject({
      status: "ambiguous",
      reason: "bad_signature",
      code: "10004",
    });
  });

  it("a key restricted to another IP still exists (10010), but cannot be described", async () => {
    const key = sim.createKey({ exchange: "bybit", permissions: TRADER, ipWhitelist: ["127.0.0.1"] });
    sim.restrictKey("bybit", key.apiKey, { ipWhitelist: ["10.9.9.9"] });
    expect(await adapter.describeKey(credentialsOf(key))).toMatchObject({
      status: "ambiguous",
      reason: "ip_not_allowed",
      code: "10010",
      keyExists: true,
    });
    const error = await firstError(adapter.exportHistory(credentialsOf(key), null));
    expect(adapter.classifyRevocation(error)).toBe("valid");
  });

  it("revokeSelf needs a transfer or withdrawal permission; with one, the key is gone", async () => {
    const plain = sim.createKey({ exchange: "bybit", permissions: TRADER });
    expect(await adapter.revokeSelf!(credentialsOf(plain))).toMatchObject({ status: "not_permitted", code: "10005" });
    expect((await adapter.describeKey(credentialsOf(plain))).status).toBe("valid");

    const withdrawing = sim.createKey({ exchange: "bybit", permissions: { ...TRADER, withdraw: true } });
    const description = await adapter.describeKey(credentialsOf(withdrawing));
    expect(description.status === "valid" && adapter.guide.selfRevoke?.requiresAnyOf.some((p) => description.permissions[p])).toBe(true);
    expect(await adapter.revokeSelf!(credentialsOf(withdrawing))).toEqual({ status: "deleted" });
    expect(await adapter.describeKey(credentialsOf(withdrawing))).toMatchObject({ status: "revoked" });
    // asking again: already gone
    expect(await adapter.revokeSelf!(credentialsOf(withdrawing))).toMatchObject({ status: "failed", error: { status: "revoked" } });
  });

  it("rate limiting, 5xx, timeouts and malformed bodies are unreachable", async () => {
    const key = sim.createKey({ exchange: "bybit", permissions: TRADER });
    const credentials = credentialsOf(key);
    sim.setFault({ exchange: "bybit", kind: "error", status: 429, count: 1 });
    expect(await adapter.describeKey(credentials)).toMatchObject({ status: "unreachable", reason: "rate_limited" });
    sim.setFault({ exchange: "bybit", kind: "error", status: 503, count: 1 });
    expect(await adapter.describeKey(credentials)).toMatchObject({ status: "unreachable", reason: "exchange_unavailable" });
    sim.setFault({ exchange: "bybit", kind: "malformed", count: 1 });
    expect(await adapter.describeKey(credentials)).toMatchObject({ status: "unreachable", reason: "malformed_response" });
    sim.setFault({ exchange: "bybit", kind: "timeout", ms: 3000, count: 1 });
    expect(await createBybitAdapter({ env, timeoutMs: 300 }).describeKey(credentials)).toMatchObject({ status: "unreachable", reason: "timeout" });
    expect(await adapter.describeKey(credentials)).toMatchObject({ status: "valid" });
  });

  it("exports exactly the simulator's executions over 7-day windows and page cursors", async () => {
    const key = sim.createKey({ exchange: "bybit", permissions: TRADER, trades: { count: 1500, markets: 4, seed: 7, startTime: new Date(Date.now() - 60 * DAY) } });
    const truth = sim.trades("bybit", key.apiKey);
    const since = new Date(Date.now() - 70 * DAY);
    const { pages, trades, cursor } = await exportAll(adapter, credentialsOf(key), null, { since });
    expect(pages.at(-1)?.done).toBe(true);
    expect(pages.some((p) => p.trades.length === 100)).toBe(true);
    expectSameTrades(trades, truth, { price: "execPrice", amount: "execQty", cost: "execValue" });
    for (const trade of trades) expect(trade.symbol).toMatch(/^[A-Z0-9]+\/[A-Z0-9]+$/);
    // a later run starts near the end of this one: nothing new to see
    const next = Object.values((cursor as BybitCursor).next);
    expect(next).toHaveLength(6); // four categories, deposits, withdrawals
    for (const part of next) expect(part!.from).toBeGreaterThan(Date.now() - DAY);
    const again = await exportAll(adapter, credentialsOf(key), cursor);
    expect(again.trades).toEqual([]);
  });

  it("reaches back two years by default", async () => {
    const key = sim.createKey({
      exchange: "bybit",
      permissions: TRADER,
      trades: { count: 300, markets: 2, seed: 9, startTime: new Date(Date.now() - 700 * DAY) },
    });
    const truth = sim.trades("bybit", key.apiKey);
    const { pages, trades } = await exportAll(adapter, credentialsOf(key));
    expect(pages.length).toBeGreaterThanOrEqual(104);
    expectSameTrades(trades, truth, { price: "execPrice", amount: "execQty", cost: "execValue" });
  });

  it("resumes from any page's cursor without losing or repeating an execution", async () => {
    const key = sim.createKey({ exchange: "bybit", permissions: TRADER, trades: { count: 450, markets: 3, seed: 4, startTime: new Date(Date.now() - 20 * DAY) } });
    const truth = sim.trades("bybit", key.apiKey);
    const collected: NormalizedTrade[] = [];
    let cursor: ExportCursor | null = null;
    const since = new Date(Date.now() - 21 * DAY);
    for (let run = 0; run < 100; run++) {
      let finished = false;
      for await (const page of adapter.exportHistory(credentialsOf(key), cursor, { since })) {
        collected.push(...page.trades);
        cursor = page.nextCursor;
        finished = page.done;
        break;
      }
      if (finished) break;
    }
    expectSameTrades(collected, truth, { price: "execPrice", amount: "execQty", cost: "execValue" });
  });

  it("reads every category (spot, linear, inverse, option) with its product, fees in the settle coin, and the wallet", async () => {
    const key = sim.createKey({
      exchange: "bybit",
      permissions: { ...TRADER, futuresTrade: true },
      trades: {
        count: 300,
        markets: 3,
        seed: 12,
        startTime: new Date(Date.now() - 30 * DAY),
        products: { usdm: { count: 700, markets: 2 }, coinm: { count: 150, markets: 2 }, option: { count: 120, markets: 2 } },
      },
      ledger: {},
    });
    const { pages, trades } = await exportAll(adapter, credentialsOf(key), null, { since: new Date(Date.now() - 40 * DAY) });
    expect(pages.some((p) => p.trades.length === 100)).toBe(true);
    for (const product of ["spot", "usdm", "coinm", "option"] as const) {
      const truth = sim.trades("bybit", key.apiKey, { product });
      expect(truth.length, product).toBeGreaterThan(0);
      expectSameTrades(trades.filter((t) => t.product === product), truth, { price: "execPrice", amount: "execQty", cost: "execValue" });
    }
    const ledger = sim.ledger("bybit", key.apiKey);
    expect(pages.flatMap((p) => p.transfers ?? []).length).toBe(ledger.deposits.length + ledger.withdrawals.length);
    expect(pages.at(-1)!.balances).toEqual(ledger.balances);
    expect(pages.flatMap((p) => p.notes ?? []).filter((n) => n.kind === "retention").map((n) => n.part)).toEqual(["spot", "usdm", "coinm", "option"]);
  });

  it("turns an export failure into a typed error", async () => {
    const key = sim.createKey({ exchange: "bybit", permissions: TRADER, trades: { count: 50, markets: 1 } });
    sim.setFault({ exchange: "bybit", pathPrefix: "/v5/execution/list", kind: "error", status: 500 });
    const error = await firstError(adapter.exportHistory(credentialsOf(key), null));
    expect(error).toBeInstanceOf(ExchangeAdapterError);
    expect((error as ExchangeAdapterError).classified.status).toBe("unreachable");
  });
});
