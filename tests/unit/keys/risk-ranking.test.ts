import { describe, expect, it } from "vitest";
import { assessRisk, rankKeys, REMOVE_AT_SCORE, type RankFacts } from "@/lib/keys/risk-ranking";

const NOW = new Date("2026-12-01T12:00:00Z");
const DAY = 86_400_000;
const daysAgo = (d: number) => new Date(NOW.getTime() - d * DAY);
const SAFE = { read: true, spotTrade: true, marginTrade: false, futuresTrade: false, withdraw: false, transfer: false, other: [] };

function facts(change: Partial<RankFacts> = {}): RankFacts {
  return {
    label: "key",
    revoked: false,
    permissions: SAFE,
    permissionsKnown: true,
    ipRestricted: true,
    expiresAt: null,
    lastUsedAt: daysAgo(1),
    boundAt: daysAgo(10),
    keyCreatedAt: daysAgo(10),
    lastChange: null,
    ...change,
  };
}
const assess = (change: Partial<RankFacts> = {}) => assessRisk(facts(change), { now: NOW, rotationDays: 90 });
const codes = (change: Partial<RankFacts>) => assess(change).reasons.map((r) => r.code);

describe("risk score", () => {
  it("a young, IP-restricted, read/trade key in daily use scores 0 and stays", () => {
    expect(assess()).toEqual({ score: 0, reasons: [], remove: false });
  });

  it("weighs what a leaked key could do: withdraw over transfer over margin or futures", () => {
    const withdraw = assess({ permissions: { ...SAFE, withdraw: true } }).score;
    const transfer = assess({ permissions: { ...SAFE, transfer: true } }).score;
    const futures = assess({ permissions: { ...SAFE, futuresTrade: true } }).score;
    expect(withdraw).toBeGreaterThan(transfer);
    expect(transfer).toBeGreaterThan(futures);
    expect(futures).toBeGreaterThan(0);
  });

  it("names each reason with its points, the score is their sum, biggest first", () => {
    const result = assess({ permissions: { ...SAFE, withdraw: true }, ipRestricted: false, expiresAt: new Date(NOW.getTime() + 5 * DAY) });
    expect(result.reasons.map((r) => [r.code, r.points])).toEqual([["permissions", 40], ["ip_exposure", 25], ["expiry", 15]]);
    expect(result.score).toBe(80);
    expect(result.reasons[2]!.message).toBe("Expires in 5 day(s).");
  });

  it("counts IP exposure, age past the rotation age, and a recent change", () => {
    expect(codes({ ipRestricted: false })).toEqual(["ip_exposure"]);
    expect(codes({ keyCreatedAt: daysAgo(89) })).toEqual([]);
    expect(codes({ keyCreatedAt: daysAgo(90) })).toEqual(["age"]);
    expect(assess({ keyCreatedAt: daysAgo(200) }).score).toBeGreaterThan(assess({ keyCreatedAt: daysAgo(100) }).score);
    expect(codes({ lastChange: { at: daysAgo(2), what: "withdrawal permission gained" } })).toEqual(["last_change"]);
    expect(codes({ lastChange: { at: daysAgo(45), what: "withdrawal permission gained" } })).toEqual([]);
  });

  it("uses the binding date for a key whose exchange tells no creation date, and the rotation age given", () => {
    expect(codes({ keyCreatedAt: null, boundAt: daysAgo(95) })).toEqual(["age"]);
    expect(assessRisk(facts({ keyCreatedAt: daysAgo(40) }), { now: NOW, rotationDays: 30 }).reasons.map((r) => r.code)).toEqual(["age"]);
  });

  it("says remove for a revoked, expired or unused key, and for any key at the removal score", () => {
    expect(assess({ revoked: true }).remove).toBe(true);
    expect(assess({ expiresAt: daysAgo(1) }).remove).toBe(true);
    expect(assess({ lastUsedAt: daysAgo(29) }).remove).toBe(false);
    expect(assess({ lastUsedAt: daysAgo(30) }).remove).toBe(true);
    expect(assess({ lastUsedAt: null, boundAt: daysAgo(95), keyCreatedAt: daysAgo(1) }).reasons.map((r) => [r.code, r.points])).toEqual([["unused", 30]]);
    const risky = assess({ permissions: { ...SAFE, withdraw: true }, ipRestricted: false, expiresAt: new Date(NOW.getTime() + 5 * DAY) });
    expect(risky.score).toBe(REMOVE_AT_SCORE);
    expect(risky.remove).toBe(true);
    expect(assess({ permissions: { ...SAFE, transfer: true }, ipRestricted: false }).remove).toBe(false);
  });

  it("an exchange that does not tell permissions or IP restriction costs a little, not nothing", () => {
    expect(assess({ permissions: null, permissionsKnown: false, ipRestricted: null }).reasons.map((r) => [r.code, r.points])).toEqual([["permissions", 10], ["ip_exposure", 5]]);
  });
});

describe("ranking", () => {
  it("puts the riskiest key first, equal scores by label", () => {
    const keys = [
      facts({ label: "b safe" }),
      facts({ label: "withdraw", permissions: { ...SAFE, withdraw: true } }),
      facts({ label: "a safe" }),
      facts({ label: "open", ipRestricted: false }),
    ];
    const ranked = rankKeys(keys, (k) => k, { now: NOW });
    expect(ranked.map((r) => r.item.label)).toEqual(["withdraw", "open", "a safe", "b safe"]);
    expect(ranked.map((r) => r.score)).toEqual([40, 25, 0, 0]);
  });
});
