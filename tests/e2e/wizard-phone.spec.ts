import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { PASSWORD, signUp, uniqueEmail } from "./support/accounts";
import { bindThroughForm } from "./support/bind";
import { createSimKey } from "./support/sim";

// Every step of the unbind wizard on a phone (375 px), in light and in dark, for every exchange
// with drawings of its own and for the typical exchange's (MyOKX, no full adapter): no axe-core
// violation (the drawings' text contrast included) and nothing wider than the screen. The journeys
// themselves are unbind.spec.ts and its siblings; this walks the steps only to look at them.

// each test has its own user and key: they may run side by side
test.describe.configure({ mode: "parallel" });

const phone = { width: 375, height: 740 };
const exchanges = [
  { id: "binance", name: "Binance" },
  { id: "okx", name: "OKX" },
  { id: "bybit", name: "Bybit" },
  { id: "kucoin", name: "KuCoin" },
  { id: "gate", name: "Gate" },
  // the typical exchange's drawings: MyOKX speaks OKX's API, which the simulator serves
  { id: "okx", name: "MyOKX (EEA)" },
];

const heading = (page: Page) => page.getByTestId("step-heading");

/** `within`: scan only that part (the step's own panel, where the drawing is; pages.spec.ts scans the rest). */
async function expectUsableInBothThemes(page: Page, where: string, within?: string) {
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    const axe = new AxeBuilder({ page });
    const results = await (within ? axe.include(within) : axe).analyze();
    expect(results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`), `${where} (${scheme})`).toEqual([]);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, `${where} (${scheme}): wider than the screen by ${overflow} px`).toBeLessThanOrEqual(0);
  }
  await page.emulateMedia({ colorScheme: "light" });
}

/** Continue, and wait for the next step's heading. */
async function next(page: Page): Promise<string> {
  const before = await heading(page).textContent();
  await page.getByTestId("continue").getByRole("button").click();
  await expect(heading(page)).not.toHaveText(before ?? "");
  return (await heading(page).textContent()) ?? "";
}

for (const [index, exchange] of exchanges.entries()) {
  test(`every step of the unbind wizard reads well on a phone, in light and dark: ${exchange.name}`, async ({ page }) => {
    // fourteen axe scans or more, on a machine that may be busy
    test.setTimeout(300_000);
    await page.setViewportSize(phone);
    await signUp(page, uniqueEmail("wizard-phone"));
    const label = `${exchange.name} phone key`;
    const key = await createSimKey(page.request, { exchange: exchange.id, label, permissions: { read: true, spotTrade: true }, ipWhitelist: ["127.0.0.1"] });
    await bindThroughForm(page, key, label, exchange.name);
    await expect(page).toHaveURL(/\/keys\?bound=/);
    const card = page.getByTestId("key-card").filter({ has: page.getByRole("heading", { name: label, exact: true }) });
    await card.getByRole("link", { name: "Unbind" }).click();
    await page.getByRole("button", { name: "Start the unbind wizard" }).click();
    await expect(heading(page)).toHaveText("Back up your trade records");
    // the precautions are the same pages for every exchange: looked at once
    const lookAtPrecautions = index === 0;
    if (lookAtPrecautions) await expectUsableInBothThemes(page, `${exchange.name}: backup`);

    await page.getByText("I do not need a backup").click();
    await page.getByRole("button", { name: "Unbind without a backup" }).click();
    expect(await next(page)).toBe("Bots that use this key");
    await page.getByRole("button", { name: "I have checked" }).click();
    if (lookAtPrecautions) await expectUsableInBothThemes(page, `${exchange.name}: impact`);
    expect(await next(page)).toBe("Account security");
    for (const box of await page.getByTestId("security-checklist").getByRole("checkbox").all()) await box.check();
    await page.getByRole("button", { name: "Save checklist" }).click();
    await page.getByLabel("Your MyITS password").fill(PASSWORD);
    await page.getByRole("button", { name: "Confirm it's me" }).click();
    await expect(page.getByTestId("reauth-valid")).toBeVisible();
    if (lookAtPrecautions) await expectUsableInBothThemes(page, `${exchange.name}: security`);
    expect(await next(page)).toBe("Notify relevant parties");
    await page.getByRole("button", { name: "Nobody needs to be told" }).click();
    if (lookAtPrecautions) await expectUsableInBothThemes(page, `${exchange.name}: notify`);

    // the exchange's seven steps, each with its drawing
    for (let step = 1; step <= 7; step++) {
      const title = await next(page);
      await expect(page.getByTestId("wizard-step").getByRole("img").first()).toBeVisible();
      await expectUsableInBothThemes(page, `${exchange.name} step ${step}: ${title}`, '[data-testid="wizard-step"]');
    }
    expect(await heading(page).textContent()).toBe(`Confirm with ${exchange.name}`);
  });
}
