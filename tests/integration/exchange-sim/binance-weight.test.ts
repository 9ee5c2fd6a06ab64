// Binance's IP weight limit with a small configured limit: the used-weight header on every
// answer, 429 with Retry-After when over, 418 (ban) for a client that keeps going.

import ccxt from "ccxt";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startExchangeSim, type ExchangeSim, type SimKey } from "@/lib/exchange-sim";
import { BINANCE_ADAPTER_OPTIONS, binanceGet, client, rawGet, rejection } from "./helpers";

let sim: ExchangeSim;
let key: SimKey;

beforeAll(async () => {
  // 50 weight per (long) window: the test decides when the window is over by resetting.
  sim = await startExchangeSim({ binance: { weightLimitPerMinute: 50, windowMs: 600_000 } });
  key = sim.createKey({ exchange: "binance" });
});
afterAll(async () => {
  await sim.close();
});
beforeEach(() => {
  sim.resetRateLimits();
  sim.resetStats();
});

describe("Binance request weight", () => {
  it("reports the window's used weight on every answer, errors included", async () => {
    const ping = await rawGet(sim.origin, "/api/v3/ping");
    expect(ping.headers.get("x-mbx-used-weight-1m")).toBe("1");
    const info = await rawGet(sim.origin, "/api/v3/exchangeInfo");
    expect(info.headers.get("x-mbx-used-weight-1m")).toBe("21");
    const bad = await binanceGet(sim.origin, key, "/api/v3/account", {}, { secret: "wrong" });
    expect(bad.status).toBe(400);
    expect(bad.headers.get("x-mbx-used-weight-1m")).toBe("41");
    expect(sim.stats().binance.usedWeight).toBe(41);
  });

  it("answers 429 with Retry-After over the limit, then 418 to a client that keeps sending", async () => {
    await rawGet(sim.origin, "/api/v3/exchangeInfo"); // 20
    await binanceGet(sim.origin, key, "/api/v3/account"); // 40
    const over = await binanceGet(sim.origin, key, "/api/v3/myTrades", { symbol: "BTCUSDT" }); // 60 > 50
    expect(over.status).toBe(429);
    expect(over.json.code).toBe(-1003);
    expect(over.headers.get("x-mbx-used-weight-1m")).toBe("60");
    expect(Number(over.headers.get("retry-after"))).toBeGreaterThan(0);

    const banned = await rawGet(sim.origin, "/api/v3/ping");
    expect(banned.status).toBe(418);
    expect(banned.json.code).toBe(-1003);
    expect(banned.json.msg).toMatch(/IP banned until \d+/);
    const firstBan = Number(banned.headers.get("retry-after"));
    expect(firstBan).toBeGreaterThan(0);
    // still banned
    expect((await rawGet(sim.origin, "/api/v3/time")).status).toBe(418);
    expect(sim.stats().binance).toMatchObject({ rateLimited429: 1, banned418: 2 });
  });

  it("bans for longer on a repeat offence", async () => {
    // A short window so a ban (2 windows, doubling) runs out within the test.
    const short = await startExchangeSim({ binance: { weightLimitPerMinute: 20, windowMs: 400 } });
    try {
      const offend = async (): Promise<number> => {
        for (;;) {
          while ((await rawGet(short.origin, "/api/v3/exchangeInfo")).status !== 429);
          const r = await rawGet(short.origin, "/api/v3/ping");
          // (if the window rolled over between the two requests there is no ban: go again)
          if (r.status === 418) return Number(/until (\d+)/.exec(r.json.msg)![1]) - Date.now();
        }
      };
      const first = await offend();
      expect(first).toBeGreaterThan(0);
      expect(first).toBeLessThanOrEqual(800);
      await new Promise((r) => setTimeout(r, first + 20));
      expect((await rawGet(short.origin, "/api/v3/ping")).status).toBe(200);
      const second = await offend();
      expect(second).toBeGreaterThan(first + 200);
    } finally {
      await short.close();
    }
  });

  it("ccxt raises DDoSProtection for 429 and 418 and exposes Retry-After", async () => {
    const ex = client(sim.origin, key, { options: BINANCE_ADAPTER_OPTIONS });
    await ex.loadMarkets(); // 20
    await ex.fetchBalance(); // 40
    const e429 = await rejection(ex.fetchBalance());
    expect(e429).toBeInstanceOf(ccxt.DDoSProtection);
    expect(e429.message).toContain("429");
    expect(ex.last_response_headers["Retry-After"] ?? ex.last_response_headers["retry-after"]).toMatch(/^\d+$/);
    const e418 = await rejection(ex.fetchBalance());
    expect(e418).toBeInstanceOf(ccxt.DDoSProtection);
    expect(e418.message).toContain("418");
  });
});
