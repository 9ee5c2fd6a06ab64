import { describe, expect, it } from "vitest";
import { endOfDay, isCalendarDay, startOfDay } from "@/lib/time/zoned-day";

describe("days in a time zone", () => {
  it("start at the zone's midnight", () => {
    expect(startOfDay("2026-12-01", "UTC").toISOString()).toBe("2026-12-01T00:00:00.000Z");
    expect(startOfDay("2026-12-01", "Europe/Berlin").toISOString()).toBe("2026-11-30T23:00:00.000Z");
    expect(startOfDay("2026-07-01", "Europe/Berlin").toISOString()).toBe("2026-06-30T22:00:00.000Z");
    expect(startOfDay("2026-12-01", "America/New_York").toISOString()).toBe("2026-12-01T05:00:00.000Z");
    expect(startOfDay("2026-12-01", "Asia/Kolkata").toISOString()).toBe("2026-11-30T18:30:00.000Z");
  });

  it("end where the next day starts, also across a daylight-saving change", () => {
    expect(endOfDay("2026-12-01", "UTC").toISOString()).toBe("2026-12-02T00:00:00.000Z");
    // Berlin moves its clocks back on 25 October 2026: that day has 25 hours
    const start = startOfDay("2026-10-25", "Europe/Berlin");
    expect(endOfDay("2026-10-25", "Europe/Berlin").getTime() - start.getTime()).toBe(25 * 3600_000);
    expect(endOfDay("2026-03-29", "Europe/Berlin").getTime() - startOfDay("2026-03-29", "Europe/Berlin").getTime()).toBe(23 * 3600_000);
  });

  it("are only real calendar days", () => {
    expect(isCalendarDay("2026-12-01")).toBe(true);
    expect(isCalendarDay("2026-02-30")).toBe(false);
    expect(isCalendarDay("2026-12-1")).toBe(false);
    expect(isCalendarDay("yesterday")).toBe(false);
  });
});
