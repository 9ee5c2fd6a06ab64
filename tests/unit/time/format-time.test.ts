import { describe, expect, it } from "vitest";
import { formatRelative, formatTime, validLocale, validTimeZone } from "@/lib/time/format-time";

const instant = new Date("2026-12-01T12:20:45Z");

describe("formatTime", () => {
  it("names the zone and spells the month, in the viewer's locale", () => {
    expect(formatTime(instant, { locale: "en-US", timeZone: "UTC" })).toBe("Dec 1, 2026, 12:20 PM UTC");
    expect(formatTime(instant, { locale: "en-GB", timeZone: "Europe/Berlin" })).toBe("1 Dec 2026, 13:20 CET");
    expect(formatTime(instant, { locale: "de-DE", timeZone: "Europe/Berlin" })).toBe("1. Dez. 2026, 13:20 MEZ");
  });

  it("moves the day with the zone", () => {
    const late = new Date("2026-12-01T23:30:00Z");
    expect(formatTime(late, { locale: "en-GB", timeZone: "UTC" }, "date")).toBe("1 Dec 2026");
    expect(formatTime(late, { locale: "en-GB", timeZone: "Asia/Tokyo" }, "date")).toBe("2 Dec 2026");
  });

  it("has seconds and time-only styles, each with the zone", () => {
    expect(formatTime(instant, { locale: "en-GB", timeZone: "UTC" }, "datetime-seconds")).toBe("1 Dec 2026, 12:20:45 UTC");
    expect(formatTime(instant, { locale: "en-GB", timeZone: "America/New_York" }, "time")).toBe("07:20 GMT-5");
    expect(formatTime(instant.toISOString(), { locale: "en-GB", timeZone: "UTC" }, "time-seconds")).toBe("12:20:45 UTC");
  });

  it("says so when the value is not a time", () => {
    expect(formatTime("not a date", { locale: "en-US", timeZone: "UTC" })).toBe("unknown time");
  });
});

describe("formatRelative", () => {
  const now = instant.getTime();
  it("reads as a person would say it", () => {
    expect(formatRelative(now - 3_000, now, "en")).toBe("now");
    expect(formatRelative(now - 42_000, now, "en")).toBe("42 seconds ago");
    expect(formatRelative(now - 3 * 60_000, now, "en")).toBe("3 minutes ago");
    expect(formatRelative(now - 59 * 60_000 - 59_000, now, "en")).toBe("59 minutes ago");
    expect(formatRelative(now - 26 * 3600_000, now, "en")).toBe("yesterday");
    expect(formatRelative(now + 20 * 24 * 3600_000, now, "en")).toBe("in 2 weeks");
    expect(formatRelative(now - 400 * 24 * 3600_000, now, "en")).toBe("last year");
    expect(formatRelative(now - 3 * 60_000, now, "de")).toBe("vor 3 Minuten");
  });
});

describe("cookie values", () => {
  it("keeps only zones and locales the runtime knows", () => {
    expect(validTimeZone("Europe/Berlin")).toBe("Europe/Berlin");
    expect(validTimeZone("Mars/Olympus")).toBeNull();
    expect(validTimeZone(undefined)).toBeNull();
    expect(validLocale("en-GB")).toBe("en-GB");
    expect(validLocale("not a locale!")).toBeNull();
  });
});
