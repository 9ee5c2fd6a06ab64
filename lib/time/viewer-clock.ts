import "server-only";
import { cookies, headers } from "next/headers";
import { clockCookies, fallbackClock, validLocale, validTimeZone, type Clock } from "./format-time";

// What the server knows of the viewer's clock before the browser has said anything: the locale
// and zone the browser wrote into cookies on an earlier visit (components/ui/local-time.tsx),
// else the first language of Accept-Language and UTC (named as such on the page). The browser
// renders again with its own after hydration, so a first visit shows UTC for a moment only.

/** The clock, and the instant this render happens at (what relative times count from). */
export async function viewerClock(): Promise<{ clock: Clock; renderedAt: number }> {
  const jar = await cookies();
  const timeZone = validTimeZone(jar.get(clockCookies.timeZone)?.value) ?? fallbackClock.timeZone;
  const fromHeader = (await headers()).get("accept-language")?.split(",")[0]?.split(";")[0]?.trim();
  const locale = validLocale(jar.get(clockCookies.locale)?.value) ?? validLocale(fromHeader) ?? fallbackClock.locale;
  return { clock: { locale, timeZone }, renderedAt: Date.now() };
}
