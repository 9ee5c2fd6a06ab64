// The OKX dialect through the unmodified ccxt okx class, and raw signed requests for its
// authentication errors and fills paging.

import ccxt from "ccxt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startExchangeSim, type ExchangeSim, type SimKey } from "@/lib/exchange-sim";
import { client, okxGet, rawGet, rejection } from "./helpers";

const DAY = 86_400_000;
let sim: ExchangeSim;
let key: SimKey;
const now = Date.now();

beforeAll(async () => {
  sim = await startExchangeSim({ seed: 11 });
  // 120 days: the oldest month is beyond fills-history's three months.
  key = sim.createKey({
    exchange: "okx",
    label: "okx bot",
    ipWhitelist: ["127.0.0.1", "10.0.0.1"],
    trades: { count: 1500, markets: 5, seed: 5, startTime: new Date(now - 120 * DAY), endTime: new Date(now - 60_000) },
  });
});
afterAll(async () => {
  await sim.close();
});

type Fill = { billId: string; ts: string; instId: string };

describe("OKX through ccxt", () => {
  it("loads SPOT markets (other types empty), balance and account config", async () => {
    sim.resetStats();
    const ex = client(sim.origin, key);
    await ex.loadMarkets();
    expect(Object.keys(ex.markets).length).toBeGreaterThanOrEqual(30);
    expect(ex.market("BTC/USDT")).toMatchObject({ id: "BTC-USDT", spot: true, active: true });
    // ccxt's okx always asks for currencies when it has keys: a revoked key breaks loadMarkets.
    expect(sim.stats().byPath["/api/v5/asset/currencies"]).toBe(1);
    const balance = await ex.fetchBalance();
    const held = Object.keys(balance.total).filter((a) => balance.total[a] > 0);
    for (const a of held) expect(sim.markets("okx", key.apiKey).visibleAssets).toContain(a);
    const config = await ex.privateGetAccountConfig();
    expect(config.code).toBe("0");
    expect(config.data[0]).toMatchObject({ perm: "read_only,trade", ip: "127.0.0.1,10.0.0.1", label: "okx bot" });
  });

  it("can skip currencies with has.fetchCurrencies = false", async () => {
    sim.resetStats();
    const ex = client(sim.origin, key, { has: { fetchCurrencies: false }, options: { fetchMarkets: { types: ["spot"] } } });
    await ex.loadMarkets();
    expect(Object.keys(sim.stats().byPath)).toEqual(["/api/v5/public/instruments"]);
  });

  it("fetchMyTrades returns fills-history records (newest 100 by default)", async () => {
    const ex = client(sim.origin, key);
    const trades = await ex.fetchMyTrades();
    const truth = sim.trades("okx", key.apiKey);
    expect(trades.length).toBe(100);
    // ccxt sorts ascending; the exchange sends newest first
    expect(trades.map((t: { info: unknown }) => t.info)).toEqual(truth.slice(-100).map((t) => t.raw));
    expect(trades.at(-1).fee.currency).toBe(truth.at(-1)!.feeCurrency);
  });

  it("perm reflects withdraw permission; public time answers", async () => {
    const k = sim.createKey({ exchange: "okx", permissions: { withdraw: true, spotTrade: false } });
    const r = await okxGet(sim.origin, k, "/api/v5/account/config");
    expect(r.json.data[0].perm).toBe("read_only,withdraw");
    const t = await rawGet(sim.origin, "/api/v5/public/time");
    expect(Math.abs(Number(t.json.data[0].ts) - Date.now())).toBeLessThan(5000);
  });
});

describe("OKX fills paging", () => {
  it("pages fills-history with `after` to exactly the last three months of the ground truth", async () => {
    const truth = sim.trades("okx", key.apiKey).filter((t) => t.timestamp >= Date.now() - 90 * DAY);
    const all = sim.trades("okx", key.apiKey);
    expect(truth.length).toBeLessThan(all.length); // the oldest fills are out of reach
    const paged: Fill[] = [];
    let after: string | undefined;
    for (;;) {
      const r = await okxGet(sim.origin, key, "/api/v5/trade/fills-history", { instType: "SPOT", ...(after ? { after } : {}) });
      expect(r.json.code).toBe("0");
      const page = r.json.data as Fill[];
      paged.push(...page);
      if (page.length < 100) break;
      after = page.at(-1)!.billId;
    }
    expect(paged.reverse()).toEqual(truth.map((t) => t.raw));
    // billIds increase with time
    for (let i = 1; i < paged.length; i++) expect(BigInt(paged[i]!.billId) > BigInt(paged[i - 1]!.billId)).toBe(true);
  });

  it("`before` returns the nearest newer fills; begin/end and instId filter", async () => {
    const truth = sim.trades("okx", key.apiKey);
    const pivot = truth[truth.length - 50]!;
    const r = await okxGet(sim.origin, key, "/api/v5/trade/fills-history", { instType: "SPOT", before: pivot.raw["billId"] as string, limit: 5 });
    expect(r.json.data).toEqual(truth.slice(truth.length - 49, truth.length - 44).reverse().map((t) => t.raw));
    const instId = pivot.symbol;
    const onlyInst = truth.filter((t) => t.symbol === instId && t.timestamp >= pivot.timestamp - 10 * DAY && t.timestamp <= pivot.timestamp);
    const f = await okxGet(sim.origin, key, "/api/v5/trade/fills-history", {
      instType: "SPOT",
      instId,
      begin: pivot.timestamp - 10 * DAY,
      end: pivot.timestamp,
    });
    expect(f.json.data).toEqual(onlyInst.slice(-100).reverse().map((t) => t.raw));
  });

  it("requires instType, caps limit at 100, knows only SPOT fills; /trade/fills covers 3 days", async () => {
    const noType = await okxGet(sim.origin, key, "/api/v5/trade/fills-history");
    expect(noType.status).toBe(400);
    expect(noType.json).toMatchObject({ code: "50014" });
    const big = await okxGet(sim.origin, key, "/api/v5/trade/fills-history", { instType: "SPOT", limit: 101 });
    expect(big.json.code).toBe("51000");
    const swap = await okxGet(sim.origin, key, "/api/v5/trade/fills-history", { instType: "SWAP" });
    expect(swap.json).toEqual({ code: "0", msg: "", data: [] });
    const recent = await okxGet(sim.origin, key, "/api/v5/trade/fills");
    const truth = sim.trades("okx", key.apiKey).filter((t) => t.timestamp >= Date.now() - 3 * DAY);
    expect(recent.json.data).toEqual(truth.slice(-100).reverse().map((t) => t.raw));
    const unknown = await okxGet(sim.origin, key, "/api/v5/trade/fills-history", { instType: "SPOT", instId: "NOPE-USDT" });
    expect(unknown.json.code).toBe("51001");
  });
});

describe("OKX authentication errors", () => {
  const expectError = (r: { status: number; json: { code: string; data: unknown } }, code: string) => {
    expect(r.status).toBe(401);
    expect(r.json.code).toBe(code);
    expect(r.json.data).toEqual([]);
  };

  it("wrong secret 50113, wrong passphrase 50105, stale timestamp 50102", async () => {
    expectError(await okxGet(sim.origin, key, "/api/v5/account/config", {}, { secret: "0".repeat(32) }), "50113");
    expectError(await okxGet(sim.origin, key, "/api/v5/account/config", {}, { passphrase: "nope" }), "50105");
    expectError(await okxGet(sim.origin, key, "/api/v5/account/config", {}, { timestamp: new Date(Date.now() - 31_000) }), "50102");
    expect((await okxGet(sim.origin, key, "/api/v5/account/config", {}, { timestamp: new Date(Date.now() - 20_000) })).status).toBe(200);
    const err = await rejection(client(sim.origin, { ...key, secret: "1".repeat(32) }, { has: { fetchCurrencies: false } }).fetchBalance());
    expect(err).toBeInstanceOf(ccxt.AuthenticationError);
    expect(err.message).toContain("50113");
  });

  it("deleted (or expired) key 50111, IP not allowed 50110, no read permission 50120", async () => {
    const k = sim.createKey({ exchange: "okx" });
    sim.deleteKey("okx", k.apiKey);
    expectError(await okxGet(sim.origin, k, "/api/v5/account/config"), "50111");
    const expired = sim.createKey({ exchange: "okx", expiresAt: new Date(Date.now() - 1000) });
    expectError(await okxGet(sim.origin, expired, "/api/v5/account/config"), "50111");
    const elsewhere = sim.createKey({ exchange: "okx", ipWhitelist: ["198.51.100.7"] });
    const ip = await okxGet(sim.origin, elsewhere, "/api/v5/account/config");
    expectError(ip, "50110");
    expect(ip.json.msg).toContain("127.0.0.1");
    const err = await rejection(client(sim.origin, elsewhere, { has: { fetchCurrencies: false } }).privateGetAccountConfig());
    expect(err).toBeInstanceOf(ccxt.PermissionDenied);
    sim.restrictKey("okx", elsewhere.apiKey, { ipWhitelist: [], permissions: { read: false } });
    expectError(await okxGet(sim.origin, elsewhere, "/api/v5/account/config"), "50120");
  });

  it("missing headers: 50103", async () => {
    const r = await rawGet(sim.origin, "/api/v5/account/config");
    expectError(r as never, "50103");
  });
});
