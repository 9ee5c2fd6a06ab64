import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { signIn } from "./support/accounts";
import { simAdmin, simOrigin, type SimKeyJson } from "./support/sim";

// The regular review, as a new user would try it in the demo: on the simulated exchange's side
// a demo key gains a permission; "Check now" on the review page asks the exchange; the alert
// badge appears in the navigation, the alert is listed with what to do, the demo's risky key
// ranks first with its reasons, and its timeline shows the change.

const DEMO_EMAIL = "demo@myits.local";
const DEMO_PASSWORD = "myits-demo-password";
const RISKY = "Old test key";

async function simKey(page: Page, label: string): Promise<SimKeyJson> {
  const response = await page.request.get(`${simOrigin()}/__admin/keys`, { headers: simAdmin() });
  const { keys } = (await response.json()) as { keys: SimKeyJson[] };
  const key = keys.find((k) => k.exchange === "binance" && k.label === label);
  expect(key, `simulator key "${label}"`).toBeDefined();
  return key!;
}

async function setTransfer(page: Page, key: SimKeyJson, transfer: boolean) {
  const response = await page.request.patch(`${simOrigin()}/__admin/keys/binance/${encodeURIComponent(key.apiKey)}`, {
    data: { permissions: { transfer } },
    headers: simAdmin(),
  });
  expect(response.status(), await response.text()).toBe(200);
}

test("the review page ranks the demo's risky key first, and its timeline and an alert show a change made on the exchange", async ({ page }) => {
  test.setTimeout(180_000);
  await signIn(page, DEMO_EMAIL, DEMO_PASSWORD);
  // the first sign-in of a fresh server hashes, loads and live-checks the demo's keys: slow on a busy machine
  await expect(page).toHaveURL(/\/keys$/, { timeout: 30_000 });
  const key = await simKey(page, RISKY);
  await setTransfer(page, key, true);
  try {
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: /^Review/ }).click();
    await expect(page).toHaveURL(/\/review$/);
    await expect(page.getByRole("heading", { name: "Key review", level: 1 })).toBeVisible();

    const ranking = page.getByTestId("review-key");
    const first = ranking.first();
    await expect(first.getByRole("heading", { level: 3 })).toHaveText(`#1 ${RISKY}`);
    await first.getByRole("button", { name: `Check now ${RISKY}` }).click();

    // the check is in the key's history, with what changed since the previous answer
    await expect(first.getByTestId("timeline-changes").first()).toHaveText("Changed: transfer permission gained");
    await expect(first.getByTestId("timeline-entry").first()).toContainText("checked now");
    await expect(first.getByRole("heading", { level: 3 })).toHaveText(`#1 ${RISKY}`);
    const reasons = first.getByTestId("risk-reasons");
    await expect(reasons).toContainText("Can withdraw funds");
    await expect(reasons).toContainText("Can transfer funds between accounts");
    await expect(reasons).toContainText("No IP whitelist");
    await expect(reasons.locator('[data-reason="last_change"]')).toContainText("transfer permission gained");
    await expect(first.getByTestId("remove-advice")).toBeVisible();
    const scores = await ranking.evaluateAll((items) => items.map((item) => Number(item.getAttribute("data-score"))));
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(scores[0]).toBeGreaterThan(scores[1]!);

    // the alert: in the list with what to do, and counted in the navigation's badge
    const alert = page.getByTestId("alert").filter({ hasText: "Transfer permission turned on" });
    await expect(alert).toHaveCount(1);
    await expect(alert).toContainText(`“${RISKY}” (Binance) can now transfer funds`);
    await expect(alert).toContainText("What to do:");
    const badge = page.getByTestId("alert-badge");
    await expect(badge).toBeVisible();
    const open = await page.getByTestId("alert").count();
    await expect(badge).toHaveText(`${open} open alert${open === 1 ? "" : "s"}`);

    const results = await new AxeBuilder({ page }).analyze();
    expect(results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`)).toEqual([]);

    // dismissed: gone from the list, one fewer in the badge
    await alert.getByRole("button", { name: "Dismiss Transfer permission turned on" }).click();
    await expect(page.getByTestId("alert").filter({ hasText: "Transfer permission turned on" })).toHaveCount(0);
    await expect(page.getByTestId("alert")).toHaveCount(open - 1);

    // the one-click unbind of a key the review says to remove opens its wizard
    await first.getByRole("button", { name: `Start unbind ${RISKY}` }).click();
    await expect(page).toHaveURL(/\/keys\/\w+\/unbind$/);
    await expect(page.getByTestId("step-heading")).toHaveText("Back up your trade records");
    // cancelled again: the unbind journey starts this key's wizard afresh
    await page.getByText("Cancel this unbind").click();
    await page.getByTestId("cancel-unbind").getByRole("button", { name: "Cancel unbind" }).click();
    await expect(page.getByRole("button", { name: "Start the unbind wizard" })).toBeVisible();
  } finally {
    // the demo key as the other journeys expect it
    await setTransfer(page, key, false);
  }
});
