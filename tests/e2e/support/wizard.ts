import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";
import { simAdmin, simOrigin, type SimKeyJson } from "./sim";

// What the per-exchange unbind journeys (kucoin-unbind.spec.ts, kraken-unbind.spec.ts) share:
// the wizard's landmarks, keyboard navigation with an axe scan of every step, and the
// simulator's key admin.

export const DEMO_EMAIL = "demo@myits.local";
export const DEMO_PASSWORD = "myits-demo-password";

export async function expectNoAxeViolations(page: Page, where: string) {
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`), where).toEqual([]);
}

/** The demo's simulator key of `exchange` labelled `label`. */
export async function simKeyLabelled(page: Page, exchange: string, label: string): Promise<SimKeyJson> {
  const response = await page.request.get(`${simOrigin()}/__admin/keys`, { headers: simAdmin() });
  const { keys } = (await response.json()) as { keys: SimKeyJson[] };
  const key = keys.find((k) => k.exchange === exchange && k.label === label);
  expect(key, `simulator key "${label}"`).toBeDefined();
  return key!;
}

/** Restricts the key's IP on the (simulated) exchange, as a user might instead of deleting it. */
export async function restrictIp(page: Page, exchange: string, apiKey: string, ipWhitelist: string[]) {
  const response = await page.request.patch(`${simOrigin()}/__admin/keys/${exchange}/${encodeURIComponent(apiKey)}`, { data: { ipWhitelist }, headers: simAdmin() });
  expect(response.status(), await response.text()).toBe(200);
}

export const heading = (page: Page) => page.getByTestId("step-heading");
export const gate = (page: Page, id: string) => page.getByTestId("gate-list").locator(`[data-gate="${id}"]`);

/** Continue to the next step by keyboard, land on its heading, and scan it. */
export async function continueTo(page: Page, title: string) {
  const button = page.getByTestId("continue").getByRole("button");
  await expect(button).toBeEnabled();
  await button.focus();
  await page.keyboard.press("Enter");
  await expect(heading(page)).toHaveText(title);
  await expect(heading(page)).toBeFocused();
  await expectNoAxeViolations(page, title);
}
