import type { KeyRecord } from "../keys";
import { entry, parseUnits, plain } from "../ledger";
import type { SimLedger } from "../types";
import { addEffects } from "../wallet-book";
import { bybitBook, bybitTransfers, forEachExecution, unifiedHoldings } from "./book";
import { BYBIT_SCALE, bybitDepositEffects, bybitWithdrawalEffects } from "./effects";
import { bybitDepositRecord, bybitWithdrawalRecord } from "./transfers";

/** Bybit: executions of every category, deposits and withdrawals, all in the unified account. */
export function bybitLedger(r: KeyRecord): SimLedger {
  const S = BYBIT_SCALE;
  const { deposits: dep, withdrawals: wd } = bybitTransfers(r);
  const synthetic = r.complete ? bybitBook(r).synthetic : new Set<number>();
  const deposits = dep.map((d) => {
    const raw = bybitDepositRecord(r.tradeSeed, d);
    return entry("deposit", "unified", String(raw.id), d.time, raw, bybitDepositEffects(raw), synthetic.has(d.ordinal), S);
  });
  const withdrawals = wd.map((w) => {
    const raw = bybitWithdrawalRecord(r.tradeSeed, w);
    return entry("withdrawal", "unified", String(raw.withdrawId), w.time, raw, bybitWithdrawalEffects(raw), false, S);
  });
  const total = new Map<string, bigint>();
  for (const p of r.products) forEachExecution(r.historyOf(p)!, (_, e) => addEffects(total, e));
  for (const e of [...deposits, ...withdrawals]) for (const [a, v] of Object.entries(e.effects)) addEffects(total, [[a, parseUnits(v, S)]]);
  const unified = new Map(unifiedHoldings(r).map((h) => [h.asset, h.free + h.locked] as [string, bigint]));
  return {
    exchange: "bybit",
    balancesFollowEffects: r.complete,
    deposits,
    withdrawals,
    conversions: [],
    income: [],
    delisted: [],
    balances: plain(unified, S),
    wallets: { unified: plain(unified, S) },
    effectsTotal: plain(total, S),
  };
}

