import { describe, expect, it } from "vitest";
import { CooldownPacer } from "@/lib/exchanges/pacing/cooldown-pacer";
import { PooledPacer } from "@/lib/exchanges/pacing/pooled-pacer";
import { WeightPacer } from "@/lib/exchanges/pacing/weight-pacer";
import type { PacedOutcome, PacedRequest } from "@/lib/exchanges/types";

// The pacer's arithmetic against a model of Binance's fixed-window weight counter, on a fake
// clock: no real waiting, so hours of traffic take milliseconds.

class FakeClock {
  t = 1_000_000;
  now = () => this.t;
  sleep = async (ms: number) => {
    this.t += Math.max(0, ms);
  };
}

/** Binance's IP counter, as the simulator implements it: fixed windows, 429, then 418. */
class FakeBinance {
  private windowStart = -1;
  used = 0;
  limitedUntil = 0;
  bannedUntil = 0;
  count429 = 0;
  count418 = 0;
  maxUsed = 0;
  totalWeight = 0;
  constructor(
    readonly limit: number,
    readonly windowMs: number,
    readonly skewMs = 0,
  ) {}
  charge(weight: number, clientNow: number): PacedOutcome {
    const now = clientNow + this.skewMs;
    const start = Math.floor(now / this.windowMs) * this.windowMs;
    if (start !== this.windowStart) {
      this.windowStart = start;
      this.used = 0;
    }
    const retry = (until: number) => String(Math.max(1, Math.ceil((until - now) / 1000)));
    const headers = (extra: Record<string, string> = {}): Record<string, string> => ({ "x-mbx-used-weight-1m": String(this.used), ...extra });
    if (this.bannedUntil > now || this.limitedUntil > now) {
      if (this.limitedUntil > now) this.bannedUntil = now + 2 * this.windowMs;
      this.limitedUntil = 0;
      this.count418++;
      const h = headers({ "retry-after": retry(this.bannedUntil) });
      return { headers: h, error: { status: "unreachable", reason: "rate_limited", message: "418 IP banned until", retryAfterMs: Number(h["retry-after"]) * 1000 } };
    }
    this.used += weight;
    this.totalWeight += weight;
    if (this.used > this.limit) {
      this.limitedUntil = start + this.windowMs;
      this.count429++;
      const h = headers({ "retry-after": retry(this.limitedUntil) });
      return { headers: h, error: { status: "unreachable", reason: "rate_limited", message: "429 Too many requests", retryAfterMs: Number(h["retry-after"]) * 1000 } };
    }
    this.maxUsed = Math.max(this.maxUsed, this.used);
    return { headers: headers() };
  }
}

const myTrades = (): PacedRequest => ({ exchange: "binance", endpoint: "myTrades", weight: 20 });

async function send(pacer: WeightPacer, server: FakeBinance, clock: FakeClock, request: PacedRequest, latencyMs = 10) {
  await pacer.beforeRequest(request);
  clock.t += latencyMs / 2;
  const outcome = server.charge(request.weight, clock.t);
  clock.t += latencyMs / 2;
  pacer.afterResponse(request, outcome);
  return outcome;
}

describe("WeightPacer", () => {
  it("keeps a long export under 6000/min with no 429, at more than 90% of the bound", async () => {
    const clock = new FakeClock();
    const server = new FakeBinance(6000, 60_000);
    const pacer = new WeightPacer({ now: clock.now, sleep: clock.sleep });
    const start = clock.t;
    for (let i = 0; i < 3000; i++) await send(pacer, server, clock, myTrades());
    expect(server.count429 + server.count418).toBe(0);
    expect(server.maxUsed).toBeLessThanOrEqual(6000);
    // the bound over every window the export touched
    const windows = Math.floor(clock.t / 60_000) - Math.floor(start / 60_000) + 1;
    const fraction = server.totalWeight / (6000 * windows);
    expect(fraction).toBeGreaterThan(0.9);
    expect(fraction).toBeLessThanOrEqual(1);
  });

  it("spends the budget at once and waits for the next window plus the guard", async () => {
    const clock = new FakeClock();
    clock.t = 120_000; // a window start
    const pacer = new WeightPacer({ limit: 100, windowMs: 1000, reserveFraction: 0, guardMs: 20, now: clock.now, sleep: clock.sleep });
    for (let i = 0; i < 5; i++) {
      const request = myTrades();
      await pacer.beforeRequest(request);
      pacer.afterResponse(request, { headers: {} });
    }
    expect(clock.t).toBe(120_000);
    await pacer.beforeRequest(myTrades());
    expect(clock.t).toBe(121_020);
    expect(pacer.stats).toMatchObject({ requests: 6, weight: 120, waits: 2 });
  });

  it("counts what other processes used, from the used-weight header", async () => {
    const clock = new FakeClock();
    clock.t = 60_000 * 100 + 5000;
    const server = new FakeBinance(6000, 60_000);
    server.charge(5000, clock.t); // another process on the same IP
    const pacer = new WeightPacer({ now: clock.now, sleep: clock.sleep });
    await send(pacer, server, clock, myTrades());
    expect(pacer.usedWeight()).toBe(5020);
    for (let i = 0; i < 100; i++) await send(pacer, server, clock, myTrades());
    expect(server.count429).toBe(0);
    // 880 weight was left in that window (5880 budget): 43 more requests, then the next window
    expect(clock.t).toBeGreaterThan(60_000 * 101);
  });

  it("stops everything after a 429 until Retry-After, learns the lower limit, and is never banned", async () => {
    const clock = new FakeClock();
    const server = new FakeBinance(300, 2000); // a server configured far below 6000
    const pacer = new WeightPacer({ windowMs: 2000, now: clock.now, sleep: clock.sleep });
    let failures = 0;
    for (let i = 0; i < 200; i++) {
      const outcome = await send(pacer, server, clock, myTrades());
      if (outcome.error) failures++;
    }
    expect(server.count418).toBe(0);
    expect(server.count429).toBe(1);
    expect(failures).toBe(1);
    expect(pacer.effectiveLimit).toBeLessThanOrEqual(300);
    expect(pacer.effectiveLimit).toBeGreaterThanOrEqual(280);
    expect(pacer.stats.rateLimited).toBe(1);
  });

  it("waits out a ban (418) with its Retry-After", async () => {
    const clock = new FakeClock();
    const pacer = new WeightPacer({ now: clock.now, sleep: clock.sleep });
    const request = myTrades();
    await pacer.beforeRequest(request);
    pacer.afterResponse(request, {
      headers: { "retry-after": "120" },
      error: { status: "unreachable", reason: "rate_limited", message: "IP banned until 123", retryAfterMs: 120_000 },
    });
    const before = clock.t;
    await pacer.beforeRequest(myTrades());
    expect(clock.t - before).toBeGreaterThanOrEqual(120_000);
    expect(pacer.stats.banned).toBe(1);
    expect(pacer.effectiveLimit).toBe(6000);
  });

  it("tolerates a server clock ahead by less than the guard", async () => {
    const clock = new FakeClock();
    const server = new FakeBinance(6000, 60_000, 800);
    const pacer = new WeightPacer({ now: clock.now, sleep: clock.sleep });
    for (let i = 0; i < 2000; i++) await send(pacer, server, clock, myTrades(), 40);
    expect(server.count429 + server.count418).toBe(0);
  });

  it("survives a server clock behind ours (the reserve absorbs the first request of a window)", async () => {
    const clock = new FakeClock();
    const server = new FakeBinance(6000, 60_000, -3000);
    const pacer = new WeightPacer({ now: clock.now, sleep: clock.sleep });
    for (let i = 0; i < 2000; i++) await send(pacer, server, clock, myTrades(), 40);
    expect(server.count429 + server.count418).toBe(0);
  });

  it("shares one budget between concurrent callers, in-flight requests included", async () => {
    // real timers, a small window: several exports of one process at once
    const server = new FakeBinance(200, 150);
    const pacer = new WeightPacer({ limit: 200, windowMs: 150 });
    const worker = async () => {
      for (let i = 0; i < 8; i++) {
        const request = myTrades();
        await pacer.beforeRequest(request);
        await new Promise((r) => setTimeout(r, 3));
        const outcome = server.charge(request.weight, Date.now());
        await new Promise((r) => setTimeout(r, 3));
        pacer.afterResponse(request, outcome);
      }
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
    expect(server.count429 + server.count418).toBe(0);
    expect(pacer.stats.requests).toBe(32);
  });

  it("goes one request at a time beyond the window weight the server has accepted", async () => {
    // real timers: a second request waits for the first one's answer, not for a window
    const pacer = new WeightPacer({ limit: 6000, windowMs: 60_000 });
    const first = myTrades();
    await pacer.beforeRequest(first);
    let second = false;
    const waiting = pacer.beforeRequest(myTrades()).then(() => (second = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(second).toBe(false);
    pacer.afterResponse(first, { headers: { "x-mbx-used-weight-1m": "20" } });
    await waiting;
    // once the server has taken 200 in a window, requests up to that level go side by side
    pacer.afterResponse(myTrades(), { headers: { "x-mbx-used-weight-1m": "200" } });
    const third = myTrades();
    await pacer.beforeRequest(third);
    await pacer.beforeRequest(myTrades());
    expect(pacer.stats.requests).toBe(4);
  });

  it("sends side by side from the first request once the exchange states its limit, and takes a lower stated one as the limit", async () => {
    const pacer = new WeightPacer({ limit: 6000, windowMs: 60_000 });
    pacer.declareLimit(myTrades(), 6000);
    // nothing answered yet: every request of the budget goes at once, none waits for another
    const inFlight = Array.from({ length: 294 }, () => myTrades());
    await Promise.all(inFlight.map((r) => pacer.beforeRequest(r)));
    expect(pacer.usedWeight()).toBe(5880);
    expect(pacer.stats.waits).toBe(0);

    const lower = new WeightPacer({ limit: 6000, windowMs: 60_000 });
    lower.declareLimit(myTrades(), 1200);
    expect(lower.effectiveLimit).toBe(1200);
    expect(lower.budget).toBe(1176);
    // a nonsense statement changes nothing
    lower.declareLimit(myTrades(), Number.NaN);
    lower.declareLimit(myTrades(), 0);
    expect(lower.effectiveLimit).toBe(1200);
  });

  it("a pooled pacer hands a stated limit to the request's own pool", async () => {
    const spot = new WeightPacer({ limit: 6000, windowMs: 60_000 });
    const fapi = new WeightPacer({ limit: 2400, windowMs: 60_000 });
    const pooled = new PooledPacer(spot, { fapi });
    pooled.declareLimit({ exchange: "binance", endpoint: "exchangeInfo", weight: 0, pool: "fapi" }, 1000);
    expect(fapi.effectiveLimit).toBe(1000);
    expect(spot.effectiveLimit).toBe(6000);
  });

  it("holds the UID pool's requests while the main pool is held back by a 429 (they are /sapi paths)", async () => {
    const main = new WeightPacer({ limit: 6000, windowMs: 60_000 });
    const uid = new WeightPacer({ limit: 180_000, windowMs: 60_000, usedWeightHeader: "x-sapi-used-uid-weight-1m" });
    const pacer = new PooledPacer(main, { uid });
    const limited = myTrades();
    await pacer.beforeRequest(limited);
    pacer.afterResponse(limited, { headers: {}, error: { status: "unreachable", reason: "rate_limited", message: "429 Too many requests", retryAfterMs: 60 } });
    const convert: PacedRequest = { exchange: "binance", endpoint: "convert", weight: 3000, pool: "uid" };
    const started = Date.now();
    await pacer.beforeRequest(convert);
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);
    // a /fapi request is another IP counter: it does not wait
    const both = new PooledPacer(new WeightPacer({ limit: 6000, windowMs: 60_000 }), { uid, fapi: new WeightPacer({ limit: 2400 }) });
    const again = myTrades();
    await both.beforeRequest(again);
    both.afterResponse(again, { headers: {}, error: { status: "unreachable", reason: "rate_limited", message: "429 Too many requests", retryAfterMs: 5000 } });
    const t = Date.now();
    await both.beforeRequest({ exchange: "binance", endpoint: "fapiTrades", weight: 5, pool: "fapi" });
    expect(Date.now() - t).toBeLessThan(1000);
  });

  it("an aborted wait rejects and takes no budget", async () => {
    const pacer = new WeightPacer({ limit: 20, windowMs: 60_000, reserveFraction: 0 });
    await pacer.beforeRequest(myTrades());
    const controller = new AbortController();
    const waiting = pacer.beforeRequest(myTrades(), controller.signal);
    controller.abort(new Error("stopping"));
    await expect(waiting).rejects.toThrow("stopping");
    expect(pacer.stats.requests).toBe(1);
  });
});

describe("CooldownPacer", () => {
  it("holds every request until Retry-After after a rate-limit answer", async () => {
    const clock = new FakeClock();
    const pacer = new CooldownPacer({ now: clock.now, sleep: clock.sleep });
    const request: PacedRequest = { exchange: "okx", endpoint: "trade/fills-history", weight: 1 };
    await pacer.beforeRequest(request);
    pacer.afterResponse(request, { headers: {}, error: { status: "unreachable", reason: "rate_limited", message: "50011", retryAfterMs: 2000 } });
    const before = clock.t;
    await pacer.beforeRequest(request);
    expect(clock.t - before).toBe(2000);
  });

  it("waits for Bybit's limit reset when no requests are left", async () => {
    const clock = new FakeClock();
    const pacer = new CooldownPacer({ now: clock.now, sleep: clock.sleep });
    const request: PacedRequest = { exchange: "bybit", endpoint: "execution/list", weight: 1 };
    await pacer.beforeRequest(request);
    pacer.afterResponse(request, { headers: { "x-bapi-limit-status": "0", "x-bapi-limit-reset-timestamp": String(clock.t + 700) } });
    const before = clock.t;
    await pacer.beforeRequest(request);
    expect(clock.t - before).toBe(700);
  });
});
