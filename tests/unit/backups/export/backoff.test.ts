import { describe, expect, it } from "vitest";
import { backoffDelay } from "@/lib/backups/export/backoff";

const policy = { baseMs: 500, maxMs: 15_000 };

describe("backoffDelay", () => {
  it("doubles per retry, between half and all of the step", () => {
    expect(backoffDelay(1, policy, 0)).toBe(250);
    expect(backoffDelay(1, policy, 0.999999)).toBe(500);
    expect(backoffDelay(2, policy, 0)).toBe(500);
    expect(backoffDelay(3, policy, 0.5)).toBe(1500);
  });

  it("is capped", () => {
    expect(backoffDelay(20, policy, 0.999999)).toBe(15_000);
    expect(backoffDelay(200, policy, 0)).toBe(7500);
  });

  it("never waits less than the exchange asked for", () => {
    expect(backoffDelay(1, policy, 0, 30_000)).toBe(30_000);
    expect(backoffDelay(5, policy, 1, 10)).toBe(8000);
  });

  it("keeps odd randoms in range", () => {
    expect(backoffDelay(1, policy, -1)).toBe(250);
    expect(backoffDelay(1, policy, 7)).toBe(500);
    expect(backoffDelay(0, policy, 0)).toBe(250);
  });
});
