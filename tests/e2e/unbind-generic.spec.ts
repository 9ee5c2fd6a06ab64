import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { PASSWORD, signUp, uniqueEmail } from "./support/accounts";
import { bindThroughForm } from "./support/bind";
import { createSimKey, simAdmin, simOrigin } from "./support/sim";

// The unbind journey on an exchange MyITS has no full adapter for: ccxt's MyOKX (EEA), which
// speaks OKX's API (served by the simulator). The user restricts the key's IP instead of deleting
// it: the exchange refuses the key, and the wizard says plainly that this proves nothing, refuses
// to call it revoked, and completes only on the user's re-authenticated, typed word.

const EXCHANGE = "MyOKX (EEA)";
const ACKNOWLEDGEMENT = "I deleted the key myself and know MyITS cannot prove it";

async function expectNoAxeViolations(page: Page, where: string) {
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`), where).toEqual([]);
}

const heading = (page: Page) => page.getByTestId("step-heading");

async function continueTo(page: Page, title: string | RegExp) {
  const button = page.getByTestId("continue").getByRole("button");
  await expect(button).toBeEnabled();
  await button.click();
  await expect(heading(page)).toHaveText(title);
}

test("a generic exchange's wizard refuses to call a restricted key revoked, and completes only on the user's word", async ({ page }) => {
  test.setTimeout(120_000);
  const key = await createSimKey(page.request, { exchange: "okx", label: "MyOKX key", permissions: { read: true, spotTrade: true }, ipWhitelist: ["127.0.0.1"] });
  await signUp(page, uniqueEmail("generic-unbind"));
  await bindThroughForm(page, key, "EEA grid bot", EXCHANGE);
  await expect(page).toHaveURL(/\/keys\?bound=/);
  const card = page.getByTestId("key-card").filter({ has: page.getByRole("heading", { name: "EEA grid bot", exact: true }) });
  await card.getByRole("link", { name: "Unbind" }).click();
  await page.getByRole("button", { name: "Start the unbind wizard" }).click();
  await expect(heading(page)).toHaveText("Back up your trade records");

  await page.getByText("I do not need a backup").click();
  await page.getByRole("button", { name: "Unbind without a backup" }).click();
  await continueTo(page, "Bots that use this key");
  await page.getByRole("button", { name: "I have checked" }).click();
  await continueTo(page, "Account security");
  for (const box of await page.getByTestId("security-checklist").getByRole("checkbox").all()) await box.check();
  await page.getByRole("button", { name: "Save checklist" }).click();
  await page.getByLabel("Your MyITS password").fill(PASSWORD);
  await page.getByRole("button", { name: "Confirm it's me" }).click();
  await expect(page.getByTestId("reauth-valid")).toBeVisible();
  await continueTo(page, "Notify relevant parties");
  await page.getByRole("button", { name: "Nobody needs to be told" }).click();
  for (const title of [`Log in to ${EXCHANGE}`, "Open API management", "Find your API keys", "Find the key bound to MyITS", "Delete the key", "Pass the security verification", `Confirm with ${EXCHANGE}`]) {
    await continueTo(page, title);
  }
  await expect(page.getByTestId("cannot-prove")).toContainText(`MyITS cannot prove that the key is deleted on ${EXCHANGE}`);
  await expectNoAxeViolations(page, "confirm");

  // instead of deleting the key, the user restricted it to another IP on the exchange
  const restricted = await page.request.patch(`${simOrigin()}/__admin/keys/okx/${encodeURIComponent(key.apiKey)}`, { data: { ipWhitelist: ["203.0.113.7"] }, headers: simAdmin() });
  expect(restricted.status(), await restricted.text()).toBe(200);
  await page.getByRole("button", { name: `Check with ${EXCHANGE}` }).click();
  await expect(page.getByTestId("last-answer")).toHaveAttribute("data-outcome", "ambiguous");
  await expect(page.getByTestId("last-answer")).toContainText("cannot prove");
  await expect(page.getByTestId("unbind-success")).toHaveCount(0);

  // the acknowledgement needs the typed sentence and a fresh password confirmation (still fresh here)
  const acknowledge = page.getByTestId("acknowledge-unprovable");
  await acknowledge.getByLabel(`Type “${ACKNOWLEDGEMENT}”`).fill("yes");
  await acknowledge.getByRole("button", { name: "Unbind on my word" }).click();
  await expect(acknowledge).toContainText(`Type exactly: ${ACKNOWLEDGEMENT}`);
  await expect(page.getByTestId("unbind-success")).toHaveCount(0);
  await acknowledge.getByLabel(`Type “${ACKNOWLEDGEMENT}”`).fill(ACKNOWLEDGEMENT);
  await acknowledge.getByRole("button", { name: "Unbind on my word" }).click();
  await expect(page.getByTestId("unbind-success")).toContainText("MyITS cannot prove");
  await expect(page.getByTestId("unbind-success")).not.toContainText("confirmed");
  await expect(heading(page)).toHaveText("Review your remaining keys");
  await expectNoAxeViolations(page, "review");

  await page.goto("/audit");
  for (const text of ["Unbind completed on your word", "Exchange key unbound; its secret stays sealed"]) await expect(page.getByText(text).first(), text).toBeVisible();
});
