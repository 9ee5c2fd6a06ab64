import { describe, expect, it } from "vitest";
import { diffAlerts, type CheckState, type KeyContext } from "@/lib/alerts/diff-alerts";

const NOW = new Date("2026-12-01T12:00:00Z");
const DAY = 86_400_000;
const daysAgo = (d: number) => new Date(NOW.getTime() - d * DAY);
const SAFE = { read: true, spotTrade: true, marginTrade: false, futuresTrade: false, withdraw: false, transfer: false, other: [] };

const state = (id: string, change: Partial<CheckState> = {}): CheckState => ({ id, status: "valid", permissions: SAFE, ipRestricted: true, expiresAt: null, ...change });
const key = (change: Partial<KeyContext> = {}): KeyContext => ({
  label: "Main",
  exchangeName: "Binance",
  boundAt: daysAgo(10),
  lastUsedAt: daysAgo(1),
  keyCreatedAt: daysAgo(10),
  unbindInProgress: false,
  rotationDays: 90,
  ...change,
});
const diff = (previous: CheckState | null, current: CheckState, context = key()) => diffAlerts(previous, previous, current, context, NOW);
const kinds = (previous: CheckState | null, current: CheckState, context = key()) => diff(previous, current, context).map((a) => `${a.kind}@${a.change}`);

describe("alert diffing", () => {
  it("nothing changed on a healthy key: no alert", () => {
    expect(diff(state("c1"), state("c2"))).toEqual([]);
    expect(diff(null, state("c1"))).toEqual([]);
  });

  it("withdrawal or transfer permission gained: one alert each, named after the answer they changed from", () => {
    expect(kinds(state("c1"), state("c2", { permissions: { ...SAFE, withdraw: true } }))).toEqual(["withdraw_gained@after:c1"]);
    expect(kinds(state("c1"), state("c2", { permissions: { ...SAFE, withdraw: true, transfer: true } }))).toEqual(["withdraw_gained@after:c1", "transfer_gained@after:c1"]);
    const alert = diff(state("c1"), state("c2", { permissions: { ...SAFE, withdraw: true } }))[0]!;
    expect(alert).toMatchObject({ title: "Withdrawal permission turned on", message: "“Main” (Binance) can now withdraw funds; it could not at the previous check." });
    expect(alert.advice).toMatch(/Turn the permission off/);
  });

  it("the next check, whose previous answer already had the permission, raises nothing: one alert per change", () => {
    const gained = state("c2", { permissions: { ...SAFE, withdraw: true } });
    expect(diff(gained, state("c3", { permissions: { ...SAFE, withdraw: true } }))).toEqual([]);
    // two checks that both saw the change from the same answer name it alike
    expect(kinds(state("c1"), gained)).toEqual(kinds(state("c1"), state("c2b", { permissions: { ...SAFE, withdraw: true } })));
  });

  it("a permission removed, then gained again, is a new change", () => {
    expect(kinds(state("c3"), state("c4", { permissions: { ...SAFE, withdraw: true } }))).toEqual(["withdraw_gained@after:c3"]);
  });

  it("an unreachable answer in between hides no change: permissions are compared with the last valid answer", () => {
    const unreachable = state("c2", { status: "unreachable", permissions: null, ipRestricted: null });
    const now = state("c3", { permissions: { ...SAFE, withdraw: true } });
    expect(diffAlerts(unreachable, state("c1"), now, key(), NOW).map((a) => a.kind)).toEqual(["withdraw_gained"]);
    expect(diffAlerts(state("c1"), state("c1"), unreachable, key(), NOW)).toEqual([]);
  });

  it("IP restriction lost, but not an unknown restriction", () => {
    expect(kinds(state("c1"), state("c2", { ipRestricted: false }))).toEqual(["ip_restriction_lost@after:c1"]);
    expect(kinds(state("c1", { ipRestricted: null }), state("c2", { ipRestricted: false }))).toEqual([]);
    expect(kinds(state("c1", { ipRestricted: false }), state("c2", { ipRestricted: false }))).toEqual([]);
  });

  it("revoked outside MyITS once, and not while the user unbinds it in the wizard", () => {
    const revoked = state("c2", { status: "revoked", permissions: null, ipRestricted: null });
    expect(kinds(state("c1"), revoked)).toEqual(["revoked_outside@revoked"]);
    expect(kinds(revoked, state("c3", { status: "revoked" }))).toEqual([]);
    expect(kinds(state("c1"), revoked, key({ unbindInProgress: true }))).toEqual([]);
  });

  it("expiry within 14 days, once per expiry date", () => {
    const soon = new Date(NOW.getTime() + 10 * DAY);
    expect(kinds(state("c1"), state("c2", { expiresAt: new Date(NOW.getTime() + 15 * DAY) }))).toEqual([]);
    expect(kinds(state("c1"), state("c2", { expiresAt: soon }))).toEqual([`expiring_soon@${soon.toISOString()}`]);
    expect(diff(state("c1"), state("c2", { expiresAt: soon }))[0]!.message).toBe("“Main” (Binance) expires in 10 day(s), on 2026-12-11.");
  });

  it("unused for 30 and for 90 days, named after the last use (a new idle stretch is a new change)", () => {
    expect(kinds(state("c1"), state("c2"), key({ lastUsedAt: daysAgo(29) }))).toEqual([]);
    expect(kinds(state("c1"), state("c2"), key({ lastUsedAt: daysAgo(30) }))).toEqual([`unused_30@since:${daysAgo(30).toISOString()}`]);
    expect(kinds(state("c1"), state("c2"), key({ lastUsedAt: daysAgo(95) })).map((k) => k.split("@")[0])).toEqual(["unused_30", "unused_90"]);
    // never used: counted from the binding
    expect(kinds(state("c1"), state("c2"), key({ lastUsedAt: null, boundAt: daysAgo(40), keyCreatedAt: daysAgo(1) })).map((k) => k.split("@")[0])).toEqual(["unused_30"]);
  });

  it("older than the rotation age", () => {
    expect(kinds(state("c1"), state("c2"), key({ keyCreatedAt: daysAgo(89) }))).toEqual([]);
    expect(kinds(state("c1"), state("c2"), key({ keyCreatedAt: daysAgo(90) }))).toEqual([`rotation_due@created:${daysAgo(90).toISOString()}`]);
    expect(kinds(state("c1"), state("c2"), key({ keyCreatedAt: daysAgo(40), rotationDays: 30 })).map((k) => k.split("@")[0])).toEqual(["rotation_due"]);
  });
});
