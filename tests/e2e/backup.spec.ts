import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { strFromU8, unzipSync } from "fflate";
import { signIn, signUp, uniqueEmail } from "./support/accounts";
import { zipBomb } from "../support/zip-bomb";
import { simAdmin, simOrigin } from "./support/sim";

// The backup journey on the demo account (seeded by the e2e server as `npm run demo` does):
// "Back up" on the demo Binance key (spot, margin, USDⓈ-M and COIN-M trades, convert, dust,
// income), the progress bar runs to the end, the coverage report says nothing is missing, the
// archive downloads, and its manifest, checksums, row counts and coverage.json hold.

const DEMO_EMAIL = "demo@myits.local";
const DEMO_PASSWORD = "myits-demo-password";
// spot 3000, cross margin 600, USDⓈ-M 900, COIN-M 300 (lib/demo/demo-keys.ts)
const DEMO_BINANCE_TRADES = 4800;

test("back up the demo Binance key, watch it finish, download and check the archive", async ({ page }) => {
  // a first export of a Binance key reads years of convert history at 60 requests a minute
  test.setTimeout(240_000);
  await signIn(page, DEMO_EMAIL, DEMO_PASSWORD);
  await expect(page).toHaveURL(/\/keys$/);
  const card = page.getByTestId("key-card").filter({ has: page.getByRole("heading", { name: "Main trading bot" }) });
  // A slower exchange (each trade page takes 250 ms more) so the progress can be watched.
  const fault = await page.request.post(`${simOrigin()}/__admin/faults`, {
    data: { exchange: "binance", pathPrefix: "/api/v3/myTrades", kind: "latency", ms: 250 },
    headers: simAdmin(),
  });
  expect(fault.ok()).toBe(true);
  try {
    await card.getByRole("button", { name: "Back up" }).click();
    await expect(page).toHaveURL(/\/backups#key-/);
    const running = page.getByTestId("backup-card").filter({ has: page.getByRole("heading", { name: /Main trading bot/ }) }).getByTestId("export-panel");
    await expect(running.getByRole("progressbar", { name: "Export progress" })).toBeVisible();
    await expect(running.getByTestId("export-facts")).toContainText(/Part \d+ of \d+ · [\d,]+ trades so far/);
  } finally {
    await page.request.delete(`${simOrigin()}/__admin/faults`, { headers: simAdmin() });
  }
  const section = page.getByTestId("backup-card").filter({ has: page.getByRole("heading", { name: /Main trading bot/ }) });
  const panel = section.getByTestId("export-panel");
  // a first export reads years of convert history at Binance's 60 requests a minute (UID weight)
  await expect(panel.getByTestId("export-done")).toBeVisible({ timeout: 150_000 });
  await expect(panel.getByRole("progressbar")).toHaveCount(0);
  await expect(panel.getByTestId("export-done")).toContainText(`${DEMO_BINANCE_TRADES.toLocaleString("en-US")} new trades stored`);
  await expect(section.getByTestId("trade-count")).toContainText(`${DEMO_BINANCE_TRADES.toLocaleString("en-US")} trades stored`);

  // the coverage report, in words, before the download
  const coverage = section.getByTestId("coverage");
  await expect(coverage).toHaveAttribute("data-complete", "true");
  await expect(coverage.getByTestId("coverage-summary")).toContainText("Complete as far as Binance allows");
  for (const part of ["Spot trades", "Cross margin trades", "USDⓈ-M futures trades", "COIN-M futures trades", "Deposits and withdrawals", "Conversions", "Futures income"]) {
    await expect(coverage.getByTestId("coverage-part").filter({ hasText: part })).toBeVisible();
  }
  await expect(coverage.getByTestId("coverage-reconciliation")).toContainText("Every asset's balance equals the sum of its recorded movements");
  await expect(coverage.getByTestId("coverage-limits")).toContainText("older than 6 months");

  const [download] = await Promise.all([page.waitForEvent("download"), section.getByTestId("download-zip").click()]);
  expect(download.suggestedFilename()).toMatch(/^myits-binance-main-trading-bot-\d{4}-\d{2}-\d{2}\.zip$/);
  const archive = await readFile(await download.path());
  const files = unzipSync(new Uint8Array(archive));
  expect(Object.keys(files).sort()).toEqual(["bots.json", "conversions.csv", "coverage.json", "income.csv", "key.json", "manifest.json", "trades.csv", "transfers.csv"]);

  const manifest = JSON.parse(strFromU8(files["manifest.json"]!)) as {
    version: number;
    complete: boolean;
    counts: { trades: number; transfers: number; conversions: number; income: number; bots: number };
    files: Record<string, { sha256: string; bytes: number; rows?: number }>;
  };
  expect(manifest).toMatchObject({ version: 2, complete: true });
  expect(manifest.counts).toMatchObject({ trades: DEMO_BINANCE_TRADES, bots: 2 });
  for (const kind of ["transfers", "conversions", "income"] as const) expect(manifest.counts[kind], kind).toBeGreaterThan(0);
  const coverageJson = JSON.parse(strFromU8(files["coverage.json"]!)) as { complete: boolean; parts: Array<{ part: string; rows: number }>; reconciliation: { assets: Array<{ difference: string }> } };
  expect(coverageJson.complete).toBe(true);
  expect(coverageJson.parts.filter((p) => p.rows > 0).map((p) => p.part)).toEqual(["spot", "margin", "usdm", "coinm", "transfers", "conversions", "income"]);
  expect(coverageJson.reconciliation.assets.every((a) => a.difference === "0")).toBe(true);
  for (const [name, entry] of Object.entries(manifest.files)) {
    const content = files[name]!;
    expect(createHash("sha256").update(content).digest("hex"), name).toBe(entry.sha256);
    expect(content.length, name).toBe(entry.bytes);
  }
  const lines = strFromU8(files["trades.csv"]!).split("\r\n").filter((line) => line !== "");
  expect(lines).toHaveLength(DEMO_BINANCE_TRADES + 1);
  expect(manifest.files["trades.csv"]!.rows).toBe(DEMO_BINANCE_TRADES);
  expect(strFromU8(files["key.json"]!)).not.toMatch(/"secret/i);

  // The download is recorded (the unbind wizard's backup gate reads it).
  await page.reload();
  await expect(section.getByTestId("backup-row").first()).toContainText(`${DEMO_BINANCE_TRADES.toLocaleString("en-US")} trades`);

  // Restored through the page's form, multipart as the browser sends it: every trade already here.
  const restore = page.getByTestId("restore-form");
  await restore.locator("select[name=bindingId]").selectOption({ label: "Main trading bot (Binance)" });
  await restore.locator("input[name=archive]").setInputFiles(await download.path());
  await restore.getByRole("button", { name: "Verify and restore" }).click();
  await expect(restore.getByTestId("restore-result")).toHaveText(
    `Verified and restored: ${DEMO_BINANCE_TRADES} trades in the archive, 0 added, ${DEMO_BINANCE_TRADES} already here.`,
  );
  // the same archive made a zip bomb (trades.csv claiming 4 GiB) is refused before it inflates
  const bomb = zipBomb(new Uint8Array(archive), { file: "trades.csv", inflatesTo: 4 * 1024 ** 3 - 1, sizes: "honest" });
  await restore.locator("input[name=archive]").setInputFiles({ name: "bomb.zip", mimeType: "application/zip", buffer: bomb });
  await restore.getByRole("button", { name: "Verify and restore" }).click();
  await expect(restore.getByTestId("restore-result")).toHaveText(/^This backup cannot be restored: trades\.csv would inflate to 4\.0 GiB .* refused as a likely ZIP bomb\.$/);
});

test("a second user cannot download the demo user's backup", async ({ page, browser }) => {
  await signIn(page, DEMO_EMAIL, DEMO_PASSWORD);
  await expect(page).toHaveURL(/\/keys$/);
  await page.goto("/backups");
  const href = await page.getByTestId("download-zip").first().getAttribute("href");
  expect(href).toMatch(/^\/api\/keys\/\w+\/backup\?format=zip$/);

  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await signUp(otherPage, uniqueEmail("thief"));
  const response = await otherPage.request.get(href!);
  expect(response.status()).toBe(404);
  await other.close();
});
