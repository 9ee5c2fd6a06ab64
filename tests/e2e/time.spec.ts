import { expect, test, type Page } from "@playwright/test";
import { signUp, uniqueEmail } from "./support/accounts";
import { bindThroughForm } from "./support/bind";
import { createSimKey } from "./support/sim";

// One way to show time (lib/time/format-time.ts): in the browser's locale and zone, the zone
// named, and the same text from the server as after hydration: no hydration warning on any page.
test.use({ locale: "de-DE", timezoneId: "Europe/Berlin" });

function watchHydration(page: Page): string[] {
  const problems: string[] = [];
  // React reports a hydration mismatch as a console error (production: minified errors 418, 423, 425).
  page.on("console", (message) => {
    const text = message.text();
    if (message.type() === "error" && /hydrat|#418|#423|#425/i.test(text)) problems.push(text);
  });
  page.on("pageerror", (error) => {
    if (/hydrat|#418|#423|#425/i.test(error.message)) problems.push(error.message);
  });
  return problems;
}

test("times read in the browser's zone and locale, named, with no hydration warning on any page", async ({ page }) => {
  const problems = watchHydration(page);
  const key = await createSimKey(page.request, { exchange: "binance", permissions: { read: true, spotTrade: true }, ipWhitelist: ["127.0.0.1"] });
  await signUp(page, uniqueEmail("time"));
  await bindThroughForm(page, key, "Time key", "Binance");
  await expect(page.getByTestId("key-card")).toHaveCount(1);

  // After the first page the browser has told the server its zone and locale.
  const cookies = await page.context().cookies();
  expect(cookies.find((c) => c.name === "myits-tz")?.value).toBe("Europe%2FBerlin");
  expect(cookies.find((c) => c.name === "myits-locale")?.value).toBe("de-DE");

  for (const path of ["/keys", "/backups", "/audit", "/settings/notifications", "/settings/security"]) {
    await page.goto(path);
    await page.waitForLoadState("networkidle");
  }

  // The audit log's times: German, Berlin time, the zone named (MEZ in winter, MESZ in summer).
  await page.goto("/audit");
  const first = page.getByTestId("audit-event").first().locator("time");
  await expect(first).toHaveText(/^\d{1,2}\. \p{L}+\.? \d{4}, \d{2}:\d{2}:\d{2} MES?Z$/u);
  // The server rendered that same text already (zone from the cookie), so hydration had nothing to change.
  const html = await (await page.request.get("/audit")).text();
  expect(html).toContain(await first.textContent());

  // Relative times carry the exact time on hover.
  await page.goto("/keys");
  const checked = page.getByTestId("key-card").locator("time").last();
  await expect(checked).toHaveAttribute("title", /MES?Z$/);

  expect(problems).toEqual([]);
});
