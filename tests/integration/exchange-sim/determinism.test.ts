// Same seed, same world: keys, histories and answers repeat across simulator instances; and a
// million-trade history is served page by page without materialising it.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startExchangeSim, type ExchangeSim } from "@/lib/exchange-sim";
import { binanceGet, bybitRequest } from "./helpers";

const DAY = 86_400_000;
const trades = { count: 2000, markets: 4, seed: 77, startTime: new Date("2026-01-01T00:00:00Z"), endTime: new Date("2026-04-01T00:00:00Z") };

let a: ExchangeSim;
let b: ExchangeSim;
beforeAll(async () => {
  [a, b] = await Promise.all([startExchangeSim({ seed: 21 }), startExchangeSim({ seed: 21 })]);
});
afterAll(async () => {
  await Promise.all([a.close(), b.close()]);
});

describe("determinism", () => {
  it("the same seeds give the same keys, trades and HTTP answers", async () => {
    for (const exchange of ["binance", "okx", "bybit"] as const) {
      const ka = a.createKey({ exchange, trades });
      const kb = b.createKey({ exchange, trades });
      expect(kb.apiKey).toBe(ka.apiKey);
      expect(b.trades(exchange, kb.apiKey)).toEqual(a.trades(exchange, ka.apiKey));
      expect(b.markets(exchange, kb.apiKey)).toEqual(a.markets(exchange, ka.apiKey));
    }
    const [ka, kb] = [a.listKeys("binance")[0]!, b.listKeys("binance")[0]!];
    const symbol = a.markets("binance", ka.apiKey).traded[0]!;
    const ra = await binanceGet(a.origin, ka, "/api/v3/myTrades", { symbol, fromId: 0, limit: 1000 });
    const rb = await binanceGet(b.origin, kb, "/api/v3/myTrades", { symbol, fromId: 0, limit: 1000 });
    expect(rb.json).toEqual(ra.json);
  });

  it("a trade seed fixes the history whatever the simulator seed", async () => {
    const other = await startExchangeSim({ seed: 999 });
    try {
      const k1 = a.createKey({ exchange: "okx", trades });
      const k2 = other.createKey({ exchange: "okx", trades });
      expect(k2.apiKey).not.toBe(k1.apiKey);
      expect(other.trades("okx", k2.apiKey)).toEqual(a.trades("okx", k1.apiKey));
    } finally {
      await other.close();
    }
  });
});

describe("a million trades", () => {
  // How fast is the benchmarks' business (docs/benchmarks.md), not a timed test's.
  it("is created and served page by page from anywhere in it over HTTP", async () => {
    const key = a.createKey({
      exchange: "binance",
      trades: { count: 1_000_000, markets: 20, seed: 3, startTime: new Date(Date.now() - 700 * DAY), endTime: new Date(Date.now() - DAY) },
    });
    expect(a.tradeCount("binance", key.apiKey)).toBe(1_000_000);
    const symbol = a.markets("binance", key.apiKey).traded[5]!;
    const first = await binanceGet(a.origin, key, "/api/v3/myTrades", { symbol, limit: 1000 }); // builds the market index
    expect(first.json).toHaveLength(1000);
    const mid = await binanceGet(a.origin, key, "/api/v3/myTrades", { symbol, fromId: first.json[0].id - 500_000, limit: 1000 });
    expect(mid.json).toHaveLength(1000);
    // the ground truth agrees on any slice
    const slice = a.trades("binance", key.apiKey, { offset: 999_990, limit: 10 });
    expect(slice).toHaveLength(10);
    expect(slice.at(-1)!.raw).toEqual(
      (await binanceGet(a.origin, key, "/api/v3/myTrades", { symbol: slice.at(-1)!.symbol, limit: 1 })).json[0],
    );

    const bk = a.createKey({
      exchange: "bybit",
      trades: { count: 1_000_000, markets: 10, seed: 4, startTime: new Date(Date.now() - 365 * DAY), endTime: new Date(Date.now() - 60_000) },
    });
    const page = await bybitRequest(a.origin, bk, "GET", "/v5/execution/list", { category: "spot", limit: 100 });
    expect(page.json.result.list).toHaveLength(100);
  });
});
