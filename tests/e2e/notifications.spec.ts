import { expect, test } from "@playwright/test";
import { signUp, uniqueEmail } from "./support/accounts";

test("add a webhook: private addresses are refused with the reason, the form keeps what was typed, the signing secret is shown once", async ({ page }) => {
  await signUp(page, uniqueEmail("webhook"));
  await page.getByRole("link", { name: "Notifications" }).click();
  await expect(page.getByRole("heading", { name: "Notifications", level: 1 })).toBeVisible();
  const form = page.getByRole("form", { name: "Add a webhook" });

  // no name: refused, and the address is still there
  await form.getByLabel("Address (URL)").fill("http://127.0.0.1:9/hooks/myits");
  await form.getByRole("button", { name: "Add webhook" }).click();
  await expect(form.getByText("Give the webhook a name.")).toBeVisible();
  await expect(form.getByLabel("Address (URL)")).toHaveValue("http://127.0.0.1:9/hooks/myits");

  // this machine's address: the server would be the one calling it (SSRF), so no
  await form.getByLabel("Name").fill("Team chat");
  await form.getByRole("button", { name: "Add webhook" }).click();
  await expect(form.getByText("Webhooks go to public addresses only: 127.0.0.1 is a private or reserved address.")).toBeVisible();
  await expect(form.getByLabel("Address (URL)")).toHaveAttribute("aria-invalid", "true");
  await expect(form.getByLabel("Name")).toHaveValue("Team chat");
  await expect(page.getByText("No webhooks yet.")).toBeVisible();

  // a public address (a literal: no DNS needed here) is saved, and its secret shown once
  await form.getByLabel("Address (URL)").fill("https://93.184.215.14/hooks/myits");
  await form.getByRole("button", { name: "Add webhook" }).click();
  const secret = page.getByTestId("signing-secret");
  await expect(secret).toContainText("shown only this once");
  await expect(secret.locator("code").first()).toHaveText(/^whsec_[A-Za-z0-9_-]{43}$/);
  await expect(page.getByText("https://93.184.215.14/hooks/myits")).toBeVisible();

  await page.reload();
  await expect(page.getByTestId("signing-secret")).toHaveCount(0);
  await expect(page.getByText("https://93.184.215.14/hooks/myits")).toBeVisible();
});
