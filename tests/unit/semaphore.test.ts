import { describe, expect, it, vi } from "vitest";
import { Semaphore } from "@/lib/concurrency/semaphore";
import { AppError } from "@/lib/errors";

// A hand-released piece of work, so the test decides when each one finishes.
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

describe("semaphore", () => {
  it("runs at most `concurrency` at once and hands slots to waiters in order", async () => {
    const semaphore = new Semaphore({ concurrency: 2, maxQueue: 10, busyMessage: "busy" });
    const gates = Array.from({ length: 4 }, gate);
    const started: number[] = [];
    const runs = gates.map((g, i) => semaphore.run(async () => { started.push(i); await g.opened; return i; }));
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    expect([semaphore.active, semaphore.queued]).toEqual([2, 2]);

    gates[1]!.open();
    await runs[1];
    await Promise.resolve();
    expect(started).toEqual([0, 1, 2]);
    expect([semaphore.active, semaphore.queued]).toEqual([2, 1]);

    for (const g of gates) g.open();
    expect(await Promise.all(runs)).toEqual([0, 1, 2, 3]);
    expect([semaphore.active, semaphore.queued]).toEqual([0, 0]);
  });

  it("refuses with BUSY once the queue is full, and frees the slot when work throws", async () => {
    const semaphore = new Semaphore({ concurrency: 1, maxQueue: 1, busyMessage: "Try again shortly." });
    const g = gate();
    const first = semaphore.run(() => g.opened);
    const second = semaphore.run(async () => { throw new Error("boom"); });
    const third = semaphore.run(async () => "never");
    await expect(third).rejects.toEqual(new AppError("BUSY", "Try again shortly."));
    await expect(third).rejects.toMatchObject({ status: 503 });
    g.open();
    await first;
    await expect(second).rejects.toThrow("boom");
    expect([semaphore.active, semaphore.queued]).toEqual([0, 0]);
    expect(await semaphore.run(async () => "after")).toBe("after");
  });
});

describe("semaphore room", () => {
  it("says BUSY up front exactly when a new caller would be refused", async () => {
    const semaphore = new Semaphore({ concurrency: 1, maxQueue: 1, busyMessage: "busy" });
    const g = gate();
    semaphore.assertRoom();
    const running = semaphore.run(() => g.opened);
    semaphore.assertRoom();
    const waiting = semaphore.run(async () => {});
    expect(() => semaphore.assertRoom()).toThrow(new AppError("BUSY", "busy"));
    g.open();
    await Promise.all([running, waiting]);
    semaphore.assertRoom();
  });
});

describe("semaphore pacing", () => {
  it("answers the caller at once but keeps the slot for minSlotMs, so the next waiter starts only then", async () => {
    vi.useFakeTimers();
    try {
      const semaphore = new Semaphore({ concurrency: 1, maxQueue: 5, busyMessage: "busy", minSlotMs: 40 });
      const started: number[] = [];
      const first = semaphore.run(async () => { started.push(1); return "first"; });
      const second = semaphore.run(async () => { started.push(2); return "second"; });
      expect(await first).toBe("first");
      expect(started).toEqual([1]);
      expect([semaphore.active, semaphore.queued]).toEqual([1, 1]);

      await vi.advanceTimersByTimeAsync(39);
      expect(started).toEqual([1]);
      await vi.advanceTimersByTimeAsync(1);
      expect(await second).toBe("second");
      expect(started).toEqual([1, 2]);
      await vi.advanceTimersByTimeAsync(40);
      expect([semaphore.active, semaphore.queued]).toEqual([0, 0]);
    } finally {
      vi.useRealTimers();
    }
  });
});
