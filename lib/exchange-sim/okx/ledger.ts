import type { KeyRecord } from "../keys";
import { entry, parseUnits, plain } from "../ledger";
import type { SimLedger } from "../types";
import { walkTrades } from "../walk";
import { addEffects } from "../wallet-book";
import { fundingHoldings, okxBook, okxTransfers, tradingHoldings } from "./book";
import { OKX_SCALE, okxDepositEffects, okxFillEffects, okxWithdrawalEffects } from "./effects";
import { okxProductTrade } from "./product-records";
import { okxDepositRecord, okxWithdrawalRecord } from "./transfers";

/** OKX: fills of every instType in trading, deposits and withdrawals in funding (okx/book.ts). */
export function okxLedger(r: KeyRecord): SimLedger {
  const { deposits: dep, withdrawals: wd } = okxTransfers(r);
  const synthetic = r.complete ? okxBook(r).synthetic : new Set<number>();
  const S = OKX_SCALE;
  const deposits = dep.map((d) => {
    const raw = okxDepositRecord(r.tradeSeed, d);
    return entry("deposit", "funding", String(raw.depId), d.time, raw, okxDepositEffects(raw), synthetic.has(d.ordinal), S);
  });
  const withdrawals = wd.map((w) => {
    const raw = okxWithdrawalRecord(r.tradeSeed, w);
    return entry("withdrawal", "funding", String(raw.wdId), w.time, raw, okxWithdrawalEffects(raw), false, S);
  });
  const total = new Map<string, bigint>();
  for (const p of r.products) {
    const h = r.historyOf(p)!;
    walkTrades(h, 0, h.count, (t) => addEffects(total, okxFillEffects(okxProductTrade(h, t).raw)));
  }
  for (const e of [...deposits, ...withdrawals]) for (const [a, v] of Object.entries(e.effects)) addEffects(total, [[a, parseUnits(v, S)]]);
  const wallets: Record<string, Record<string, string>> = {};
  const balances = new Map<string, bigint>();
  for (const [name, holdings] of [
    ["trading", tradingHoldings(r)],
    ["funding", fundingHoldings(r)],
  ] as const) {
    const m = new Map(holdings.map((h) => [h.asset, h.free + h.locked] as [string, bigint]));
    if (name === "funding" && m.size === 0) continue;
    wallets[name] = plain(m, S);
    addEffects(balances, [...m]);
  }
  return {
    exchange: "okx",
    balancesFollowEffects: r.complete,
    deposits,
    withdrawals,
    conversions: [],
    income: [],
    delisted: [],
    balances: plain(balances, S),
    wallets,
    effectsTotal: plain(total, S),
  };
}

