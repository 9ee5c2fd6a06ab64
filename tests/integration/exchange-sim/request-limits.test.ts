// Optional per-key endpoint limits of OKX (429, code 50011) and Bybit (retCode 10006 with
// X-Bapi-Limit-* headers), off unless configured.

import ccxt from "ccxt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startExchangeSim, type ExchangeSim } from "@/lib/exchange-sim";
import { bybitRequest, client, okxGet, rejection } from "./helpers";

let sim: ExchangeSim;
beforeAll(async () => {
  sim = await startExchangeSim({ okx: { requestsPerWindow: 3, windowMs: 600_000 }, bybit: { requestsPerWindow: 3, windowMs: 600_000 } });
});
afterAll(async () => {
  await sim.close();
});

describe("OKX and Bybit request limits", () => {
  it("OKX: the 4th call to one endpoint within the window is refused with 50011", async () => {
    const k = sim.createKey({ exchange: "okx" });
    for (let i = 0; i < 3; i++) expect((await okxGet(sim.origin, k, "/api/v5/account/config")).status).toBe(200);
    const r = await okxGet(sim.origin, k, "/api/v5/account/config");
    expect(r.status).toBe(429);
    expect(r.json).toEqual({ code: "50011", msg: "Too Many Requests", data: [] });
    // another endpoint has its own budget
    expect((await okxGet(sim.origin, k, "/api/v5/account/balance")).status).toBe(200);
    expect(await rejection(client(sim.origin, k).privateGetAccountConfig())).toBeInstanceOf(ccxt.RateLimitExceeded);
    sim.resetRateLimits();
    expect((await okxGet(sim.origin, k, "/api/v5/account/config")).status).toBe(200);
  });

  it("Bybit: retCode 10006 and the limit headers", async () => {
    const k = sim.createKey({ exchange: "bybit" });
    const first = await bybitRequest(sim.origin, k, "GET", "/v5/user/query-api");
    expect(first.headers.get("x-bapi-limit")).toBe("3");
    expect(first.headers.get("x-bapi-limit-status")).toBe("2");
    await bybitRequest(sim.origin, k, "GET", "/v5/user/query-api");
    await bybitRequest(sim.origin, k, "GET", "/v5/user/query-api");
    const over = await bybitRequest(sim.origin, k, "GET", "/v5/user/query-api");
    expect(over.json.retCode).toBe(10006);
    expect(over.headers.get("x-bapi-limit-status")).toBe("0");
    expect(await rejection(client(sim.origin, k).privateGetV5UserQueryApi())).toBeInstanceOf(ccxt.RateLimitExceeded);
  });
});
