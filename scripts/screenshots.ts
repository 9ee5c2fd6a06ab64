// `npm run screenshots`: the README's picture and docs/tour.md, made from the running demo so they
// never go stale. It starts the dashboard exactly as the end-to-end tests do (tests/e2e/support/
// start-server.ts: its own database, the exchange simulator, the demo account), drives Debian's
// Chromium through Playwright as the demo user (keys, a backup with its coverage, every step of
// the Binance unbind wizard, the review, the audit log) and writes the pictures to docs/images/.
// Docs generation, not a test: it is not part of `npm test`. Whatever happens, the server is
// stopped and its database dropped (start-server.ts does that on SIGTERM).
//
// SCREENSHOTS_PORT / SCREENSHOTS_SIM_PORT choose the dashboard's and the simulator's ports.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { closeSync, copyFileSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { chromium, type Browser, type Locator, type Page } from "@playwright/test";
import { chromiumLaunchOptions } from "../tests/e2e/support/chromium";

const root = resolve(import.meta.dirname, "..");
const imagesDir = resolve(root, "docs/images");
const tourFile = resolve(root, "docs/tour.md");
const port = Number(process.env.SCREENSHOTS_PORT || 3130);
const simPort = Number(process.env.SCREENSHOTS_SIM_PORT || 4130);
const baseURL = `http://127.0.0.1:${port}`;
const simOrigin = `http://127.0.0.1:${simPort}`;
const simToken = randomBytes(24).toString("base64url");
const DEMO_EMAIL = "demo@myits.local";
const DEMO_PASSWORD = process.env.DEMO_PASSWORD || "myits-demo-password";
/** The key the tour backs up and unbinds: the demo's risky one (withdrawals on, no IP whitelist). */
const KEY = "Old test key";

// Small, stable pictures: one device pixel per CSS pixel, a fixed window, English in UTC.
const desktop = { width: 1200, height: 760 };
const wizard = { width: 1024, height: 768 };
const phone = { width: 375, height: 740 };

interface Shot {
  file: string;
  section: string;
  /** The picture's alternative text: what it is. */
  alt: string;
  /** What it shows, under it in docs/tour.md. */
  caption: string;
}
const shots: Shot[] = [];
const work = mkdtempSync(join(tmpdir(), "myits-screenshots-"));
const serverLog = join(work, "server.log");

let server: ChildProcess | undefined;
let browser: Browser | undefined;

function log(message: string): void {
  console.log(`[screenshots] ${message}`);
}

async function startServer(): Promise<void> {
  const out = openSync(serverLog, "a");
  // tsx as a loader, not its CLI (see playwright.config.ts), and a process group of its own, so
  // stopping it reaches every process it started, as Playwright does.
  server = spawn(process.execPath, ["--import", "tsx", "--conditions=react-server", "tests/e2e/support/start-server.ts"], {
    cwd: root,
    detached: true,
    stdio: ["ignore", out, out],
    env: { ...process.env, PORT: String(port), E2E_SIM_PORT: String(simPort), E2E_SIM_ADMIN_TOKEN: simToken, NEXT_TELEMETRY_DISABLED: "1" },
  });
  closeSync(out);
  const exited = new Promise<never>((_, reject) => server!.once("exit", (code) => reject(new Error(`the dashboard stopped while starting (exit ${code})`))));
  exited.catch(() => {});
  // the first start on a machine builds the dashboard: minutes on a small one
  const deadline = Date.now() + 15 * 60_000;
  while (Date.now() < deadline) {
    const ready = await Promise.race([
      fetch(`${baseURL}/login`).then((response) => response.ok, () => false),
      exited,
    ]);
    if (ready) return;
    await Promise.race([new Promise((r) => setTimeout(r, 1_000)), exited]);
  }
  throw new Error(`the dashboard did not answer at ${baseURL}/login within 15 minutes`);
}

async function stopServer(): Promise<void> {
  const child = server;
  server = undefined;
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  process.kill(-child.pid!, "SIGTERM");
  await exited;
}

/** Ⓢ (in "USDⓈ-M") needs a font that has it, or the pictures show an empty box. */
function warnAboutMissingGlyphs(): void {
  const fonts = spawnSync("fc-list", [":charset=24c8", "family"], { encoding: "utf8" });
  if (fonts.status === 0 && fonts.stdout.trim() === "") {
    log("warning: no installed font has Ⓢ (USDⓈ-M shows as a box); on Debian: apt-get install fonts-symbola");
  }
}

/**
 * A picture of the window (a page), of one element, or of the part of the page from the top of
 * one element down to the bottom of another, at most `maxHeight` tall.
 */
type Target = Page | Locator | { from: Locator; to: Locator; maxHeight?: number };

async function shoot(target: Target, file: string, section: string, alt: string, caption: string): Promise<void> {
  const page = "mouse" in target ? target : "from" in target ? target.from.page() : target.page();
  // no hover effect or focus ring left over from the last click or the step's focused heading
  await page.mouse.move(0, 0);
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  const options = { path: join(work, file), animations: "disabled", caret: "hide" } as const;
  if ("from" in target) {
    const top = await target.from.boundingBox();
    const bottom = await target.to.boundingBox();
    if (!top || !bottom) throw new Error(`${file}: nothing to picture`);
    const scroll = await page.evaluate(() => ({ x: window.scrollX, y: window.scrollY, width: document.documentElement.scrollWidth }));
    // a margin of the page around the part, as the page itself would show it
    const margin = 16;
    const x = Math.max(0, top.x + scroll.x - margin);
    const y = Math.max(0, top.y + scroll.y - margin);
    const height = Math.min(bottom.y + bottom.height - top.y, target.maxHeight ?? Infinity) + 2 * margin;
    const width = Math.min(top.x + scroll.x + top.width + margin, scroll.width) - x;
    await page.screenshot({ ...options, fullPage: true, clip: { x, y, width, height } });
  } else {
    await target.screenshot(options);
  }
  shots.push({ file, section, alt, caption });
  log(`${file}`);
}

const heading = (page: Page) => page.getByTestId("step-heading");
const gate = (page: Page, id: string, satisfied: boolean) => page.locator(`[data-testid="gate-list"] [data-gate="${id}"][data-satisfied="${satisfied}"]`);

async function onStep(page: Page, title: string): Promise<void> {
  await heading(page).filter({ hasText: new RegExp(`^${title.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`) }).waitFor();
}

async function continueTo(page: Page, title: string): Promise<void> {
  await page.getByTestId("continue").getByRole("button").click();
  await onStep(page, title);
}

/**
 * Every card streams in with its live check; on a busy machine a check can time out and its card
 * says "Not checked". The pictures show the demo as it is on a quiet one: ask again a few times.
 */
async function settleKeyCards(page: Page): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await page.getByTestId("key-card").first().waitFor();
    await page.getByTestId("key-card-pending").first().waitFor({ state: "detached" });
    const unchecked = await page.getByTestId("key-status").filter({ hasText: "Not checked" }).count();
    if (unchecked === 0) return;
    if (attempt === 5) {
      log(`warning: ${unchecked} key(s) still not checked after ${attempt} tries; the pictures show them so`);
      return;
    }
    await page.reload();
  }
}

async function simKey(label: string): Promise<{ apiKey: string }> {
  const response = await fetch(`${simOrigin}/__admin/keys`, { headers: { authorization: `Bearer ${simToken}` } });
  const { keys } = (await response.json()) as { keys: { exchange: string; label: string; apiKey: string }[] };
  const key = keys.find((k) => k.exchange === "binance" && k.label === label);
  if (!key) throw new Error(`the simulator has no Binance key "${label}"`);
  return key;
}

async function tour(): Promise<void> {
  browser = await chromium.launch(chromiumLaunchOptions);
  const context = await browser.newContext({ baseURL, viewport: desktop, deviceScaleFactor: 1, locale: "en-US", timezoneId: "UTC", colorScheme: "light", reducedMotion: "reduce" });
  context.setDefaultTimeout(30_000);
  const page = await context.newPage();

  await page.goto("/login");
  await page.getByLabel("Email").fill(DEMO_EMAIL);
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(/\/keys$/);
  const keyCard = page.getByTestId("key-card").filter({ has: page.getByRole("heading", { name: KEY, exact: true }) });
  await settleKeyCards(page);

  const keys = "Keys";
  await shoot(page, "keys.png", keys, "The keys page of the demo account", "Every bound key, grouped by exchange, with what the exchange says about it right now: valid or revoked, its permissions, IP whitelist, creation and expiry, the bots using it, and the risks to fix (“Old test key” can withdraw, has no IP whitelist, expires soon and has not been used for 75 days). The banner says the exchanges are simulated.");
  await page.emulateMedia({ colorScheme: "dark" });
  await shoot(page, "keys-dark.png", keys, "The keys page in dark mode", "The same page in dark mode: the system's setting, or the Dark choice at the top.");
  await page.emulateMedia({ colorScheme: "light" });
  await page.setViewportSize(phone);
  await shoot(page, "keys-phone.png", keys, "The keys page on a phone", "On a phone (375 px wide) the cards stack and nothing is wider than the screen.");
  await page.setViewportSize(desktop);

  // A backup: an export of everything the key can read, then its coverage report.
  await keyCard.getByRole("button", { name: "Back up" }).click();
  await page.waitForURL(/\/backups#key-/);
  const backup = page.getByTestId("backup-card").filter({ has: page.getByRole("heading", { name: new RegExp(KEY) }) });
  // a first export of a Binance key reads years of convert history at 60 requests a minute
  await backup.getByTestId("export-done").waitFor({ timeout: 300_000 });
  await page.reload();
  await backup.getByTestId("coverage").waitFor();
  await shoot(backup, "backup-coverage.png", "Backups", "A finished backup with its coverage report", "“Back up” copied everything the key can read into MyITS. Before the download, the coverage report says what the backup holds per product (rows and time range), what the exchange no longer gives or refused (here: futures, which this key may not read), and whether every asset's balance equals the sum of its recorded movements.");

  // The unbind wizard, at a narrower window so each step's panel fits a small picture.
  await page.setViewportSize(wizard);
  await page.goto("/keys");
  await keyCard.getByRole("link", { name: "Unbind" }).click();
  await page.waitForURL(/\/keys\/\w+\/unbind$/);
  await page.getByRole("button", { name: "Start the unbind wizard" }).click();
  await onStep(page, "Back up your trade records");
  await Promise.all([page.waitForEvent("download"), page.getByTestId("wizard-download-zip").click()]);
  // the download counts once its last byte has been sent
  for (let attempt = 0; ; attempt++) {
    await page.reload();
    if ((await gate(page, "backup", true).count()) > 0) break;
    if (attempt === 20) throw new Error("the wizard never saw the backup's download");
    await new Promise((r) => setTimeout(r, 500));
  }
  const wizardSection = "The unbind wizard (Binance)";
  const main = page.locator("main");
  const step = page.getByTestId("wizard-step");
  await shoot({ from: main, to: main, maxHeight: 860 }, "unbind-1-backup.png", wizardSection, "Back up your trade records", "Precaution 1, the backup. The left column lists the wizard's steps and the precaution checklist the server enforces; this step passes once a complete backup taken after the last trade sync has been downloaded (or the user records that they need none).");

  await continueTo(page, "Bots that use this key");
  await page.getByRole("button", { name: "I understand the impact" }).click();
  await gate(page, "impact", true).waitFor();
  await shoot(step, "unbind-2-impact.png", wizardSection, "Bots that use this key", "Precaution 2, the impact: the bots that use this key, each to stop here or to acknowledge that it will stop working.");

  await continueTo(page, "Account security");
  for (const box of await page.getByTestId("security-checklist").getByRole("checkbox").all()) await box.check();
  await page.getByRole("button", { name: "Save checklist" }).click();
  await page.getByLabel("Your MyITS password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Confirm it's me" }).click();
  await page.getByTestId("reauth-valid").waitFor();
  await shoot(step, "unbind-3-security.png", wizardSection, "Account security", "Precaution 3, account security: a checklist for the exchange account, and the MyITS password again (valid for five minutes, in this browser only) before anything is deleted.");

  await continueTo(page, "Notify relevant parties");
  await page.getByRole("button", { name: "Nobody needs to be told" }).click();
  await gate(page, "notify", true).waitFor();
  await shoot(step, "unbind-4-notify.png", wizardSection, "Notify relevant parties", "Precaution 4, notifications: the webhooks to tell with a signed event, or the user's record that nobody needs to be told.");

  const binanceSteps: Array<[title: string, slug: string, caption: string]> = [
    ["Log in to Binance", "login", "Binance step 1: log in to Binance yourself, at the address shown. The drawing is ours, never a screenshot of Binance: it shows where to go."],
    ["Open API Management", "menu", "Binance step 2: the profile menu, with API Management marked."],
    ["Find your API keys", "key-list", "Binance step 3: the API Management page and its list of keys."],
    ["Find the key bound to MyITS", "find-key", "Binance step 4: which key is the one bound to MyITS: its label, masked API key and creation date, to match on Binance's page."],
    ["Delete the key", "delete", "Binance step 5: delete that key (not “Delete all API”), then confirm."],
    ["Pass Binance's security verification", "verify", "Binance step 6: Binance asks for its own verification (authenticator, email code or passkey) before it deletes the key."],
    ["Confirm with Binance", "confirm", "Binance step 7: MyITS asks Binance, with the stored key, whether the key still exists. Only Binance's “no such key” completes the unbind."],
  ];
  for (const [index, [title, slug, caption]] of binanceSteps.entries()) {
    await continueTo(page, title);
    await shoot(step, `unbind-${index + 5}-${slug}.png`, wizardSection, title, caption);
    if (slug === "delete") {
      await page.emulateMedia({ colorScheme: "dark" });
      await shoot(step, `unbind-${index + 5}-${slug}-dark.png`, wizardSection, `${title}, in dark mode`, "The same step in dark mode.");
      await page.emulateMedia({ colorScheme: "light" });
      // meanwhile the demo user deletes the key on the (simulated) exchange
      const { apiKey } = await simKey(KEY);
      const deleted = await fetch(`${simOrigin}/__admin/keys/binance/${encodeURIComponent(apiKey)}`, { method: "DELETE", headers: { authorization: `Bearer ${simToken}` } });
      if (!deleted.ok) throw new Error(`the simulator did not delete the key: ${deleted.status} ${await deleted.text()}`);
    }
  }
  await page.getByRole("button", { name: "Check with Binance" }).click();
  await page.getByTestId("unbind-success").waitFor();
  await onStep(page, "Review your remaining keys");
  await shoot(step, "unbind-12-review.png", wizardSection, "Review your remaining keys", "Binance answered that the key does not exist, so MyITS destroyed its stored copy and stopped and detached the key's bot in the same transaction. The last step lists the remaining keys, riskiest first, with their risk flags: the next ones to review.");
  await page.getByRole("button", { name: "Finish review" }).click();
  await page.getByTestId("review-done").waitFor();

  await page.setViewportSize(desktop);
  await page.goto("/review");
  const ranked = page.getByTestId("review-key");
  await ranked.nth(1).waitFor();
  await shoot({ from: page.locator("section[aria-labelledby=ranking-heading]"), to: ranked.nth(1) }, "review.png", "Review", "The review page's ranking of the remaining keys", "Review ranks every key by a risk score with its reasons and its history of checks, and offers “Check now” and, for the keys it says to remove, “Start unbind”. Above the ranking (not pictured) are the alerts the key watch raised, each with what to do.");

  await page.goto("/audit");
  const keyId = await page.getByLabel("Key").locator("option", { hasText: KEY }).getAttribute("value");
  await page.getByLabel("Key").selectOption(keyId!);
  await page.getByLabel("Kind").selectOption({ label: "Unbind wizard" });
  await page.getByRole("button", { name: "Filter" }).click();
  await page.waitForURL(/\/audit\?key=/);
  await page.getByTestId("audit-event").first().waitFor();
  await shoot({ from: main, to: main, maxHeight: 640 }, "audit.png", "Audit log", "The audit log after the unbind", "The audit log after the unbind, filtered to the key and the wizard: every step by name, the exchange's answer, where each event came from; also as a CSV file.");
}

function writeTour(): void {
  const sections = [...new Set(shots.map((s) => s.section))];
  const lines = [
    "# A tour of the dashboard",
    "",
    "<!-- Written by `npm run screenshots` (scripts/screenshots.ts) from the demo: edit the script, not this file. -->",
    "",
    "The demo account (`npm run demo`) on the built-in exchange simulator: its keys, a backup of",
    `“${KEY}” with its coverage report, every step of unbinding that key from Binance, the review`,
    "and the audit log. `npm run screenshots` makes these pictures again from the running dashboard;",
    "the demo's history is generated relative to the day it runs, so its dates are that day's.",
    "",
  ];
  for (const section of sections) {
    lines.push(`## ${section}`, "");
    for (const shot of shots.filter((s) => s.section === section)) {
      lines.push(`![${shot.alt}](images/${shot.file})`, "", shot.caption, "");
    }
  }
  writeFileSync(tourFile, lines.join("\n"));
}

/** The new pictures replace docs/images/ only when every one was made. */
function publish(): void {
  mkdirSync(imagesDir, { recursive: true });
  const made = new Set(shots.map((s) => s.file));
  for (const old of readdirSync(imagesDir)) if (old.endsWith(".png") && !made.has(old)) rmSync(join(imagesDir, old));
  for (const file of made) copyFileSync(join(work, file), join(imagesDir, file));
  writeTour();
  const bytes = [...made].reduce((sum, file) => sum + statSync(join(imagesDir, file)).size, 0);
  log(`${made.size} pictures (${(bytes / 1024).toFixed(0)} KiB) in ${relative(process.cwd(), imagesDir) || "."}/, captions in ${relative(process.cwd(), tourFile)}`);
}

let finished = false;
async function finish(code: number): Promise<never> {
  if (!finished) {
    finished = true;
    await browser?.close().catch(() => {});
    await stopServer();
    rmSync(work, { recursive: true, force: true });
  }
  process.exit(code);
}
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => void finish(130));

try {
  warnAboutMissingGlyphs();
  log(`starting the demo dashboard at ${baseURL} (simulator ${simOrigin})`);
  await startServer();
  await tour();
  publish();
  await finish(0);
} catch (error) {
  console.error(`[screenshots] failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
  try {
    console.error(`[screenshots] last lines of the server log:\n${readFileSync(serverLog, "utf8").split("\n").slice(-30).join("\n")}`);
  } catch {
    // no log yet
  }
  await finish(1);
}
