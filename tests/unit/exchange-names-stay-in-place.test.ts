import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { supportedExchangeIdsForTest } from "./support/exchange-ids";

// Everything exchange-specific lives behind the adapters: lib/exchanges (each exchange's folder),
// lib/exchange-sim (the simulator's dialects) and lib/demo (the demo's keys). A page, a component
// or a domain module that names an exchange has taken on knowledge that belongs there.

const root = join(import.meta.dirname, "../..");
const ALLOWED = ["lib/exchanges/", "lib/exchange-sim/", "lib/demo/"];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.(ts|tsx)$/.test(name) ? [path] : [];
  });
}

describe("exchange names", () => {
  it("appear in the app, its components and its domain code only behind the adapters", () => {
    const ids = supportedExchangeIdsForTest();
    const pattern = new RegExp(`["'\`](${ids.join("|")})["'\`]`);
    const offenders = ["app", "components", "lib"]
      .flatMap((dir) => sources(join(root, dir)))
      .map((path) => relative(root, path))
      .filter((path) => !ALLOWED.some((allowed) => path.startsWith(allowed)))
      .filter((path) => pattern.test(readFileSync(join(root, path), "utf8")));
    expect(offenders).toEqual([]);
  });

  it("the check finds a name where it does not belong", () => {
    const pattern = new RegExp(`["'\`](${supportedExchangeIdsForTest().join("|")})["'\`]`);
    expect(pattern.test(`if (exchange === "okx") return 1;`)).toBe(true);
  });
});
