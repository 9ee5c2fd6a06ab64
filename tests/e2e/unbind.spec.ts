import AxeBuilder from "@axe-core/playwright";
import { readFile } from "node:fs/promises";
import { expect, test, type Page } from "@playwright/test";
import { unzipSync } from "fflate";
import { signIn } from "./support/accounts";
import { deleteSimKey, simAdmin, simOrigin, type SimKeyJson } from "./support/sim";

// The unbind journey on the demo account's Binance keys: every precaution, the seven Binance
// steps, the key deleted on the (simulated) exchange between steps 5 and 7, and the server's
// own confirmation. axe-core checks every wizard page; the steps are driven by keyboard where
// it matters (focus lands on each new step's heading).

const DEMO_EMAIL = "demo@myits.local";
const DEMO_PASSWORD = "myits-demo-password";

async function expectNoAxeViolations(page: Page, where: string) {
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`), where).toEqual([]);
}

async function simKey(page: Page, label: string): Promise<SimKeyJson> {
  const response = await page.request.get(`${simOrigin()}/__admin/keys`, { headers: simAdmin() });
  const { keys } = (await response.json()) as { keys: SimKeyJson[] };
  const key = keys.find((k) => k.exchange === "binance" && k.label === label);
  expect(key, `simulator key "${label}"`).toBeDefined();
  return key!;
}

const heading = (page: Page) => page.getByTestId("step-heading");
const gate = (page: Page, id: string) => page.getByTestId("gate-list").locator(`[data-gate="${id}"]`);

/** Continue to the next step by keyboard, and land on its heading. */
async function continueTo(page: Page, title: string | RegExp) {
  const button = page.getByTestId("continue").getByRole("button");
  await expect(button).toBeEnabled();
  await button.focus();
  await page.keyboard.press("Enter");
  await expect(heading(page)).toHaveText(title);
  await expect(heading(page)).toBeFocused();
  await expectNoAxeViolations(page, String(title));
}

async function openWizard(page: Page, label: string) {
  await signIn(page, DEMO_EMAIL, DEMO_PASSWORD);
  await expect(page).toHaveURL(/\/keys$/);
  const card = page.getByTestId("key-card").filter({ has: page.getByRole("heading", { name: label, exact: true }) });
  await card.getByRole("link", { name: "Unbind" }).click();
  await expect(page).toHaveURL(/\/keys\/\w+\/unbind$/);
  await expectNoAxeViolations(page, "start");
  await page.getByRole("button", { name: "Start the unbind wizard" }).click();
  await expect(heading(page)).toHaveText("Back up your trade records");
  await expectNoAxeViolations(page, "backup");
}

/** Backup (export + download), impact, security (checklist + password), notify: the precautions. */
/** `fresh`: the demo key was never exported nor backed up (the backup journey backs up "Main trading bot"). */
async function passPrecautions(page: Page, bots: { stop: string[]; acknowledge: string[]; stopped: string[] }, fresh: boolean) {
  if (fresh) {
    await expect(page.getByTestId("continue").getByRole("button")).toBeDisabled();
    await expect(page.getByTestId("blocked-reason")).toContainText("No trade export");
  }
  await page.getByTestId("start-export").click();
  // a first export reads years of convert history at Binance's 60 requests a minute (UID weight)
  await expect(page.getByTestId("export-done")).toBeVisible({ timeout: 150_000 });
  // the backup's totals, not only what the last export added
  await page.reload();
  await expect(page.getByTestId("backup-holds")).toContainText(/holds [\d,]+ trades, [\d,]+ deposits and withdrawals, [\d,]+ conversions and [\d,]+ income entries, from /);
  // a new export makes any earlier download stale: the gate wants the archive downloaded again
  await expect(gate(page, "backup")).toHaveAttribute("data-satisfied", "false");
  await expect(page.getByTestId("continue").getByRole("button")).toBeDisabled();
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("wizard-download-zip").click()]);
  const archive = unzipSync(new Uint8Array(await readFile(await download.path())));
  expect(Object.keys(archive).sort()).toEqual(["bots.json", "conversions.csv", "coverage.json", "income.csv", "key.json", "manifest.json", "trades.csv", "transfers.csv"]);
  // the download is recorded when its last byte is sent: the gate holds once the page reloads
  await expect(async () => {
    await page.reload();
    await expect(gate(page, "backup")).toHaveAttribute("data-satisfied", "true", { timeout: 1_000 });
  }).toPass({ timeout: 10_000 });

  await continueTo(page, "Bots that use this key");
  for (const name of [...bots.stop, ...bots.acknowledge, ...bots.stopped]) await expect(page.getByTestId("bots")).toContainText(name);
  for (const name of bots.stop) {
    await page.getByRole("button", { name: `Stop ${name}` }).click();
    await expect(page.getByTestId("bots").locator(`[data-bot="${name}"]`)).toHaveAttribute("data-status", "STOPPED");
  }
  for (const name of bots.acknowledge) await page.getByLabel(`${name} will stop working`).check();
  await page.getByRole("button", { name: "I understand the impact" }).click();
  await expect(gate(page, "impact")).toHaveAttribute("data-satisfied", "true");

  await continueTo(page, "Account security");
  await expect(page.getByTestId("blocked-reason")).toContainText("checklist");
  for (const box of await page.getByTestId("security-checklist").getByRole("checkbox").all()) await box.check();
  await page.getByRole("button", { name: "Save checklist" }).click();
  // in the second journey the demo user confirmed the password less than five minutes ago
  if (fresh) await expect(page.getByTestId("blocked-reason")).toContainText("password");
  await page.getByLabel("Your MyITS password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Confirm it's me" }).click();
  await expect(page.getByTestId("reauth-valid")).toBeVisible();
  // the form resets: no password left in the field, and the button says why it cannot act now
  await expect(page.getByLabel("Your MyITS password")).toHaveValue("");
  await expect(page.getByTestId("reauth").getByRole("button", { name: "Confirmed" })).toBeDisabled();
  await expect(page.getByTestId("reauth")).toContainText("To confirm again, enter your password.");
  await expect(gate(page, "security")).toHaveAttribute("data-satisfied", "true");

  await continueTo(page, "Notify relevant parties");
  await page.getByRole("button", { name: "Nobody needs to be told" }).click();
  await expect(gate(page, "notify")).toHaveAttribute("data-satisfied", "true");
}

async function walkBinanceSteps(page: Page, label: string, between5and7?: () => Promise<void>) {
  await continueTo(page, "Log in to Binance");
  await expect(page.getByTestId("api-management-link")).toHaveAttribute("href", "https://www.binance.com/en/my/settings/api-management");
  await continueTo(page, "Open API Management");
  await continueTo(page, "Find your API keys");
  await continueTo(page, "Find the key bound to MyITS");
  await expect(page.getByTestId("key-to-match")).toContainText(label);
  await continueTo(page, "Delete the key");
  await between5and7?.();
  await continueTo(page, "Pass Binance's security verification");
  await continueTo(page, "Confirm with Binance");
  // the stepper does not tick the delete step until the exchange confirms
  const stepper = page.getByTestId("stepper");
  await expect(stepper.locator('[data-step="locate-key"]')).toHaveAttribute("data-state", "done");
  for (const step of ["delete", "verify"]) await expect(stepper.locator(`[data-step="${step}"]`)).toHaveAttribute("data-state", "awaiting");
}

test("the Binance unbind wizard, from the dashboard to a confirmed unbind", async ({ page }) => {
  // a first export of a Binance key reads years of convert history at 60 requests a minute
  test.setTimeout(240_000);
  test.setTimeout(180_000);
  const key = await simKey(page, "Old test key");
  await openWizard(page, "Old test key");
  await passPrecautions(page, { stop: [], acknowledge: [], stopped: ["Experiment (paused)"] }, true);
  // the user deletes the key on the exchange at step 5 and passes its verification at step 6
  await walkBinanceSteps(page, "Old test key", () => deleteSimKey(page.request, "binance", key.apiKey));

  await page.getByRole("button", { name: "Check with Binance" }).click();
  await expect(page.getByTestId("unbind-success")).toContainText("Binance confirmed that “Old test key”");
  await expect(heading(page)).toHaveText("Review your remaining keys");
  await expect(heading(page)).toBeFocused();
  await expect(page.getByTestId("stepper").locator('[data-step="delete"]')).toHaveAttribute("data-state", "done");
  await expectNoAxeViolations(page, "review");
  const remaining = page.getByTestId("remaining-keys");
  await expect(remaining).toContainText("Main trading bot");
  await expect(remaining).not.toContainText("Old test key");
  await page.getByRole("button", { name: "Finish review" }).click();
  await expect(page.getByTestId("review-done")).toBeVisible();
  await expectNoAxeViolations(page, "done");

  await page.goto("/keys");
  await expect(page.getByTestId("key-card").filter({ has: page.getByRole("heading", { name: "Old test key", exact: true }) })).toHaveCount(0);
  await page.goto("/audit");
  for (const text of ["Unbind wizard started", "Unbind precaution satisfied", "Unbind wizard step", "Asked the exchange whether the key is gone", "Exchange key unbound and its secret destroyed", "Unbind completed"]) {
    await expect(page.getByText(text).first(), text).toBeVisible();
  }
});

test("the wizard refuses to finish while the key still works on Binance", async ({ page }) => {
  // a first export of a Binance key reads years of convert history at 60 requests a minute
  test.setTimeout(240_000);
  test.setTimeout(180_000);
  await openWizard(page, "Main trading bot");
  await passPrecautions(page, { stop: ["BTC grid"], acknowledge: ["ETH DCA"], stopped: [] }, false);
  await walkBinanceSteps(page, "Main trading bot");

  await page.getByRole("button", { name: "Check with Binance" }).click();
  await expect(page.getByTestId("last-answer")).toHaveAttribute("data-outcome", "valid");
  await expect(page.getByTestId("last-answer")).toContainText("still accepts this key");
  // the answer is said once, in "Last answer", and the delete step stays open
  await expect(page.getByText("still accepts this key")).toHaveCount(1);
  await expect(page.getByTestId("stepper").locator('[data-step="delete"]')).toHaveAttribute("data-state", "awaiting");
  await expect(page.getByTestId("unbind-success")).toHaveCount(0);
  await expectNoAxeViolations(page, "refused");

  // a crafted request cannot complete it either: the JSON route refuses to skip to the review
  const bindingId = (await page.evaluate(() => location.pathname)).split("/")[2];
  // as a script would send it from the page's own origin (the Origin rule, lib/http/request-origin.ts)
  const headers = { origin: new URL(page.url()).origin };
  const started = await page.request.post("/api/unbind", { data: { bindingId }, headers });
  expect(started.status()).toBe(200);
  const { sessionId } = (await started.json()) as { sessionId: string };
  const skip = await page.request.post(`/api/unbind/${sessionId}`, { data: { type: "goto", to: "review" }, headers });
  expect(skip.status()).toBe(409);
  const finish = await page.request.post(`/api/unbind/${sessionId}`, { data: { type: "finish_review" }, headers });
  expect(finish.status()).toBe(409);
  const state = await page.request.get(`/api/unbind/${sessionId}`);
  expect(((await state.json()) as { unbind: { status: string; step: string } }).unbind).toMatchObject({ status: "ACTIVE", step: "confirm" });
  await page.goto("/keys");
  await expect(page.getByTestId("key-card").filter({ has: page.getByRole("heading", { name: "Main trading bot", exact: true }) })).toHaveCount(1);
});
