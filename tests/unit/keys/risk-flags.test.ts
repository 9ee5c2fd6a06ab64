import { describe, expect, it } from "vitest";
import { riskFlags, type RiskFacts } from "@/lib/keys/risk-flags";

const NOW = new Date("2026-11-24T12:00:00Z");
const DAY = 86_400_000;
const daysAgo = (d: number) => new Date(NOW.getTime() - d * DAY);
const SAFE = { read: true, spotTrade: true, marginTrade: false, futuresTrade: false, withdraw: false, transfer: false, other: [] };

function facts(change: Partial<RiskFacts> = {}): RiskFacts {
  return { revoked: false, permissions: SAFE, ipRestricted: true, expiresAt: null, lastUsedAt: daysAgo(1), boundAt: daysAgo(100), ...change };
}
const codes = (f: RiskFacts) => riskFlags(f, NOW).map((flag) => flag.code);

describe("risk flags", () => {
  it("a restricted, read/trade-only key in use has none", () => {
    expect(riskFlags(facts(), NOW)).toEqual([]);
  });

  it("flags withdrawal permission as high", () => {
    expect(riskFlags(facts({ permissions: { ...SAFE, withdraw: true } }), NOW)).toEqual([expect.objectContaining({ code: "withdraw_enabled", severity: "high" })]);
  });

  it("flags a key without IP whitelist, but not one whose restriction is unknown", () => {
    expect(codes(facts({ ipRestricted: false }))).toEqual(["no_ip_whitelist"]);
    expect(codes(facts({ ipRestricted: null }))).toEqual([]);
  });

  it("flags a key unused for 30 days, counting from binding when never used", () => {
    expect(codes(facts({ lastUsedAt: daysAgo(29) }))).toEqual([]);
    expect(codes(facts({ lastUsedAt: daysAgo(30) }))).toEqual(["unused"]);
    expect(codes(facts({ lastUsedAt: null, boundAt: daysAgo(10) }))).toEqual([]);
    expect(riskFlags(facts({ lastUsedAt: null, boundAt: daysAgo(45) }), NOW)[0]?.message).toMatch(/Not used for 45 days/);
  });

  it("flags expiry within 14 days, and an expired key", () => {
    expect(codes(facts({ expiresAt: new Date(NOW.getTime() + 15 * DAY) }))).toEqual([]);
    expect(riskFlags(facts({ expiresAt: new Date(NOW.getTime() + 14 * DAY) }), NOW)).toEqual([expect.objectContaining({ code: "expiring_soon", message: expect.stringContaining("14 day") })]);
    expect(codes(facts({ expiresAt: daysAgo(1) }))).toEqual(["expired"]);
  });

  it("flags a revoked key first, alongside the others", () => {
    expect(codes(facts({ revoked: true, ipRestricted: false, lastUsedAt: daysAgo(90) }))).toEqual(["revoked", "no_ip_whitelist", "unused"]);
  });
});
