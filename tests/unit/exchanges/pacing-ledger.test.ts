import { describe, expect, it } from "vitest";
import { FairQueue } from "@/lib/exchanges/pacing/fair-queue";
import { MemoryLedger, windowsAt } from "@/lib/exchanges/pacing/ledger";
import { WeightPacer } from "@/lib/exchanges/pacing/weight-pacer";
import type { PacedPriority, PacedRequest } from "@/lib/exchanges/types";

// The shared budget's rules on a fake clock: the ledger's windows, several pacers (standing for
// processes) on one ledger, interactive requests ahead of background ones, owners taking turns.
// The SQL function (migration 20261201205000_pacing_ledger) follows the same rules and is
// tested with real processes in tests/integration/exchanges/shared-budget.test.ts.

/** A clock whose sleeps end only when the test moves time on. */
class ManualClock {
  t = 1_000_500;
  private timers: Array<{ at: number; wake: () => void }> = [];
  now = () => this.t;
  sleep = (ms: number, signal?: AbortSignal) =>
    new Promise<void>((resolve, reject) => {
      const timer = { at: this.t + Math.max(0, ms), wake: resolve };
      this.timers.push(timer);
      signal?.addEventListener("abort", () => {
        this.timers = this.timers.filter((t) => t !== timer);
        reject(signal.reason);
      });
    });
  async advance(ms: number) {
    this.t += ms;
    const due = this.timers.filter((t) => t.at <= this.t);
    this.timers = this.timers.filter((t) => t.at > this.t);
    for (const t of due) t.wake();
    await settle();
  }
}

/** A clock that jumps to the end of every sleep at once. */
class JumpingClock {
  t = 1_000_000;
  now = () => this.t;
  sleep = async (ms: number) => {
    this.t += Math.max(0, ms);
  };
}

const settle = async () => {
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
};

const request = (priority: PacedPriority = "background", owner?: string, weight = 1): PacedRequest => ({
  exchange: "binance",
  endpoint: "test",
  weight,
  priority,
  ...(owner ? { owner } : {}),
});

/** Asks for a turn and answers at once (a request left in flight would count into the next window too). */
async function send(pacer: WeightPacer, r: PacedRequest): Promise<void> {
  await pacer.beforeRequest(r);
  pacer.afterResponse(r, { headers: {} });
}

describe("windowsAt", () => {
  it("counts a take in its window, and in both windows next to a boundary within the guard", () => {
    expect(windowsAt(10_500, 1000, 100)).toEqual([10_000]);
    expect(windowsAt(10_050, 1000, 100)).toEqual([9_000, 10_000]);
    expect(windowsAt(10_000, 1000, 100)).toEqual([9_000, 10_000]);
    expect(windowsAt(10_900, 1000, 100)).toEqual([10_000, 11_000]);
    expect(windowsAt(10_899, 1000, 100)).toEqual([10_000]);
  });
});

describe("MemoryLedger", () => {
  it("refuses weight past the ceiling, but lets a request heavier than the budget go alone into an empty window", async () => {
    const clock = new ManualClock();
    const ledger = new MemoryLedger(clock.now);
    const take = (weight: number, ceiling = 10) => ledger.take({ key: "k", weight, ceiling, windowMs: 1000, guardMs: 20 });
    expect(await take(6)).toEqual({ granted: true });
    expect(await take(4)).toEqual({ granted: true });
    // refused: wait until the next window's guard has passed
    expect(await take(1)).toEqual({ granted: false, retryInMs: 1_001_020 - clock.t });
    // a higher ceiling (an interactive request) still fits
    expect(await take(1, 11)).toEqual({ granted: true });
    await clock.advance(1000);
    expect(await take(50)).toEqual({ granted: true });
    expect(await take(1, 100)).toEqual({ granted: true });
    expect(ledger.usedIn("k", 1_001_000)).toBe(51);
  });
});

describe("pacers of several processes on one ledger", () => {
  /** A server that counts per window and tells the client nothing (no used-weight header). */
  function silentServer(windowMs: number) {
    const perWindow = new Map<number, number>();
    return {
      perWindow,
      charge(weight: number, now: number) {
        const w = Math.floor(now / windowMs) * windowMs;
        perWindow.set(w, (perWindow.get(w) ?? 0) + weight);
      },
    };
  }

  async function run(shared: boolean) {
    const clock = new JumpingClock();
    const ledger = new MemoryLedger(clock.now);
    const server = silentServer(1000);
    const pacers = [0, 1, 2].map(
      () => new WeightPacer({ limit: 50, windowMs: 1000, trustLimit: true, now: clock.now, sleep: clock.sleep, ...(shared ? { ledger: { ledger, key: "binance|default|spot" } } : {}) }),
    );
    // three processes, each with more work than the whole budget, taking turns
    for (let i = 0; i < 600; i++) {
      const pacer = pacers[i % 3]!;
      const r = request("background", undefined, 1 + (i % 5));
      await pacer.beforeRequest(r);
      clock.t += 1;
      server.charge(r.weight, clock.t);
      pacer.afterResponse(r, { headers: {} });
    }
    return Math.max(...server.perWindow.values());
  }

  it("stay under the limit together, which each alone does not", async () => {
    expect(await run(true)).toBeLessThanOrEqual(50);
    // the same three without the ledger: each spends a whole budget of its own
    expect(await run(false)).toBeGreaterThan(100);
  });

  it("leave a reserve that a user's check in another process takes at once", async () => {
    const clock = new ManualClock();
    const ledger = new MemoryLedger(clock.now);
    const options = { limit: 100, windowMs: 1000, guardMs: 20, trustLimit: true, interactiveReserveFraction: 0.1, now: clock.now, sleep: clock.sleep };
    const worker = new WeightPacer({ ...options, ledger: { ledger, key: "k" } });
    const web = new WeightPacer({ ...options, ledger: { ledger, key: "k" } });
    // background work in the worker spends its share of the window (100 - 2 - 10)...
    for (let i = 0; i < 88; i++) await send(worker, request("background"));
    let waiting = true;
    const queued = send(worker, request("background")).then(() => (waiting = false));
    await settle();
    expect(waiting).toBe(true);
    // ...and a user's check in the web process goes without waiting for the next window
    await send(web, request("interactive"));
    expect(web.stats.waits).toBe(0);
    expect(waiting).toBe(true);
    await clock.advance(1000);
    await queued;
  });
});

describe("priority and turns within a process", () => {
  it("lets an interactive request go ahead of background ones waiting for the next window", async () => {
    const clock = new ManualClock();
    const pacer = new WeightPacer({ limit: 100, windowMs: 1000, guardMs: 20, trustLimit: true, interactiveReserveFraction: 0.1, now: clock.now, sleep: clock.sleep });
    for (let i = 0; i < 88; i++) await send(pacer, request("background"));
    const order: string[] = [];
    const background = [1, 2, 3].map((n) => send(pacer, request("background")).then(() => order.push(`background ${n}`)));
    await settle();
    await send(pacer, request("interactive"));
    order.push("interactive");
    await clock.advance(1000);
    await Promise.all(background);
    expect(order).toEqual(["interactive", "background 1", "background 2", "background 3"]);
  });

  it("has background requests wait while interactive ones are being decided about", async () => {
    const clock = new ManualClock();
    const pacer = new WeightPacer({ limit: 10, windowMs: 1000, guardMs: 20, trustLimit: true, now: clock.now, sleep: clock.sleep });
    for (let i = 0; i < 5; i++) await send(pacer, request("background"));
    // a heavy user's request does not fit in what is left of the window: it waits for the next one
    const order: string[] = [];
    const user = send(pacer, request("interactive", undefined, 5)).then(() => order.push("interactive"));
    await settle();
    // a light background request would fit, but waits behind it
    const work = send(pacer, request("background")).then(() => order.push("background"));
    await settle();
    expect(order).toEqual([]);
    await clock.advance(1000);
    await Promise.all([user, work]);
    expect(order).toEqual(["interactive", "background"]);
  });

  it("lets the owners of waiting requests (exports) take turns", async () => {
    const clock = new ManualClock();
    const pacer = new WeightPacer({ limit: 10, windowMs: 1000, guardMs: 20, trustLimit: true, now: clock.now, sleep: clock.sleep });
    const order: string[] = [];
    const all = [
      ...Array.from({ length: 30 }, () => send(pacer, request("background", "export-a")).then(() => order.push("a"))),
      ...Array.from({ length: 3 }, () => send(pacer, request("background", "export-b")).then(() => order.push("b"))),
    ];
    await settle();
    // a's thirty were asked for first, yet b's three are among the first in the window
    expect(order.slice(0, 6)).toEqual(["a", "b", "a", "b", "a", "b"]);
    for (let i = 0; i < 5; i++) await clock.advance(1000);
    await Promise.all(all);
    expect(order.filter((o) => o === "a")).toHaveLength(30);
  });
});

describe("FairQueue", () => {
  it("gives an aborted waiter's place to the next one", async () => {
    const queue = new FairQueue();
    const head = await queue.enter("background", "x");
    const abort = new AbortController();
    const gone = queue.enter("background", "y", abort.signal);
    const next = queue.enter("background", "z");
    abort.abort(new Error("shutdown"));
    await expect(gone).rejects.toThrow("shutdown");
    head.release();
    const turn = await next;
    expect(queue.waiting("background")).toBe(true);
    turn.release();
    expect(queue.waiting("background")).toBe(false);
    await queue.idle("background");
  });
});
