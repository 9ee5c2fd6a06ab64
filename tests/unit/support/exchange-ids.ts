// The exchanges with full adapters, by their folders in lib/exchanges: the names the
// exchange-names test looks for outside those folders.
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

export function supportedExchangeIdsForTest(): string[] {
  const dir = join(import.meta.dirname, "../../../lib/exchanges");
  return readdirSync(dir).filter((name) => statSync(join(dir, name)).isDirectory() && !["guides", "pacing"].includes(name));
}
