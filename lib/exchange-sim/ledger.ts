// The ground truth beyond trades (sim.ledger): every non-trade record as the exchange serves it,
// with its effect on balances, the balances the endpoints serve, and the effects total summed
// from the records themselves, so a test can hold the two against each other. Each dialect builds
// its own (<id>/ledger.ts) from the helpers here.

import { toPlain } from "./decimal";
import { dialectOf } from "./dialects";
import type { KeyRecord } from "./keys";
import type { TradeCore, TradeHistory } from "./trades";
import type { SimLedger, SimLedgerEntry, SimTrade } from "./types";
import { addEffects, type Effect } from "./wallet-book";

/** Amounts at 8 decimals unless a dialect says otherwise. */
const SCALE = 8;

export function plain(m: Map<string, bigint>, scale = SCALE): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [a, v] of [...m].sort(([x], [y]) => x.localeCompare(y))) if (v !== 0n) out[a] = toPlain(v, scale);
  return out;
}

export function entry(
  kind: SimLedgerEntry["kind"],
  wallet: string,
  id: string,
  time: number,
  raw: Record<string, unknown>,
  effects: Effect[],
  synthetic = false,
  scale = SCALE,
): SimLedgerEntry {
  const m = new Map<string, bigint>();
  addEffects(m, effects);
  return { kind, wallet, id, time, raw, effects: plain(m, scale), ...(synthetic ? { synthetic: true as const } : {}) };
}

export function parseUnits(v: string, scale = SCALE): bigint {
  const [i, f = ""] = v.replace("-", "").split(".");
  const u = BigInt(`${i}${f.padEnd(scale, "0")}`);
  return v.startsWith("-") ? -u : u;
}

export function buildLedger(r: KeyRecord, tradeRecord: (h: TradeHistory, t: TradeCore) => SimTrade, isDelisted: (symbol: string) => boolean): SimLedger {
  return dialectOf(r.key.exchange).ledger(r, tradeRecord, isDelisted);
}
