// Which of a Binance key's accounts exist and what each wallet holds. A key created without
// products or ledger (legacy) has empty margin and futures accounts; a complete key has the
// accounts its products need, holding what its records leave (book.ts).

import type { KeyRecord } from "../keys";
import { binanceBook } from "./book";

const EMPTY = new Map<string, bigint>();

export function hasMarginAccount(r: KeyRecord): boolean {
  return !r.complete || binanceBook(r).hasMarginAccount;
}

export function hasFuturesAccount(r: KeyRecord): boolean {
  return !r.complete || binanceBook(r).hasFuturesAccount;
}

/** Units at 8 decimals per asset of one wallet: margin, isolated:<symbol>, usdm, coinm. */
export function wallet(r: KeyRecord, name: string): Map<string, bigint> {
  if (!r.complete) return EMPTY;
  return binanceBook(r).wallets.get(name) ?? EMPTY;
}

/** Symbols with an isolated margin account (the ones traded isolated). */
export function isolatedSymbols(r: KeyRecord): string[] {
  if (!r.complete) return [];
  return [...binanceBook(r).wallets.keys()].filter((w) => w.startsWith("isolated:")).map((w) => w.slice("isolated:".length)).sort();
}
