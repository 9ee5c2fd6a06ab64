// The exchanges the project knows by name: every folder of lib/exchanges (a full adapter) and of
// lib/exchange-sim (a simulator dialect) with an index.ts, which is what makes a folder an
// exchange's (docs/adding-an-exchange.md). The exchange-names test looks for these ids outside
// those folders.
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dirname, "../../..");

/** Folders with an index.ts under one of the two trees, relative to the repository. */
export function exchangeFolders(): { tree: string; id: string }[] {
  return ["lib/exchanges", "lib/exchange-sim"].flatMap((tree) =>
    readdirSync(join(root, tree))
      .filter((name) => statSync(join(root, tree, name)).isDirectory() && existsSync(join(root, tree, name, "index.ts")))
      .map((id) => ({ tree, id })),
  );
}

export function supportedExchangeIdsForTest(): string[] {
  return [...new Set(exchangeFolders().map((f) => f.id))].sort();
}
