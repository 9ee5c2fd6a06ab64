import { describe, expect, it } from "vitest";
import { evaluateLockout, LOCKOUT_WINDOW_MS } from "@/lib/auth/lockout";

const now = new Date("2026-11-23T12:00:00Z");
const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000);

describe("lockout rule", () => {
  it("does not lock after four failures", () => {
    expect(evaluateLockout([1, 2, 3, 4].map(minutesAgo), now)).toEqual({ locked: false, failures: 4, until: null });
  });

  it("locks on the fifth failure within fifteen minutes, until the oldest of them is fifteen minutes old", () => {
    const state = evaluateLockout([1, 2, 3, 4, 10].map(minutesAgo), now);
    expect(state.locked).toBe(true);
    expect(state.until).toEqual(new Date(minutesAgo(10).getTime() + LOCKOUT_WINDOW_MS));
  });

  it("ignores failures older than the window", () => {
    expect(evaluateLockout([1, 2, 3, 4, 16].map(minutesAgo), now).locked).toBe(false);
  });

  it("expires exactly at the end of the window", () => {
    const failures = [1, 2, 3, 4, 5].map(minutesAgo);
    const until = evaluateLockout(failures, now).until!;
    expect(evaluateLockout(failures, new Date(until.getTime() - 1)).locked).toBe(true);
    expect(evaluateLockout(failures, until).locked).toBe(false);
  });
});
