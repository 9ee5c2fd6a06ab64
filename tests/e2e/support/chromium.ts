import type { LaunchOptions } from "@playwright/test";

// Real Chromium from Debian (Playwright cannot download its own here): CHROMIUM_PATH or
// /usr/bin/chromium, with the switches that keep it from reaching out to the internet.
// Shared by playwright.config.ts and scripts/screenshots.ts.
export const chromiumLaunchOptions: LaunchOptions = {
  executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
};
