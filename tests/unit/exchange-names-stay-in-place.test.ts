import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { exchangeFolders, supportedExchangeIdsForTest } from "./support/exchange-ids";

// Everything exchange-specific lives in the exchange's own folders: lib/exchanges/<id>/ (adapter,
// error table, guide, drawings' content) and lib/exchange-sim/<id>/ (the simulator's dialect),
// plus lib/demo, which seeds the demo's keys. Anywhere else (the app, its components, the domain
// modules, the shared adapter and simulator code, the scripts) a string naming an exchange id is
// knowledge that belongs in a folder: a branch on one exchange, a list that a new exchange would
// have to join. Comments may still name an exchange as an example; code may not.
//
// The exceptions: scripts/bench, whose benchmarks measure the Binance adapter against the
// simulated Binance's weight pools by design (docs/benchmarks.md), and scripts/screenshots.ts,
// which walks the demo's Binance journey in Chromium as the end-to-end tests do (docs/tour.md).

const root = join(import.meta.dirname, "../..");
const SCANNED = ["app", "components", "lib", "scripts"];
const ROOT_FILES = ["auth.ts", "auth.config.ts", "proxy.ts", "instrumentation.ts", "next.config.js", "prisma.config.ts"];
const EXCEPTIONS = ["scripts/bench/", "scripts/screenshots.ts"];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.(ts|tsx|js|mjs|cjs)$/.test(name) ? [path] : [];
  });
}

/** A string literal holding an exchange id, in any case ("okx", 'BINANCE', `bybit`). */
function namePattern(ids: string[]): RegExp {
  return new RegExp(`["'\`](${ids.join("|")})["'\`]`, "i");
}

function allowed(path: string): boolean {
  const folders = exchangeFolders().map(({ tree, id }) => `${tree}/${id}/`);
  return [...folders, "lib/demo/", ...EXCEPTIONS].some((prefix) => path.startsWith(prefix));
}

describe("exchange names", () => {
  it("finds the exchanges by their folders", () => {
    const ids = supportedExchangeIdsForTest();
    expect(ids).toEqual(expect.arrayContaining(["binance", "okx", "bybit"]));
    // every full adapter has its simulated dialect, and the other way round
    const adapters = exchangeFolders().filter((f) => f.tree === "lib/exchanges").map((f) => f.id).sort();
    const dialects = exchangeFolders().filter((f) => f.tree === "lib/exchange-sim").map((f) => f.id).sort();
    expect(dialects).toEqual(adapters);
  });

  it("appear nowhere outside the exchanges' own folders and lib/demo", () => {
    const pattern = namePattern(supportedExchangeIdsForTest());
    const files = [
      ...SCANNED.flatMap((dir) => sources(join(root, dir))),
      ...ROOT_FILES.map((name) => join(root, name)).filter((path) => existsSync(path)),
    ];
    const offenders = files
      .map((path) => relative(root, path))
      .filter((path) => !allowed(path))
      .filter((path) => pattern.test(readFileSync(join(root, path), "utf8")));
    expect(offenders).toEqual([]);
  });

  it("the check finds a name where it does not belong, and only there", () => {
    const pattern = namePattern(supportedExchangeIdsForTest());
    expect(pattern.test(`if (exchange === "okx") return 1;`)).toBe(true);
    expect(pattern.test(`for (const id of ["BINANCE"]) {}`)).toBe(true);
    expect(pattern.test("// Binance -2015 is ambiguous")).toBe(false);
    expect(allowed("lib/exchanges/registry.ts")).toBe(false);
    expect(allowed("lib/exchange-sim/server.ts")).toBe(false);
    expect(allowed("lib/exchanges/binance/guide.ts")).toBe(true);
    expect(allowed("lib/exchange-sim/okx/dialect.ts")).toBe(true);
    expect(allowed("lib/exchanges/pacing/shared.ts")).toBe(false);
  });
});
