// Which exchanges derive a complete account's balances from its records. Others (for now) keep
// the independently drawn account of account.ts.

import type { AccountFacts } from "./account";
import { binanceBook } from "./binance/book";
import type { KeyRecord } from "./keys";

export function completeAccountFacts(r: KeyRecord): AccountFacts | undefined {
  if (r.key.exchange === "binance") return binanceBook(r).facts;
  return undefined;
}
