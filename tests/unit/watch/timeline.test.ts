import { describe, expect, it } from "vitest";
import { buildTimeline, lastChange, type TimelineCheck } from "@/lib/watch/timeline";
import { nextDue } from "@/lib/watch/key-watch-slots";

const SAFE = { read: true, spotTrade: true, marginTrade: false, futuresTrade: false, withdraw: false, transfer: false, other: [] };
const at = (minute: number) => new Date(Date.UTC(2026, 11, 1, 12, minute));
const check = (id: string, minute: number, change: Partial<TimelineCheck> = {}): TimelineCheck => ({
  id, status: "valid", source: "scheduled", permissions: SAFE, ipRestricted: true, expiresAt: null, explanation: null, checkedAt: at(minute), ...change,
});

describe("key timeline", () => {
  it("says what changed between answers, newest first, comparing across an outage", () => {
    const timeline = buildTimeline([
      check("c4", 4, { permissions: { ...SAFE, withdraw: true }, ipRestricted: false }),
      check("c3", 3, { status: "unreachable", permissions: null, ipRestricted: null, explanation: "the exchange did not answer" }),
      check("c2", 2),
      check("c1", 1, { source: "bind" }),
    ]);
    expect(timeline.map((e) => e.changes)).toEqual([["withdrawal permission gained", "IP restriction removed"], ["now unreachable (was valid)"], [], []]);
    expect(timeline[0]!.summary).toBe("valid: read, spot trading, withdrawal; no IP whitelist");
    expect(timeline[1]!.summary).toBe("the exchange did not answer");
    expect(lastChange(timeline)).toEqual({ at: at(4), what: "withdrawal permission gained, IP restriction removed" });
    expect(lastChange(buildTimeline([check("c2", 2), check("c1", 1)]))).toBeNull();
  });
});

describe("the next due time of a key", () => {
  const HOUR = 3_600_000;
  it("keeps the key's phase one period on, and never lands in the past", () => {
    const due = new Date("2026-12-01T03:17:00Z");
    expect(nextDue(due, 24 * HOUR, new Date("2026-12-01T03:18:00Z")).toISOString()).toBe("2026-12-02T03:17:00.000Z");
    // a worker that was down for three days: the next slot of the same phase after now
    expect(nextDue(due, 24 * HOUR, new Date("2026-12-04T05:00:00Z")).toISOString()).toBe("2026-12-05T03:17:00.000Z");
  });
});
