import { expect, test } from "@playwright/test";
import { signUp, uniqueEmail } from "./support/accounts";
import { createSimKey } from "./support/sim";

// A Coinbase CDP key bound through the form: the key name, and the EC private key pasted into
// the text area Coinbase's adapter asks for. Coinbase reports neither the key's IP allowlist nor
// its expiry, and the card says so instead of "none".

test("bind a Coinbase key with its PEM private key, and see what Coinbase does not report", async ({ page }) => {
  const key = await createSimKey(page.request, { exchange: "coinbase", permissions: { read: true, spotTrade: true }, ipWhitelist: ["127.0.0.1"] });
  expect(key.secret).toContain("\n");
  await signUp(page, uniqueEmail("coinbase"));
  await page.goto("/keys/new");
  await page.getByLabel("Exchange").selectOption({ label: "Coinbase" });
  await page.getByLabel("Label").fill("Coinbase DCA key");
  await page.getByLabel("API key name").fill(key.apiKey);
  const privateKey = page.getByLabel("Private key");
  await expect(privateKey).toHaveJSProperty("tagName", "TEXTAREA");
  await privateKey.fill(key.secret);
  await page.getByRole("button", { name: "Check and bind" }).click();

  await expect(page).toHaveURL(/\/keys\?bound=\w+&warned=1$/);
  const card = page.getByTestId("key-card").filter({ has: page.getByRole("heading", { name: "Coinbase DCA key" }) });
  await expect(card.getByTestId("key-status")).toHaveText("Valid");
  await expect(card.locator('[data-permission="read"]')).toHaveAttribute("data-on", "true");
  await expect(card.locator('[data-permission="withdraw"]')).toHaveAttribute("data-on", "false");
  await expect(card.getByTestId("ip-whitelist")).toHaveText("Not reported by the exchange");
  await expect(card.getByText("Not reported by the exchange")).toHaveCount(2);
  // the private key never comes back to the browser
  expect(await page.content()).not.toContain(key.secret.split("\n")[1]!);

  // another exchange's form keeps its one-line secret
  await page.goto("/keys/new");
  await page.getByLabel("Exchange").selectOption({ label: "Binance" });
  await expect(page.getByLabel("Secret")).toHaveAttribute("type", "password");
});
