import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { PASSWORD, uniqueEmail } from "./support/accounts";
import { createSimKey } from "./support/sim";

// Every page, in light and dark, at a desktop's and a phone's width (375 px): no axe-core
// violation, nothing wider than the screen. And the journeys a new user starts with, sign-up and
// binding a key, by keyboard alone.

const widths = { desktop: { width: 1280, height: 900 }, phone: { width: 375, height: 740 } } as const;

async function expectUsable(page: Page, where: string) {
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`), where).toEqual([]);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, `${where}: wider than the screen by ${overflow} px`).toBeLessThanOrEqual(0);
}

/** Presses Tab until the element labelled `label` has the focus (at most 40 times). */
async function tabTo(page: Page, label: string) {
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press("Tab");
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLInputElement | null;
      return el?.labels?.[0]?.textContent?.trim() ?? el?.textContent?.trim() ?? "";
    });
    if (focused === label) return;
  }
  throw new Error(`Tab never reached “${label}”`);
}

test("sign up and bind a key by keyboard alone, then every page passes axe in light and dark, on a desktop and a phone", async ({ page }) => {
  test.setTimeout(420_000);
  const key = await createSimKey(page.request, { exchange: "binance", permissions: { read: true, spotTrade: true }, ipWhitelist: ["127.0.0.1"] });

  await page.goto("/signup");
  await tabTo(page, "Email");
  await page.keyboard.type(uniqueEmail("pages"));
  await tabTo(page, "Password");
  await page.keyboard.type(PASSWORD);
  await tabTo(page, "Repeat password");
  await page.keyboard.type(PASSWORD);
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/keys$/);

  await page.goto("/keys/new");
  await tabTo(page, "Label"); // the exchange list starts on Binance
  await page.keyboard.type("Keyboard key");
  await tabTo(page, "API key");
  await page.keyboard.type(key.apiKey);
  await tabTo(page, "Secret");
  await page.keyboard.type(key.secret);
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/keys\?bound=\w+$/);
  const keyId = await page.getByTestId("key-card").getAttribute("data-key-id");

  const paths = ["/keys", "/keys/new", "/backups", "/audit", "/settings/notifications", "/settings/security", `/keys/${keyId}/unbind`];
  // dark: the system's setting (no choice made), which the pages follow
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const [name, size] of Object.entries(widths)) {
      await page.setViewportSize(size);
      for (const path of paths) {
        await page.goto(path);
        await expectUsable(page, `${path} (${scheme}, ${name})`);
      }
    }
  }
});

test("the theme follows the system until the toggle says otherwise, and stays chosen", async ({ page }) => {
  // eight axe scans of the public pages, then the toggle
  test.setTimeout(180_000);
  const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  await page.emulateMedia({ colorScheme: "dark" });
  await page.goto("/signup");
  const dark = await background();
  await page.emulateMedia({ colorScheme: "light" });
  const light = await background();
  expect(dark).not.toBe(light);

  // the public pages too, in both
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const [name, size] of Object.entries(widths)) {
      await page.setViewportSize(size);
      for (const path of ["/login", "/signup"]) {
        await page.goto(path);
        await expectUsable(page, `${path} (${scheme}, ${name})`);
      }
    }
  }

  await page.emulateMedia({ colorScheme: "light" });
  await page.setViewportSize(widths.phone);
  await page.goto("/signup");
  await page.getByLabel("Email").fill(uniqueEmail("theme"));
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByLabel("Repeat password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/keys$/);
  // the system says light; the user picks dark by keyboard, and it holds after a reload
  const toggle = page.getByTestId("theme-toggle");
  await toggle.getByLabel("Dark").focus();
  await page.keyboard.press("Space");
  await expect(page.locator("html")).toHaveClass("dark");
  expect(await background()).toBe(dark);
  await page.reload();
  await expect(page.locator("html")).toHaveClass("dark");
  await expect(toggle.getByLabel("Dark")).toBeChecked();
  await expectUsable(page, "/keys (chosen dark, phone)");
  await toggle.getByLabel("System").focus();
  await page.keyboard.press("Space");
  await expect(page.locator("html")).not.toHaveClass("dark");
  expect(await background()).toBe(light);
});
