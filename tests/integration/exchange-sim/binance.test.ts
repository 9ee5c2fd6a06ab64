// The Binance dialect, driven by the unmodified ccxt binance class over real HTTP, plus raw
// signed requests where the exact protocol matters.

import ccxt from "ccxt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startExchangeSim, type ExchangeSim, type SimKey } from "@/lib/exchange-sim";
import { BINANCE_ADAPTER_OPTIONS, binanceGet, client, rawGet, rejection } from "./helpers";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

let sim: ExchangeSim;
let key: SimKey;
const now = Date.now();
const start = new Date(now - 120 * DAY);
const end = new Date(now - HOUR);

beforeAll(async () => {
  sim = await startExchangeSim({ seed: 7 });
  key = sim.createKey({ exchange: "binance", label: "bot", trades: { count: 6000, markets: 6, seed: 42, startTime: start, endTime: end } });
});
afterAll(async () => {
  await sim.close();
});

describe("Binance markets", () => {
  it("loads markets with the adapters' options from exchangeInfo alone", async () => {
    for (const options of [BINANCE_ADAPTER_OPTIONS, { fetchMarkets: ["spot"], fetchCurrencies: false, fetchMargins: false }]) {
      sim.resetStats();
      const ex = client(sim.origin, key, { options });
      await ex.loadMarkets();
      expect(Object.keys(sim.stats().byPath)).toEqual(["/api/v3/exchangeInfo"]);
      expect(Object.keys(ex.markets).length).toBeGreaterThanOrEqual(60);
      const btc = ex.market("BTC/USDT");
      expect(btc).toMatchObject({ id: "BTCUSDT", spot: true, active: true, precision: { price: 0.01, amount: 0.00001 } });
      expect(ex.market("ETH/BTC").id).toBe("ETHBTC");
      expect(ex.market("BTC/FDUSD").quote).toBe("FDUSD");
    }
  });

  it("also loads with ccxt's default options (futures lists, currencies and margin pairs)", async () => {
    sim.resetStats();
    const ex = client(sim.origin, key);
    await ex.loadMarkets();
    expect(Object.keys(sim.stats().byPath).sort()).toEqual([
      "/api/v3/exchangeInfo",
      "/dapi/v1/exchangeInfo",
      "/fapi/v1/exchangeInfo",
      "/sapi/v1/capital/config/getall",
      "/sapi/v1/margin/allPairs",
      "/sapi/v1/margin/isolated/allPairs",
    ]);
    expect(ex.currencies["BTC"]).toBeDefined();
    expect(ex.market("BTC/USDT").marginModes).toEqual({ cross: true, isolated: true });
  });

  it("answers ping, time and a one-symbol exchangeInfo; -1121 for an unknown symbol", async () => {
    expect((await rawGet(sim.origin, "/api/v3/ping")).json).toEqual({});
    const time = (await rawGet(sim.origin, "/api/v3/time")).json.serverTime as number;
    expect(Math.abs(time - Date.now())).toBeLessThan(5000);
    const one = await rawGet(sim.origin, "/api/v3/exchangeInfo?symbol=ETHBTC");
    expect(one.json.symbols.map((s: { symbol: string }) => s.symbol)).toEqual(["ETHBTC"]);
    const bad = await rawGet(sim.origin, "/api/v3/exchangeInfo?symbol=NOPEUSDT");
    expect(bad.status).toBe(400);
    expect(bad.json).toEqual({ code: -1121, msg: "Invalid symbol." });
  });
});

describe("Binance account", () => {
  it("fetchBalance shows the traded assets and hides the hidden markets' bases", async () => {
    const ex = client(sim.origin, key, { options: BINANCE_ADAPTER_OPTIONS });
    const balance = await ex.fetchBalance();
    const markets = sim.markets("binance", key.apiKey);
    const held = Object.keys(balance.total).filter((a) => balance.total[a] > 0);
    expect(held.length).toBeGreaterThan(0);
    for (const a of held) expect(markets.visibleAssets).toContain(a);
    for (const id of markets.hidden) expect(held).not.toContain(ex.markets_by_id[id][0].base);
    // All listed assets appear unless omitZeroBalances is asked for.
    const raw = await binanceGet(sim.origin, key, "/api/v3/account");
    const zero = await binanceGet(sim.origin, key, "/api/v3/account", { omitZeroBalances: "true" });
    expect(raw.json.balances.length).toBeGreaterThan(zero.json.balances.length);
    expect(raw.json).toMatchObject({ accountType: "SPOT", canTrade: true, canWithdraw: false, permissions: ["SPOT"] });
    expect(raw.headers.get("x-mbx-used-weight-1m")).toMatch(/^\d+$/);
  });

  it("apiRestrictions reports permissions, IP restriction and creation time", async () => {
    const k = sim.createKey({
      exchange: "binance",
      permissions: { withdraw: true, transfer: true, futuresTrade: true },
      ipWhitelist: ["127.0.0.1"],
      createdAt: new Date("2024-05-01T00:00:00Z"),
      expiresAt: new Date(now + 30 * DAY),
    });
    const r = await client(sim.origin, k).sapiGetAccountApiRestrictions();
    expect(r).toEqual({
      ipRestrict: true,
      createTime: Date.parse("2024-05-01T00:00:00Z"),
      enableReading: true,
      enableSpotAndMarginTrading: true,
      enableWithdrawals: true,
      enableInternalTransfer: true,
      enableMargin: false,
      enableFutures: true,
      permitsUniversalTransfer: true,
      enableVanillaOptions: false,
      enableFixApiTrade: false,
      enableFixReadOnly: false,
      enablePortfolioMarginTrading: false,
      tradingAuthorityExpirationTime: now + 30 * DAY,
    });
  });

  it("an expired trading authority turns trading off but keeps reading", async () => {
    const k = sim.createKey({ exchange: "binance", expiresAt: new Date(now - DAY) });
    const r = await binanceGet(sim.origin, k, "/sapi/v1/account/apiRestrictions");
    expect(r.json).toMatchObject({ enableReading: true, enableSpotAndMarginTrading: false });
    expect((await binanceGet(sim.origin, k, "/api/v3/account")).json.canTrade).toBe(false);
  });

  it("deposits and withdrawals: the last 90 days by default, longer windows refused", async () => {
    const ex = client(sim.origin, key, { options: BINANCE_ADAPTER_OPTIONS });
    const recent = await ex.fetchDeposits();
    for (const d of recent) expect(d.timestamp).toBeGreaterThanOrEqual(Date.now() - 90 * DAY - 5000);
    let all: { info: { insertTime: number } }[] = [];
    for (let t = start.getTime() - 30 * DAY; t < Date.now(); t += 90 * DAY) {
      all = all.concat(await ex.fetchDeposits(undefined, t, undefined, { endTime: t + 90 * DAY - 1 }));
    }
    expect(all.length).toBeGreaterThanOrEqual(recent.length);
    expect(new Set(all.map((d) => d.info.insertTime)).size).toBe(all.length);
    const tooLong = await binanceGet(sim.origin, key, "/sapi/v1/capital/deposit/hisrec", { startTime: now - 100 * DAY, endTime: now });
    expect(tooLong.status).toBe(400);
    expect(tooLong.json.code).toBe(-1127);
    const w = await binanceGet(sim.origin, key, "/sapi/v1/capital/withdraw/history", { startTime: now - 89 * DAY });
    expect(w.status).toBe(200);
    for (const x of w.json) expect(x).toMatchObject({ status: 6, applyTime: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/) });
  });
});

describe("Binance myTrades", () => {
  it("fetchMyTrades parses the records exactly as the ground truth has them", async () => {
    const ex = client(sim.origin, key, { options: BINANCE_ADAPTER_OPTIONS });
    await ex.loadMarkets();
    const symbolId = sim.markets("binance", key.apiKey).traded[0]!;
    const truth = sim.trades("binance", key.apiKey).filter((t) => t.symbol === symbolId);
    const got = await ex.fetchMyTrades(ex.markets_by_id[symbolId][0].symbol, undefined, 5);
    expect(got.map((t: { info: unknown }) => t.info)).toEqual(truth.slice(-5).map((t) => t.raw));
    const last = got.at(-1);
    const want = truth.at(-1)!;
    expect({ id: last.id, side: last.side, amount: last.amount, price: last.price }).toEqual({
      id: want.id,
      side: want.side,
      amount: Number(want.amount),
      price: Number(want.price),
    });
  });

  it("paging every symbol with fromId (inclusive) yields exactly the ground truth", async () => {
    const ex = client(sim.origin, key, { options: BINANCE_ADAPTER_OPTIONS });
    const truth = sim.trades("binance", key.apiKey);
    const paged: unknown[] = [];
    for (const symbol of sim.markets("binance", key.apiKey).traded) {
      let fromId = 0;
      for (;;) {
        const page = (await ex.privateGetMyTrades({ symbol, fromId, limit: 1000 })) as { id: number }[];
        paged.push(...page);
        if (page.length < 1000) break;
        fromId = page.at(-1)!.id + 1;
      }
    }
    const byTime = (a: unknown, b: unknown) => (a as { time: number }).time - (b as { time: number }).time;
    expect(paged.sort(byTime)).toEqual(truth.map((t) => t.raw));
    // exact decimal strings, 8 decimals as Binance prints them
    for (const t of truth.slice(0, 50)) {
      expect(t.raw["price"]).toMatch(/^\d+\.\d{8}$/);
      expect(t.raw["quoteQty"]).toMatch(/^\d+\.\d{8}$/);
    }
  });

  it("fromId is inclusive; limit defaults to 500 (the most recent) and is capped at 1000", async () => {
    const all = sim.trades("binance", key.apiKey);
    const counts = new Map<string, number>();
    for (const t of all) counts.set(t.symbol, (counts.get(t.symbol) ?? 0) + 1);
    const symbol = [...counts].sort((a, b) => b[1] - a[1])[0]![0];
    const truth = all.filter((t) => t.symbol === symbol);
    expect(truth.length).toBeGreaterThan(1000);
    const pick = truth[10]!;
    const from = await binanceGet(sim.origin, key, "/api/v3/myTrades", { symbol, fromId: pick.id, limit: 3 });
    expect(from.json.map((t: { id: number }) => String(t.id))).toEqual(truth.slice(10, 13).map((t) => t.id));
    const dflt = await binanceGet(sim.origin, key, "/api/v3/myTrades", { symbol });
    expect(dflt.json.length).toBe(500);
    expect(dflt.json.at(-1)).toEqual(truth.at(-1)!.raw);
    const capped = await binanceGet(sim.origin, key, "/api/v3/myTrades", { symbol, fromId: 0, limit: 5000 });
    expect(capped.json.length).toBe(1000);
  });

  it("time windows: at most 24 h, startTime alone means 24 h from it, no mixing with fromId", async () => {
    const symbol = sim.markets("binance", key.apiKey).traded[0]!;
    const truth = sim.trades("binance", key.apiKey).filter((t) => t.symbol === symbol);
    const t0 = truth[0]!.timestamp;
    const within = (a: number, b: number) => truth.filter((t) => t.timestamp >= a && t.timestamp <= b).map((t) => t.raw);
    const one = await binanceGet(sim.origin, key, "/api/v3/myTrades", { symbol, startTime: t0, endTime: t0 + DAY });
    expect(one.json).toEqual(within(t0, t0 + DAY).slice(0, 500));
    const alone = await binanceGet(sim.origin, key, "/api/v3/myTrades", { symbol, startTime: t0 });
    expect(alone.json).toEqual(one.json);
    const tooLong = await binanceGet(sim.origin, key, "/api/v3/myTrades", { symbol, startTime: t0, endTime: t0 + DAY + 1 });
    expect(tooLong.status).toBe(400);
    expect(tooLong.json).toEqual({ code: -1127, msg: "More than 24 hours between startTime and endTime." });
    const mixed = await binanceGet(sim.origin, key, "/api/v3/myTrades", { symbol, fromId: 1, startTime: t0 });
    expect(mixed.json.code).toBe(-1128);
    const ex = client(sim.origin, key, { options: BINANCE_ADAPTER_OPTIONS });
    await ex.loadMarkets();
    const err = await rejection(ex.fetchMyTrades(ex.markets_by_id[symbol][0].symbol, t0, undefined, { endTime: t0 + 2 * DAY }));
    expect(err).toBeInstanceOf(ccxt.BadRequest);
    expect(err.message).toContain("-1127");
  });

  it("needs a symbol (-1102), refuses unknown ones (-1121), serves an order's fills by orderId", async () => {
    const missing = await binanceGet(sim.origin, key, "/api/v3/myTrades");
    expect(missing.json).toEqual({ code: -1102, msg: "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed." });
    const unknown = await binanceGet(sim.origin, key, "/api/v3/myTrades", { symbol: "FOOBAR" });
    expect(unknown.json.code).toBe(-1121);
    const traded = sim.markets("binance", key.apiKey).traded;
    const untradedSymbol = ["XLMBTC", "FILBTC", "ETCBTC", "UNIBTC"].find((s) => !traded.includes(s))!;
    const untraded = await binanceGet(sim.origin, key, "/api/v3/myTrades", { symbol: untradedSymbol });
    expect(untraded.status).toBe(200);
    expect(untraded.json).toEqual([]);
    const truth = sim.trades("binance", key.apiKey);
    const multi = truth.find((t, i) => truth.findIndex((u) => u.orderId === t.orderId) !== i)!;
    const fills = truth.filter((t) => t.orderId === multi.orderId);
    expect(new Set(fills.map((f) => f.side)).size).toBe(1);
    const byOrder = await binanceGet(sim.origin, key, "/api/v3/myTrades", { symbol: multi.symbol, orderId: multi.orderId });
    expect(byOrder.json).toEqual(fills.map((f) => f.raw));
  });
});

describe("Binance authentication errors", () => {
  it("wrong secret: -1022, HTTP 400, AuthenticationError in ccxt", async () => {
    const r = await binanceGet(sim.origin, key, "/api/v3/account", {}, { secret: "x".repeat(64) });
    expect(r.status).toBe(400);
    expect(r.json).toEqual({ code: -1022, msg: "Signature for this request is not valid." });
    const err = await rejection(client(sim.origin, { ...key, secret: "y".repeat(64) }, { options: BINANCE_ADAPTER_OPTIONS }).fetchBalance());
    expect(err).toBeInstanceOf(ccxt.AuthenticationError);
  });

  it("stale or future timestamps: -1021 (InvalidNonce); recvWindow over 60000: -1131", async () => {
    const stale = await binanceGet(sim.origin, key, "/api/v3/account", {}, { timestamp: Date.now() - 6000 });
    expect(stale.json).toEqual({ code: -1021, msg: "Timestamp for this request is outside of the recvWindow." });
    const ahead = await binanceGet(sim.origin, key, "/api/v3/account", {}, { timestamp: Date.now() + 5000 });
    expect(ahead.json.code).toBe(-1021);
    const wide = await binanceGet(sim.origin, key, "/api/v3/account", { recvWindow: 60_001 });
    expect(wide.json.code).toBe(-1131);
    const ok = await binanceGet(sim.origin, key, "/api/v3/account", { recvWindow: 60_000 }, { timestamp: Date.now() - 30_000 });
    expect(ok.status).toBe(200);
    const ex = client(sim.origin, key, { options: { ...BINANCE_ADAPTER_OPTIONS, recvWindow: 5000 } });
    ex.nonce = () => Date.now() - 10_000;
    expect(await rejection(ex.fetchBalance())).toBeInstanceOf(ccxt.InvalidNonce);
  });

  it("a deleted key answers -2008 on /api and /sapi", async () => {
    const k = sim.createKey({ exchange: "binance" });
    expect((await binanceGet(sim.origin, k, "/api/v3/account")).status).toBe(200);
    sim.deleteKey("binance", k.apiKey);
    for (const path of ["/api/v3/account", "/sapi/v1/account/apiRestrictions"]) {
      const r = await binanceGet(sim.origin, k, path);
      expect(r.status).toBe(401);
      expect(r.json).toEqual({ code: -2008, msg: "Invalid Api-Key ID." });
    }
    expect(sim.listKeys("binance").map((x) => x.apiKey)).not.toContain(k.apiKey);
  });

  it("a never-issued key: -2015 on /api, -2008 on /sapi; a malformed one: -2014", async () => {
    const ghost = { apiKey: "A".repeat(64), secret: "B".repeat(64) };
    expect((await binanceGet(sim.origin, ghost, "/api/v3/account")).json.code).toBe(-2015);
    expect((await binanceGet(sim.origin, ghost, "/sapi/v1/account/apiRestrictions")).json.code).toBe(-2008);
    const bad = await binanceGet(sim.origin, { apiKey: "short", secret: "x" }, "/api/v3/account");
    expect(bad.status).toBe(401);
    expect(bad.json).toEqual({ code: -2014, msg: "API-key format invalid." });
  });

  it("IP not whitelisted or a missing permission: -2015", async () => {
    const k = sim.createKey({ exchange: "binance", ipWhitelist: ["203.0.113.9"] });
    const ip = await binanceGet(sim.origin, k, "/api/v3/account");
    expect(ip.status).toBe(401);
    expect(ip.json).toEqual({ code: -2015, msg: "Invalid API-key, IP, or permissions for action." });
    sim.restrictKey("binance", k.apiKey, { ipWhitelist: ["127.0.0.1"], permissions: { read: false } });
    expect((await binanceGet(sim.origin, k, "/api/v3/account")).json.code).toBe(-2015);
    // the key can still describe itself
    expect((await binanceGet(sim.origin, k, "/sapi/v1/account/apiRestrictions")).json.enableReading).toBe(false);
    const err = await rejection(client(sim.origin, k, { options: BINANCE_ADAPTER_OPTIONS }).fetchBalance());
    expect(err.message).toContain("-2015");
  });
});
