// Injected faults: 5xx for N requests, held sockets (timeouts), truncated bodies and latency,
// scoped by exchange and path prefix, as ccxt and raw clients see them.

import ccxt from "ccxt";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startExchangeSim, type ExchangeSim, type SimKey } from "@/lib/exchange-sim";
import { BINANCE_ADAPTER_OPTIONS, client, rawGet, rejection } from "./helpers";

let sim: ExchangeSim;
let binance: SimKey;
let bybit: SimKey;

beforeAll(async () => {
  sim = await startExchangeSim();
  binance = sim.createKey({ exchange: "binance" });
  bybit = sim.createKey({ exchange: "bybit" });
});
afterAll(async () => {
  await sim.close();
});
afterEach(() => sim.clearFaults());

describe("faults", () => {
  it("5xx for the next N requests of one exchange: ExchangeNotAvailable, then normal again", async () => {
    sim.setFault({ exchange: "binance", kind: "error", status: 503, count: 2 });
    const ex = client(sim.origin, binance, { options: BINANCE_ADAPTER_OPTIONS });
    expect(await rejection(ex.loadMarkets())).toBeInstanceOf(ccxt.ExchangeNotAvailable);
    // other exchanges are untouched
    expect((await rawGet(sim.origin, "/v5/market/time")).status).toBe(200);
    const second = await rawGet(sim.origin, "/api/v3/ping");
    expect(second.status).toBe(503);
    expect(second.text).toContain("503 Service Temporarily Unavailable");
    expect(sim.faults()).toEqual([]);
    await ex.loadMarkets(true);
    expect(Object.keys(ex.markets).length).toBeGreaterThan(0);
  });

  it("500 on one path prefix only", async () => {
    sim.setFault({ pathPrefix: "/api/v3/account", kind: "error", status: 500 });
    expect((await rawGet(sim.origin, "/api/v3/account")).status).toBe(500);
    expect((await rawGet(sim.origin, "/api/v3/time")).status).toBe(200);
    expect(sim.faults()).toEqual([{ pathPrefix: "/api/v3/account", kind: "error", status: 500 }]);
  });

  it("a held socket times a short ccxt timeout out (RequestTimeout); the next request works", async () => {
    sim.setFault({ exchange: "bybit", kind: "timeout", count: 1 });
    const ex = client(sim.origin, bybit, { timeout: 300 });
    const started = Date.now();
    expect(await rejection(ex.publicGetV5MarketTime())).toBeInstanceOf(ccxt.RequestTimeout);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect((await ex.publicGetV5MarketTime()).retCode).toBe(0);
  });

  it("a timeout with ms closes the socket without an answer after that time", async () => {
    sim.setFault({ kind: "timeout", ms: 150, count: 1 });
    const started = Date.now();
    await expect(fetch(`${sim.origin}/api/v5/public/time`)).rejects.toThrow();
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it("malformed: status 200 with a truncated body", async () => {
    const path = "/api/v5/public/instruments?instType=SPOT";
    const full = await rawGet(sim.origin, path);
    sim.setFault({ exchange: "okx", pathPrefix: "/api/v5/public/instruments", kind: "malformed", count: 1 });
    const cut = await rawGet(sim.origin, path);
    expect(cut.status).toBe(200);
    expect(cut.json).toBeUndefined();
    expect(cut.text.length).toBeLessThan(full.text.length);
    expect(full.text.startsWith(cut.text)).toBe(true);
    // ccxt raises no BadResponse for it: the implicit call hands back the unparsed text.
    sim.setFault({ exchange: "okx", pathPrefix: "/api/v5/public/instruments", kind: "malformed", count: 1 });
    const got = await client(sim.origin, sim.createKey({ exchange: "okx" })).publicGetPublicInstruments({ instType: "SPOT" });
    expect(typeof got).toBe("string");
  });

  it("latency delays answers by at least the configured time", async () => {
    sim.setFault({ exchange: "okx", kind: "latency", ms: 250 });
    const t0 = Date.now();
    expect((await rawGet(sim.origin, "/api/v5/public/time")).status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(240);
    const t1 = Date.now();
    await rawGet(sim.origin, "/v5/market/time");
    expect(Date.now() - t1).toBeLessThan(200);
  });

  it("the admin interface is never faulted", async () => {
    sim.setFault({ kind: "error", status: 500 });
    expect((await rawGet(sim.origin, "/__admin/health")).status).toBe(200);
  });
});
