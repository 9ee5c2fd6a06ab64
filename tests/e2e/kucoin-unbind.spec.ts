import { readFile } from "node:fs/promises";
import { expect, test, type Page } from "@playwright/test";
import { unzipSync } from "fflate";
import { signIn } from "./support/accounts";
import { deleteSimKey } from "./support/sim";
import { continueTo, DEMO_EMAIL, DEMO_PASSWORD, expectNoAxeViolations, gate, heading, restrictIp, simKeyLabelled } from "./support/wizard";

// The KuCoin unbind journey on the demo account's KuCoin key, as a new user would try it: at
// step 5 the user restricts the key's IP on KuCoin instead of deleting it, and the check says
// KuCoin still knows the key (400006 is not a deletion); then the key is deleted for real and
// the wizard completes on KuCoin's own answer (400003).

const LABEL = "KuCoin spot bot";
const simKey = (page: Page) => simKeyLabelled(page, "kucoin", LABEL);

test("the KuCoin unbind wizard: an IP restriction is not a deletion; the deleted key completes it", async ({ page }) => {
  test.setTimeout(240_000);
  const key = await simKey(page);
  await signIn(page, DEMO_EMAIL, DEMO_PASSWORD);
  // the first sign-in renders the dashboard with a live check of every demo key
  await expect(page).toHaveURL(/\/keys$/, { timeout: 30_000 });
  const card = page.getByTestId("key-card").filter({ has: page.getByRole("heading", { name: LABEL, exact: true }) });
  await card.getByRole("link", { name: "Unbind" }).click();
  await expect(page).toHaveURL(/\/keys\/\w+\/unbind$/);
  await page.getByRole("button", { name: "Start the unbind wizard" }).click();
  await expect(heading(page)).toHaveText("Back up your trade records");

  // backup: KuCoin's spot and margin fills, in 7-day windows per symbol
  await expect(page.getByTestId("continue").getByRole("button")).toBeDisabled();
  await page.getByTestId("start-export").click();
  await expect(page.getByTestId("export-done")).toBeVisible({ timeout: 150_000 });
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("wizard-download-zip").click()]);
  const archive = unzipSync(new Uint8Array(await readFile(await download.path())));
  expect(Object.keys(archive)).toEqual(expect.arrayContaining(["trades.csv", "coverage.json", "manifest.json"]));
  const coverage = JSON.parse(new TextDecoder().decode(archive["coverage.json"])) as { exchange: string; limits: { part: string }[]; unavailable: { part: string }[] };
  expect(coverage.exchange).toBe("kucoin");
  expect(coverage.unavailable.map((u) => u.part).sort()).toEqual(["coinm", "usdm"]);
  const trades = new TextDecoder().decode(archive["trades.csv"]!).trim().split("\n");
  expect(trades.length).toBeGreaterThan(100);
  await expect(async () => {
    await page.reload();
    await expect(gate(page, "backup")).toHaveAttribute("data-satisfied", "true", { timeout: 1_000 });
  }).toPass({ timeout: 10_000 });

  await continueTo(page, "Bots that use this key");
  await page.getByRole("button", { name: "Stop KuCoin grid" }).click();
  await expect(page.getByTestId("bots").locator('[data-bot="KuCoin grid"]')).toHaveAttribute("data-status", "STOPPED");
  await page.getByRole("button", { name: "I understand the impact" }).click();
  await expect(gate(page, "impact")).toHaveAttribute("data-satisfied", "true");

  await continueTo(page, "Account security");
  for (const box of await page.getByTestId("security-checklist").getByRole("checkbox").all()) await box.check();
  await page.getByRole("button", { name: "Save checklist" }).click();
  await page.getByLabel("Your MyITS password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Confirm it's me" }).click();
  await expect(page.getByTestId("reauth-valid")).toBeVisible();
  await expect(gate(page, "security")).toHaveAttribute("data-satisfied", "true");

  await continueTo(page, "Notify relevant parties");
  await page.getByRole("button", { name: "Nobody needs to be told" }).click();
  await expect(gate(page, "notify")).toHaveAttribute("data-satisfied", "true");

  await continueTo(page, "Log in to KuCoin");
  await expect(page.getByTestId("api-management-link")).toHaveAttribute("href", "https://www.kucoin.com/account/api");
  await expect(page.getByText(/Drawing of KuCoin's/).first()).toBeVisible();
  await continueTo(page, "Open API Management");
  await continueTo(page, "Find your API keys");
  await continueTo(page, "Find the key bound to MyITS");
  await expect(page.getByTestId("key-to-match")).toContainText(LABEL);
  await continueTo(page, "Delete the key");
  // the user edits the key's IP restriction on KuCoin instead of deleting it
  await restrictIp(page, "kucoin", key.apiKey, ["203.0.113.7"]);
  await continueTo(page, "Pass KuCoin's security verification");
  await continueTo(page, "Confirm with KuCoin");

  await page.getByRole("button", { name: "Check with KuCoin" }).click();
  await expect(page.getByTestId("last-answer")).toHaveAttribute("data-outcome", "valid");
  await expect(page.getByTestId("last-answer")).toContainText("KuCoin still knows this key");
  await expect(page.getByTestId("unbind-success")).toHaveCount(0);
  await expectNoAxeViolations(page, "refused");

  // now the key is deleted on KuCoin for real
  await deleteSimKey(page.request, "kucoin", key.apiKey);
  await page.getByRole("button", { name: "Check with KuCoin again" }).click();
  await expect(page.getByTestId("unbind-success")).toContainText(`KuCoin confirmed that “${LABEL}”`);
  await expect(heading(page)).toHaveText("Review your remaining keys");
  await expectNoAxeViolations(page, "review");
  await page.getByRole("button", { name: "Finish review" }).click();
  await expect(page.getByTestId("review-done")).toBeVisible();

  await page.goto("/keys");
  await expect(page.getByTestId("key-card").filter({ has: page.getByRole("heading", { name: LABEL, exact: true }) })).toHaveCount(0);
});
