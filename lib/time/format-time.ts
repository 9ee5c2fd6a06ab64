// Every date and time the dashboard shows goes through these functions, so one instant reads the
// same everywhere: in the viewer's locale and time zone, the zone always named, months spelled
// (01/12 reads as 1 December to some readers and 12 January to others). Pure: the server renders
// with the zone the browser reported in a cookie (lib/time/viewer-clock.ts) and the browser
// renders again with its own, through the same code (components/ui/local-time.tsx).

export interface Clock {
  /** A BCP 47 tag, e.g. "en-GB". */
  locale: string;
  /** An IANA zone, e.g. "Europe/Berlin". */
  timeZone: string;
}

export const fallbackClock: Clock = { locale: "en-US", timeZone: "UTC" };

/** Where the browser leaves its zone and locale for the server's next render. */
export const clockCookies = { timeZone: "myits-tz", locale: "myits-locale" } as const;

export type TimeStyle = "datetime" | "datetime-seconds" | "date" | "time" | "time-seconds";

const styles: Record<TimeStyle, Intl.DateTimeFormatOptions> = {
  datetime: { year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", timeZoneName: "short" },
  "datetime-seconds": { year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", second: "2-digit", timeZoneName: "short" },
  date: { year: "numeric", month: "short", day: "numeric" },
  time: { hour: "2-digit", minute: "2-digit", timeZoneName: "short" },
  "time-seconds": { hour: "2-digit", minute: "2-digit", second: "2-digit", timeZoneName: "short" },
};

// Building an Intl formatter costs far more than using one; a page may show hundreds of times.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(clock: Clock, style: TimeStyle): Intl.DateTimeFormat {
  const id = `${clock.locale}|${clock.timeZone}|${style}`;
  let found = formatters.get(id);
  if (!found) {
    found = new Intl.DateTimeFormat(clock.locale, { ...styles[style], timeZone: clock.timeZone });
    formatters.set(id, found);
  }
  return found;
}

function toDate(value: Date | string | number): Date {
  return value instanceof Date ? value : new Date(value);
}

/** An instant as an exact time, e.g. "Dec 1, 2026, 01:20 PM GMT+1". */
export function formatTime(value: Date | string | number, clock: Clock, style: TimeStyle = "datetime"): string {
  const date = toDate(value);
  if (Number.isNaN(date.getTime())) return "unknown time";
  return formatter(clock, style).format(date);
}

const units: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 24 * 3600],
  ["month", 30 * 24 * 3600],
  ["week", 7 * 24 * 3600],
  ["day", 24 * 3600],
  ["hour", 3600],
  ["minute", 60],
];

/**
 * An instant relative to `now`, e.g. "3 minutes ago", "in 2 days", "now" (under 10 seconds,
 * so the text does not tick every second). Whole units, rounded toward zero, so "59 minutes
 * ago" never jumps back to "1 hour ago" and on.
 */
export function formatRelative(value: Date | string | number, now: Date | number, locale: string): string {
  const date = toDate(value);
  if (Number.isNaN(date.getTime())) return "unknown time";
  const seconds = (date.getTime() - toDate(now).getTime()) / 1000;
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: "auto" });
  const size = Math.abs(seconds);
  if (size < 10) return rtf.format(0, "second");
  for (const [unit, length] of units) {
    if (size >= length) return rtf.format(Math.trunc(seconds / length), unit);
  }
  return rtf.format(Math.trunc(seconds), "second");
}

/** A zone the runtime knows, or null: a cookie is only a claim. */
export function validTimeZone(value: string | undefined | null): string | null {
  if (!value || value.length > 64) return null;
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone: value }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/** A locale the runtime supports (its canonical tag), or null. */
export function validLocale(value: string | undefined | null): string | null {
  if (!value || value.length > 35) return null;
  try {
    return Intl.DateTimeFormat.supportedLocalesOf([value])[0] ?? null;
  } catch {
    return null;
  }
}
