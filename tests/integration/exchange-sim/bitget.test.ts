import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startExchangeSim, type ExchangeSim, type SimKey } from "@/lib/exchange-sim";
import { bitgetSignature } from "@/lib/exchange-sim/bitget/auth";
import { rawGet } from "./helpers";

// The Bitget dialect's own behaviour over raw HTTP, where ccxt would hide it: which dialect a
// path reaches, Bitget's error bodies and statuses, and the span rules of its fill endpoints.

const DAY = 86_400_000;

let sim: ExchangeSim;

beforeAll(async () => {
  sim = await startExchangeSim({ port: 0, seed: 21 });
});
afterAll(async () => sim?.close());

function signedGet(key: Pick<SimKey, "apiKey" | "secret" | "passphrase">, path: string, query = "", at = Date.now()) {
  const timestamp = String(at);
  return rawGet(sim.origin, query === "" ? path : `${path}?${query}`, {
    "ACCESS-KEY": key.apiKey,
    "ACCESS-SIGN": bitgetSignature(key.secret, timestamp, "GET", path, query, ""),
    "ACCESS-TIMESTAMP": timestamp,
    "ACCESS-PASSPHRASE": key.passphrase ?? "",
  });
}

describe("the Bitget dialect", () => {
  it("owns /api/v2/<section>/ paths and leaves KuCoin's /api/v2/symbols to KuCoin", async () => {
    const time = await rawGet(sim.origin, "/api/v2/public/time");
    expect(time.json).toMatchObject({ code: "00000", msg: "success", data: { serverTime: expect.stringMatching(/^\d{13}$/) } });
    expect((await rawGet(sim.origin, "/api/v2/symbols")).json).toMatchObject({ code: "200000" });
    const missing = await rawGet(sim.origin, "/api/v2/spot/nothing-here");
    expect(missing.status).toBe(404);
    expect(missing.json).toMatchObject({ code: "40404", data: null });
  });

  it("answers Bitget's codes with HTTP 400: a foreign key string 40006, a deleted key 40037, an old timestamp 40008", async () => {
    const key = sim.createKey({ exchange: "bitget" });
    expect((await signedGet(key, "/api/v2/spot/account/info")).json).toMatchObject({ code: "00000" });
    const assets = (await signedGet(key, "/api/v2/spot/account/assets")).json;
    expect(assets.code).toBe("00000");
    expect(assets.data.length).toBeGreaterThan(0);
    expect(assets.data[0]).toMatchObject({ coin: expect.any(String), available: expect.stringMatching(/^\d+(\.\d+)?$/), frozen: expect.any(String) });
    const foreign = await signedGet({ ...key, apiKey: "0123456789abcdef" }, "/api/v2/spot/account/info");
    expect([foreign.status, foreign.json.code, foreign.json.msg]).toEqual([400, "40006", "Invalid ACCESS_KEY"]);
    const stale = await signedGet(key, "/api/v2/spot/account/info", "", Date.now() - 60_000);
    expect([stale.status, stale.json.code]).toEqual([400, "40008"]);
    sim.deleteKey("bitget", key.apiKey);
    const deleted = await signedGet(key, "/api/v2/spot/account/info");
    expect([deleted.status, deleted.json.code, deleted.json.msg]).toEqual([400, "40037", "Apikey does not exist"]);
  });

  it("spot fills: a symbol per query, at most 90 days apart; futures fills: a productType, at most 7 days apart", async () => {
    const key = sim.createKey({ exchange: "bitget", trades: { count: 50, markets: 1, startTime: new Date(Date.now() - 6 * DAY), products: { spot: { count: 50, markets: 1 }, usdm: { count: 40, markets: 1 } } } });
    const now = Date.now();
    const noSymbol = await signedGet(key, "/api/v2/spot/trade/fills");
    expect([noSymbol.status, noSymbol.json.code]).toEqual([400, "40017"]);
    const symbol = sim.trades("bitget", key.apiKey)[0]!.symbol;
    const tooLong = await signedGet(key, "/api/v2/spot/trade/fills", `endTime=${now}&startTime=${now - 91 * DAY}&symbol=${symbol}`);
    expect([tooLong.status, tooLong.json.code]).toEqual([400, "40017"]);
    const spot = await signedGet(key, "/api/v2/spot/trade/fills", `symbol=${symbol}`);
    expect(spot.json.data.length).toBeGreaterThan(0);
    expect(spot.json.data.map((f: { tradeId: string }) => BigInt(f.tradeId))).toEqual([...spot.json.data.map((f: { tradeId: string }) => BigInt(f.tradeId))].sort((a, b) => (a > b ? -1 : 1)));

    const noType = await signedGet(key, "/api/v2/mix/order/fill-history");
    expect([noType.status, noType.json.code]).toEqual([400, "40017"]);
    const week = await signedGet(key, "/api/v2/mix/order/fill-history", `endTime=${now}&productType=usdt-futures&startTime=${now - 8 * DAY}`);
    expect([week.status, week.json.code]).toEqual([400, "40017"]);
    const usdm = sim.trades("bitget", key.apiKey, { product: "usdm" }).filter((t) => t.timestamp >= now - 7 * DAY);
    expect(usdm).toHaveLength(40);
    const page = await signedGet(key, "/api/v2/mix/order/fill-history", "limit=100&productType=usdt-futures");
    expect(page.json.data.fillList.map((f: { tradeId: string }) => f.tradeId)).toEqual(usdm.map((t) => t.id).reverse());
    expect(page.json.data.endId).toBe(usdm[0]!.id);
  });
});
