// The Bybit v5 dialect through the unmodified ccxt bybit class, and raw signed requests for
// its errors, delete-api and execution paging.

import ccxt from "ccxt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startExchangeSim, type ExchangeSim, type SimKey } from "@/lib/exchange-sim";
import { bybitRequest, client, rawGet, rejection } from "./helpers";

const DAY = 86_400_000;
const WEEK = 7 * DAY;
let sim: ExchangeSim;
let key: SimKey;
const now = Date.now();
const start = now - 60 * DAY;

beforeAll(async () => {
  sim = await startExchangeSim({ seed: 13 });
  key = sim.createKey({
    exchange: "bybit",
    label: "bybit bot",
    expiresAt: new Date(now + 10.5 * DAY),
    trades: { count: 2000, markets: 5, seed: 9, startTime: new Date(start), endTime: new Date(now - 60_000) },
  });
});
afterAll(async () => {
  await sim.close();
});

type Exec = { execId: string; execTime: string };

describe("Bybit through ccxt", () => {
  it("loads spot markets (derivatives empty), balance and the key description", async () => {
    const ex = client(sim.origin, key);
    await ex.loadMarkets();
    expect(Object.keys(ex.markets).length).toBeGreaterThanOrEqual(30);
    expect(ex.market("BTC/USDT")).toMatchObject({ id: "BTCUSDT", spot: true, active: true, precision: { price: 0.01 } });
    const balance = await ex.fetchBalance();
    const held = Object.keys(balance.total).filter((a) => balance.total[a] > 0);
    expect(held.length).toBeGreaterThan(0);
    for (const a of held) expect(sim.markets("bybit", key.apiKey).visibleAssets).toContain(a);
    const q = await ex.privateGetV5UserQueryApi();
    expect(q.retCode).toBe(0);
    expect(q.result).toMatchObject({
      note: "bybit bot",
      apiKey: key.apiKey,
      readOnly: 0,
      secret: "",
      ips: ["*"],
      deadlineDay: 11,
      expiredAt: new Date(now + 10.5 * DAY).toISOString().slice(0, 19) + "Z",
      createdAt: key.createdAt.toISOString().slice(0, 19) + "Z",
      uta: 1,
    });
    expect(q.result.permissions).toMatchObject({ Spot: ["SpotTrade"], Wallet: [], ContractTrade: [] });
  });

  it("with has.fetchCurrencies false and spot markets, loadMarkets makes one public call", async () => {
    sim.resetStats();
    const ex = client(sim.origin, key, { has: { fetchCurrencies: false }, options: { fetchMarkets: { types: ["spot"] } } });
    await ex.loadMarkets();
    expect(sim.stats().byPath).toEqual({ "/v5/market/instruments-info": 1 });
    await ex.fetchBalance();
    expect(Object.keys(sim.stats().byPath).sort()).toEqual([
      "/v5/account/info",
      "/v5/account/wallet-balance",
      "/v5/market/instruments-info",
      "/v5/user/query-api",
    ]);
  });

  it("fetchMyTrades with type spot returns the last 7 days' executions", async () => {
    const ex = client(sim.origin, key);
    const trades = await ex.fetchMyTrades(undefined, undefined, 100, { type: "spot" });
    const truth = sim.trades("bybit", key.apiKey).filter((t) => t.timestamp >= Date.now() - WEEK);
    // ccxt keeps Bybit's newest-first order here, and copies nextPageCursor into one record's info.
    const byTime = (a: { timestamp: number }, b: { timestamp: number }) => a.timestamp - b.timestamp;
    const infos = trades.sort(byTime).map((t: { info: Record<string, unknown> }) => {
      const rest = { ...t.info };
      delete rest["nextPageCursor"];
      return rest;
    });
    expect(infos).toEqual(truth.slice(-100).map((t) => t.raw));
  });
});

describe("Bybit execution paging", () => {
  it("walks 7-day windows with nextPageCursor to exactly the ground truth", async () => {
    const truth = sim.trades("bybit", key.apiKey);
    const paged: Exec[] = [];
    for (let t = start - DAY; t < Date.now(); t += WEEK) {
      let cursor = "";
      for (;;) {
        const params: Record<string, string | number> = { category: "spot", startTime: t, endTime: t + WEEK - 1, limit: 100 };
        if (cursor) params["cursor"] = cursor;
        const r = await bybitRequest(sim.origin, key, "GET", "/v5/execution/list", params);
        expect(r.json.retCode).toBe(0);
        paged.push(...(r.json.result.list as Exec[]).reverse());
        cursor = r.json.result.nextPageCursor;
        if (!cursor) break;
      }
    }
    paged.sort((a, b) => Number(a.execTime) - Number(b.execTime));
    expect(paged).toEqual(truth.map((t) => t.raw));
  });

  it("ccxt follows the cursor too (paginate) for one symbol", async () => {
    const ex = client(sim.origin, key);
    await ex.loadMarkets();
    const symbolId = sim.markets("bybit", key.apiKey).traded[0]!;
    const truth = sim.trades("bybit", key.apiKey).filter((t) => t.symbol === symbolId && t.timestamp >= Date.now() - WEEK);
    const got = await ex.fetchMyTrades(ex.markets_by_id[symbolId][0].symbol, undefined, undefined, { paginate: true, paginationCalls: 50 });
    const ids = got.sort((a: { timestamp: number }, b: { timestamp: number }) => a.timestamp - b.timestamp).map((t: { id: string }) => t.id);
    expect(ids).toEqual(truth.map((t) => t.id));
  });

  it("limit 50 by default, at most 100; windows over 7 days refused; category required", async () => {
    const d = await bybitRequest(sim.origin, key, "GET", "/v5/execution/list", { category: "spot", startTime: start, endTime: start + WEEK });
    expect(d.json.result.list.length).toBeLessThanOrEqual(50);
    const big = await bybitRequest(sim.origin, key, "GET", "/v5/execution/list", { category: "spot", limit: 101 });
    expect(big.json.retCode).toBe(10001);
    const wide = await bybitRequest(sim.origin, key, "GET", "/v5/execution/list", { category: "spot", startTime: start, endTime: start + WEEK + 1 });
    expect(wide.json.retCode).toBe(10001);
    expect(wide.json.retMsg).toContain("7 days");
    const none = await bybitRequest(sim.origin, key, "GET", "/v5/execution/list", {});
    expect(none.json.retCode).toBe(10001);
    const linear = await bybitRequest(sim.origin, key, "GET", "/v5/execution/list", { category: "linear" });
    expect(linear.json.result).toEqual({ nextPageCursor: "", category: "linear", list: [] });
    const badCursor = await bybitRequest(sim.origin, key, "GET", "/v5/execution/list", { category: "spot", cursor: "garbage" });
    expect(badCursor.json.retCode).toBe(10001);
  });
});

describe("Bybit delete-api", () => {
  it("refuses a key without Wallet permissions (10005)", async () => {
    const k = sim.createKey({ exchange: "bybit" });
    const r = await bybitRequest(sim.origin, k, "POST", "/v5/user/delete-api");
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ retCode: 10005 });
    const err = await rejection(client(sim.origin, k).privatePostV5UserDeleteApi());
    expect(err).toBeInstanceOf(ccxt.PermissionDenied);
    expect(sim.listKeys("bybit").map((x) => x.apiKey)).toContain(k.apiKey);
  });

  it("deletes the calling key when it holds transfer or withdrawal permission; then 10003", async () => {
    for (const permissions of [{ transfer: true }, { withdraw: true }]) {
      const k = sim.createKey({ exchange: "bybit", permissions });
      const ex = client(sim.origin, k);
      const q = await ex.privateGetV5UserQueryApi();
      expect(q.result.permissions.Wallet.length).toBeGreaterThan(0);
      const r = await ex.privatePostV5UserDeleteApi();
      expect(r.retCode).toBe(0);
      expect(sim.listKeys("bybit").map((x) => x.apiKey)).not.toContain(k.apiKey);
      const after = await bybitRequest(sim.origin, k, "GET", "/v5/user/query-api");
      expect(after.status).toBe(401);
      expect(after.json).toMatchObject({ retCode: 10003, retMsg: "API key is invalid." });
      expect(await rejection(ex.privateGetV5UserQueryApi())).toBeInstanceOf(ccxt.AuthenticationError);
    }
  });
});

describe("Bybit authentication errors", () => {
  it("wrong secret 10004, stale timestamp 10002, unknown key 10003", async () => {
    const sign = await bybitRequest(sim.origin, key, "GET", "/v5/user/query-api", {}, { secret: "nope" });
    expect(sign.json.retCode).toBe(10004);
    expect(sign.json.retMsg).toContain("error sign!");
    const stale = await bybitRequest(sim.origin, key, "GET", "/v5/user/query-api", {}, { timestamp: Date.now() - 6000 });
    expect(stale.json.retCode).toBe(10002);
    const ghost = await bybitRequest(sim.origin, { apiKey: "XXXXXXXXXXXXXXXXXX", secret: "x" }, "GET", "/v5/user/query-api");
    expect(ghost.json.retCode).toBe(10003);
    const ex = client(sim.origin, key);
    ex.nonce = () => Date.now() - 10_000;
    expect(await rejection(ex.privateGetV5UserQueryApi())).toBeInstanceOf(ccxt.InvalidNonce);
  });

  it("IP mismatch 10010, expired key 33004, no read permission 10005", async () => {
    const k = sim.createKey({ exchange: "bybit", ipWhitelist: ["192.0.2.44"] });
    const ip = await bybitRequest(sim.origin, k, "GET", "/v5/user/query-api");
    expect(ip.json.retCode).toBe(10010);
    expect(await rejection(client(sim.origin, k).privateGetV5UserQueryApi())).toBeInstanceOf(ccxt.PermissionDenied);
    sim.restrictKey("bybit", k.apiKey, { ipWhitelist: ["127.0.0.1"] });
    const q = await bybitRequest(sim.origin, k, "GET", "/v5/user/query-api");
    expect(q.json.result).toMatchObject({ ips: ["127.0.0.1"], deadlineDay: -1, expiredAt: "" });
    sim.restrictKey("bybit", k.apiKey, { permissions: { read: false } });
    expect((await bybitRequest(sim.origin, k, "GET", "/v5/execution/list", { category: "spot" })).json.retCode).toBe(10005);
    sim.restrictKey("bybit", k.apiKey, { expiresAt: new Date(Date.now() - 1000) });
    const expired = await bybitRequest(sim.origin, k, "GET", "/v5/user/query-api");
    expect(expired.json).toMatchObject({ retCode: 33004 });
  });

  it("public market time", async () => {
    const t = await rawGet(sim.origin, "/v5/market/time");
    expect(t.json.retCode).toBe(0);
    expect(Math.abs(Number(t.json.result.timeSecond) * 1000 - Date.now())).toBeLessThan(5000);
  });
});
