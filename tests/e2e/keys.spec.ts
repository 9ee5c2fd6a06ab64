import { expect, test } from "@playwright/test";
import { signOut, signUp, uniqueEmail } from "./support/accounts";
import { bindThroughForm } from "./support/bind";
import { createSimKey, deleteSimKey } from "./support/sim";

test("bind a Binance key and see it listed with its permissions and risk flags", async ({ page }) => {
  const key = await createSimKey(page.request, { exchange: "binance", permissions: { read: true, spotTrade: true } });
  await signUp(page, uniqueEmail("bind"));
  await bindThroughForm(page, key, "Grid bot key", "Binance");

  await expect(page).toHaveURL(/\/keys\?bound=\w+&warned=1$/);
  await expect(page.getByRole("status").filter({ hasText: "Key bound, with warnings" })).toBeVisible();
  const group = page.getByTestId("exchange-group").filter({ has: page.getByRole("heading", { name: /Binance/ }) });
  const card = group.getByTestId("key-card");
  await expect(card).toHaveCount(1);
  await expect(card.getByRole("heading", { name: "Grid bot key" })).toBeVisible();
  await expect(card.getByText(`${key.apiKey.slice(0, 4)}…${key.apiKey.slice(-4)}`)).toBeVisible();
  await expect(card.getByTestId("key-status")).toHaveText("Valid");
  await expect(card.locator('[data-permission="read"]')).toHaveAttribute("data-on", "true");
  await expect(card.locator('[data-permission="spotTrade"]')).toHaveAttribute("data-on", "true");
  await expect(card.locator('[data-permission="withdraw"]')).toHaveAttribute("data-on", "false");
  await expect(card.getByTestId("ip-whitelist")).toHaveText("None: any address");
  await expect(card.locator('[data-risk="no_ip_whitelist"]')).toBeVisible();
  await expect(card.locator("[data-risk]")).toHaveCount(1);
  // The secret never comes back to the browser.
  expect(await page.content()).not.toContain(key.secret);
});

test("a key that can withdraw is refused with an explanation", async ({ page }) => {
  const key = await createSimKey(page.request, { exchange: "binance", permissions: { read: true, spotTrade: true, withdraw: true }, ipWhitelist: ["127.0.0.1"] });
  await signUp(page, uniqueEmail("withdraw"));
  await bindThroughForm(page, key, "Risky key", "Binance");
  await expect(page.getByRole("main").getByRole("alert")).toContainText("This key can withdraw funds");
  // said once, at the top; the field it is about is marked and points at that message
  await expect(page.getByText("This key can withdraw funds")).toHaveCount(1);
  await expect(page.getByLabel("API key")).toHaveAttribute("aria-invalid", "true");
  await expect(page).toHaveURL(/\/keys\/new$/);
  await page.goto("/keys");
  await expect(page.getByTestId("keys-empty-state")).toBeVisible();
  await page.getByRole("link", { name: "Audit log" }).click();
  await expect(page.locator('[data-testid="audit-event"][data-type="key.bind_refused"]')).toHaveCount(1);
});

test("a second user sees none of the first user's keys, in pages or through the API", async ({ page }) => {
  const key = await createSimKey(page.request, { exchange: "okx", permissions: { read: true, spotTrade: true }, ipWhitelist: ["127.0.0.1"] });
  await signUp(page, uniqueEmail("owner"));
  await bindThroughForm(page, key, "OKX main", "OKX");
  await expect(page.getByTestId("key-card")).toHaveCount(1);
  const ownerKeys = (await (await page.request.get("/api/keys")).json()) as { keys: { id: string; label: string }[] };
  expect(ownerKeys.keys.map((k) => k.label)).toEqual(["OKX main"]);
  const ownerKeyId = ownerKeys.keys[0]!.id;
  expect(JSON.stringify(ownerKeys)).not.toContain(key.secret);

  await signOut(page);
  await signUp(page, uniqueEmail("other"));
  await expect(page.getByTestId("keys-empty-state")).toBeVisible();
  expect(await (await page.request.get("/api/keys")).json()).toEqual({ keys: [] });
  const foreign = await page.request.get(`/api/keys/${ownerKeyId}`);
  expect(foreign.status()).toBe(404);

  // as a script on the page's own origin would send them (the Origin rule: lib/http/request-origin.ts)
  const origin = { origin: new URL(page.url()).origin };
  const badInput = await page.request.post("/api/keys", { data: { exchange: "binance", label: "", apiKey: "x", secret: "y" }, headers: origin });
  expect(badInput.status()).toBe(400);
  expect(((await badInput.json()) as { error: { code: string } }).error.code).toBe("BAD_REQUEST");
  expect((await page.request.get("/api/keys/not-an-id!")).status()).toBe(400);
  expect((await page.request.post("/api/keys", { data: "not json", headers: { "content-type": "application/json", ...origin } })).status()).toBe(400);
  // without an Origin (or from another one) a write is refused before anything is read
  expect((await page.request.post("/api/keys", { data: { exchange: "binance", label: "x", apiKey: "x", secret: "y" } })).status()).toBe(403);
});

test("a key deleted on the exchange shows as revoked after a re-check", async ({ page }) => {
  const key = await createSimKey(page.request, { exchange: "bybit", permissions: { read: true, spotTrade: true }, ipWhitelist: ["127.0.0.1"] });
  await signUp(page, uniqueEmail("revoke"));
  await bindThroughForm(page, key, "Bybit bot", "Bybit");
  const card = page.getByTestId("key-card");
  await expect(card.getByTestId("key-status")).toHaveText("Valid");

  await deleteSimKey(page.request, "bybit", key.apiKey);
  await card.getByRole("button", { name: "Re-check" }).click();
  await expect(card.getByTestId("key-status")).toHaveText("Revoked");
  await expect(card.locator('[data-risk="revoked"]')).toBeVisible();
  await expect(card).toContainText("does not exist");
});

test("signed-out API calls are refused", async ({ request }) => {
  const response = await request.get("/api/keys");
  expect(response.status()).toBe(401);
});
