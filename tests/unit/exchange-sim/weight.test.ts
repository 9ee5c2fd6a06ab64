import { describe, expect, it } from "vitest";
import { WeightLimiter } from "@/lib/exchange-sim/binance/weight";

describe("Binance weight limiter", () => {
  it("counts per fixed window and per IP", () => {
    const l = new WeightLimiter(100, 60_000);
    expect(l.charge("a", 20, 1_000).used).toBe(20);
    expect(l.charge("a", 20, 59_999).used).toBe(40);
    expect(l.charge("b", 5, 59_999).used).toBe(5);
    expect(l.charge("a", 1, 60_000).used).toBe(1); // new window
    expect(l.usedWeight(60_000)).toBe(1);
  });

  it("429 over the limit with Retry-After to the window's end; 418 when the client keeps going", () => {
    const l = new WeightLimiter(30, 60_000);
    l.charge("ip", 20, 0);
    const over = l.charge("ip", 20, 10_000);
    expect(over).toMatchObject({ kind: "limited", used: 40, retryAfter: 50 });
    const ban = l.charge("ip", 1, 11_000);
    expect(ban.kind).toBe("banned");
    expect(ban.bannedUntil).toBe(11_000 + 120_000);
    expect(l.charge("ip", 1, 100_000).kind).toBe("banned");
    // after the ban, a fresh window is fine
    expect(l.charge("ip", 1, 131_001).kind).toBe("ok");
    // repeat offence: double ban
    l.charge("ip", 40, 131_002);
    expect(l.charge("ip", 1, 131_003).bannedUntil).toBe(131_003 + 240_000);
    expect(l.rateLimited429).toBe(2);
    expect(l.banned418).toBe(3);
  });

  it("waiting for Retry-After avoids the ban", () => {
    const l = new WeightLimiter(10, 1_000);
    l.charge("ip", 11, 0);
    expect(l.charge("ip", 1, 1_000).kind).toBe("ok");
  });
});
