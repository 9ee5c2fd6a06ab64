// Binance's weight pools: /api+/sapi (spot), /fapi and /dapi each count and limit on their own,
// with their own X-MBX-USED-WEIGHT-1M, 429 and 418; convert tradeFlow counts per account (UID).

import ccxt from "ccxt";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startExchangeSim, type ExchangeSim, type SimKey } from "@/lib/exchange-sim";
import { binanceGet, client, rawGet, rejection } from "./helpers";

let sim: ExchangeSim;
let key: SimKey;

beforeAll(async () => {
  sim = await startExchangeSim({
    binance: { weightLimitPerMinute: 50, fapiWeightLimitPerMinute: 12, dapiWeightLimitPerMinute: 30, uidWeightLimitPerMinute: 6000, windowMs: 600_000 },
  });
  key = sim.createKey({
    exchange: "binance",
    permissions: { futuresTrade: true },
    trades: { count: 100, markets: 3, products: { usdm: { count: 50, markets: 1 }, coinm: { count: 30, markets: 1 } } },
    ledger: { converts: 3 },
  });
});
afterAll(async () => {
  await sim.close();
});
beforeEach(() => {
  sim.resetRateLimits();
  sim.resetStats();
});

describe("Binance weight pools", () => {
  it("limits /fapi on its own: 429 then 418 there, while /api and /dapi keep answering", async () => {
    const symbol = sim.trades("binance", key.apiKey, { product: "usdm", limit: 1 })[0]!.symbol;
    const first = await binanceGet(sim.origin, key, "/fapi/v1/userTrades", { symbol });
    expect(first.status).toBe(200);
    expect(first.headers.get("x-mbx-used-weight-1m")).toBe("5");
    await binanceGet(sim.origin, key, "/fapi/v1/userTrades", { symbol }); // 10
    const over = await binanceGet(sim.origin, key, "/fapi/v1/userTrades", { symbol }); // 15 > 12
    expect(over.status).toBe(429);
    expect(over.json.code).toBe(-1003);
    expect(over.json.msg).toContain("current limit is 12");
    expect(over.headers.get("x-mbx-used-weight-1m")).toBe("15");
    expect(Number(over.headers.get("retry-after"))).toBeGreaterThan(0);

    const spot = await rawGet(sim.origin, "/api/v3/ping");
    expect(spot.status).toBe(200);
    expect(spot.headers.get("x-mbx-used-weight-1m")).toBe("1");
    const coin = await binanceGet(sim.origin, key, "/dapi/v1/userTrades", { symbol: sim.trades("binance", key.apiKey, { product: "coinm", limit: 1 })[0]!.symbol });
    expect(coin.status).toBe(200);
    expect(coin.headers.get("x-mbx-used-weight-1m")).toBe("20");

    expect((await rawGet(sim.origin, "/fapi/v1/exchangeInfo")).status).toBe(418);
    const pools = sim.stats().binance.pools;
    expect(pools.fapi).toMatchObject({ usedWeight: 15, rateLimited429: 1, banned418: 1 });
    expect(pools.spot).toMatchObject({ usedWeight: 1, rateLimited429: 0, banned418: 0 });
    expect(pools.dapi).toMatchObject({ usedWeight: 20, rateLimited429: 0 });
    expect(sim.stats().binance.usedWeight).toBe(1); // the old figures are the spot pool's
  });

  it("ccxt raises DDoSProtection for a /fapi 429 and the header shows that pool's weight", async () => {
    const ex = client(sim.origin, key);
    await ex.fapiPrivateV2GetBalance(); // 5
    await ex.fapiPrivateV2GetAccount(); // 10
    const e = await rejection(ex.fapiPrivateV2GetBalance()); // 15
    expect(e).toBeInstanceOf(ccxt.DDoSProtection);
    const headers = Object.fromEntries(Object.entries(ex.last_response_headers as Record<string, string>).map(([k, v]) => [k.toLowerCase(), v]));
    expect(headers["x-mbx-used-weight-1m"]).toBe("15");
  });

  it("counts convert tradeFlow per account in the UID pool: 429 there, IP weight untouched", async () => {
    const now = Date.now();
    const call = () => binanceGet(sim.origin, key, "/sapi/v1/convert/tradeFlow", { startTime: now - 20 * 86_400_000, endTime: now });
    expect((await call()).headers.get("x-sapi-used-uid-weight-1m")).toBe("3000");
    expect((await call()).status).toBe(200);
    const over = await call();
    expect(over.status).toBe(429);
    expect(over.json.code).toBe(-1003);
    expect(over.headers.get("x-sapi-used-uid-weight-1m")).toBe("9000");
    // another account of the same IP has its own UID budget
    const other = sim.createKey({ exchange: "binance", trades: { count: 10, markets: 1 }, ledger: {} });
    expect((await binanceGet(sim.origin, other, "/sapi/v1/convert/tradeFlow", { startTime: now - 86_400_000, endTime: now })).status).toBe(200);
    expect(sim.stats().binance.pools.spot.usedWeight).toBe(0);
    expect(sim.stats().binance.pools.uid.rateLimited429).toBe(1);
  });
});
