"use client";

import { createContext, useContext, useEffect, useState, type ReactNode } from "react";
import { clockCookies, fallbackClock, formatRelative, formatTime, type Clock, type TimeStyle } from "@/lib/time/format-time";

// The one way the dashboard shows a time (lib/time/format-time.ts does the words). The server
// renders with the clock it read from the cookies (lib/time/viewer-clock.ts) and the instant it
// rendered at; the browser's first render uses exactly those, so hydration finds the same text.
// Then the browser switches to its own zone, locale and a live "now", and stores zone and locale
// in cookies so the next server render already matches.

interface ViewerClock extends Clock {
  /** Epoch milliseconds that relative times count from. */
  now: number;
}

const ClockContext = createContext<ViewerClock>({ ...fallbackClock, now: 0 });

const COOKIE_AGE = 365 * 24 * 3600;
const TICK_MS = 15_000;

export function ClockProvider({ clock, renderedAt, children }: { clock: Clock; renderedAt: number; children: ReactNode }) {
  const [value, setValue] = useState<ViewerClock>({ ...clock, now: renderedAt });
  useEffect(() => {
    const browser = Intl.DateTimeFormat().resolvedOptions();
    const own: Clock = { locale: navigator.language || browser.locale, timeZone: browser.timeZone || fallbackClock.timeZone };
    document.cookie = `${clockCookies.timeZone}=${encodeURIComponent(own.timeZone)}; path=/; max-age=${COOKIE_AGE}; samesite=lax`;
    document.cookie = `${clockCookies.locale}=${encodeURIComponent(own.locale)}; path=/; max-age=${COOKIE_AGE}; samesite=lax`;
    const tick = () => setValue({ ...own, now: Date.now() });
    tick();
    const timer = setInterval(tick, TICK_MS);
    return () => clearInterval(timer);
  }, []);
  return <ClockContext.Provider value={value}>{children}</ClockContext.Provider>;
}

/** The viewer's clock, for client code that needs "now" (e.g. to tell how long ago). */
export function useViewerClock(): ViewerClock {
  return useContext(ClockContext);
}

/**
 * An instant: exact (`style`), or `relative` ("3 minutes ago") with the exact time on hover.
 * `value` null shows `empty`.
 */
export function LocalTime({
  value,
  style = "datetime",
  relative = false,
  empty = "never",
  testId,
}: {
  value: Date | string | null | undefined;
  style?: TimeStyle;
  relative?: boolean;
  empty?: string;
  testId?: string;
}) {
  const clock = useViewerClock();
  if (value === null || value === undefined) return <span data-testid={testId}>{empty}</span>;
  const date = value instanceof Date ? value : new Date(value);
  const exact = formatTime(date, clock, relative || style === "date" ? "datetime-seconds" : style);
  const text = relative ? formatRelative(date, clock.now || date.getTime(), clock.locale) : formatTime(date, clock, style);
  return (
    <time dateTime={date.toISOString()} title={exact === text ? undefined : exact} data-testid={testId}>
      {text}
    </time>
  );
}
