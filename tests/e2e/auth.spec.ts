import { expect, test } from "@playwright/test";
import { generate } from "otplib";
import { PASSWORD, signIn, signOut, signUp, uniqueEmail } from "./support/accounts";

test("a signed-out visit to the dashboard lands on the sign-in page", async ({ page }) => {
  await page.goto("/keys");
  await expect(page).toHaveURL(/\/login\?callbackUrl=%2Fkeys$/);
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
});

test("sign up, sign out, and sign in again", async ({ page }) => {
  const email = uniqueEmail("journey");
  await signUp(page, email);
  await expect(page.getByTestId("signed-in-as")).toHaveText(email);
  await expect(page.getByTestId("keys-empty-state")).toContainText("No exchange keys are bound to MyITS yet");

  await signOut(page);
  await expect(page.getByText("You have signed out.")).toBeVisible();
  await page.goto("/keys");
  await expect(page).toHaveURL(/\/login/);

  await signIn(page, email);
  await expect(page).toHaveURL(/\/keys$/);
  await page.getByRole("link", { name: "Audit log" }).click();
  await expect(page.getByRole("heading", { name: "Audit log" })).toBeVisible();
  await expect(page.getByTestId("audit-event")).toHaveCount(4);
  const types = await page.getByTestId("audit-event").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-type")));
  expect(types).toEqual(["auth.login.succeeded", "auth.logout", "auth.login.succeeded", "auth.signup"]);
});

test("a wrong password shows a clear error and keeps the user signed out", async ({ page }) => {
  const email = uniqueEmail("wrong");
  await signUp(page, email);
  await signOut(page);
  await signIn(page, email, "not the password at all");
  await expect(page.getByRole("main").getByRole("alert")).toHaveText("Wrong email or password.");
  await expect(page).toHaveURL(/\/login/);
  await page.goto("/keys");
  await expect(page).toHaveURL(/\/login/);
});

test("sign-up refuses a short password and a taken email", async ({ page }) => {
  const email = uniqueEmail("taken");
  await page.goto("/signup");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill("short");
  await page.getByLabel("Repeat password").fill("short");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText("Use at least 12 characters.")).toBeVisible();

  await signUp(page, email);
  await signOut(page);
  await page.goto("/signup");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByLabel("Repeat password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("main").getByRole("alert")).toContainText("An account with this email already exists");
});

test("TOTP: enrol with the QR secret, then sign-in asks for the code", async ({ page }) => {
  const email = uniqueEmail("totp");
  await signUp(page, email);
  await page.getByRole("link", { name: "Security" }).click();
  await page.getByLabel("Your MyITS password").fill(PASSWORD);
  await page.getByRole("button", { name: "Confirm it's me" }).click();
  await page.getByRole("button", { name: "Set up an authenticator app" }).click();
  await expect(page.getByRole("img", { name: "QR code for your authenticator app" })).toBeVisible();
  const secret = (await page.getByTestId("totp-secret").textContent())!.trim();
  await page.getByLabel("Code from the app").fill(await generate({ secret }));
  await page.getByRole("button", { name: "Turn on" }).click();
  await expect(page.getByTestId("recovery-codes").getByRole("listitem")).toHaveCount(10);

  await page.reload();
  await expect(page.getByTestId("totp-status")).toContainText("On");
  await signOut(page);

  await signIn(page, email);
  await expect(page.getByText("Enter the 6-digit code from your authenticator app")).toBeVisible();
  await expect(page.getByLabel("Authenticator code")).toBeFocused();
  await page.getByLabel("Authenticator code").fill("000000");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("main").getByRole("alert")).toHaveText(/That code is not valid/);

  // The enrolment used the current time step and a code is never accepted twice: an
  // authenticator's next code (one step ahead is within the allowed drift) is the one to use.
  const nextCode = await generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 });
  await page.getByLabel("Authenticator code").fill(nextCode);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/keys$/);
  await expect(page.getByTestId("signed-in-as")).toHaveText(email);
});

test("every page carries the security headers", async ({ page }) => {
  const response = await page.goto("/login");
  const headers = response!.headers();
  expect(headers["content-security-policy"]).toMatch(/frame-ancestors 'none'/);
  expect(headers["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[^']+'/);
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  expect(headers["x-frame-options"]).toBe("DENY");
});

test("sign out everywhere in one browser sends the other to the sign-in page on its next navigation", async ({ page, browser }) => {
  const email = uniqueEmail("everywhere");
  await signUp(page, email);
  const otherBrowser = await browser.newContext({ baseURL: test.info().project.use.baseURL });
  try {
    const other = await otherBrowser.newPage();
    await signIn(other, email);
    await expect(other).toHaveURL(/\/keys$/);

    await page.getByRole("link", { name: "Security" }).click();
    await page.getByRole("button", { name: "Sign out everywhere" }).click();
    await expect(page.getByText("Every other browser and device is signed out. This one stays signed in.")).toBeVisible();

    await other.goto("/backups");
    await expect(other).toHaveURL(/\/login\?callbackUrl=%2F/);
    await expect(other.getByRole("heading", { name: "Sign in" })).toBeVisible();

    // The browser that asked is still signed in.
    await page.goto("/keys");
    await expect(page.getByTestId("signed-in-as")).toHaveText(email);
  } finally {
    await otherBrowser.close();
  }
});
