import type { Page } from "@playwright/test";
import type { SimKeyJson } from "./sim";

export async function bindThroughForm(page: Page, key: SimKeyJson, label: string, exchangeName: string): Promise<void> {
  await page.goto("/keys/new");
  await page.getByLabel("Exchange").selectOption({ label: exchangeName });
  await page.getByLabel("Label").fill(label);
  await page.getByLabel("API key").fill(key.apiKey);
  await page.getByLabel("Secret").fill(key.secret);
  if (key.passphrase) await page.getByLabel("Passphrase").fill(key.passphrase);
  await page.getByRole("button", { name: "Check and bind" }).click();
}
