// The ground truth beyond trades (sim.ledger): every non-trade record as the exchange serves it,
// with its effect on balances, the balances the endpoints serve, and the effects total summed
// from the records themselves, so a test can hold the two against each other.

import type { Transfer } from "./account";
import { binanceBook } from "./binance/book";
import {
  addEffects,
  convertEffects,
  depositEffects,
  dustEffects,
  incomeEffects,
  SCALE,
  tradeEffects,
  withdrawalEffects,
  type Effect,
} from "./binance/effects";
import { depositRecord, withdrawalRecord } from "./binance/records";
import { bybitBook, bybitTransfers, forEachExecution, unifiedHoldings } from "./bybit/book";
import { BYBIT_SCALE, bybitDepositEffects, bybitWithdrawalEffects } from "./bybit/effects";
import { bybitDepositRecord, bybitWithdrawalRecord } from "./bybit/transfers";
import { toPlain } from "./decimal";
import { fundingHoldings, okxBook, okxTransfers, tradingHoldings } from "./okx/book";
import { OKX_SCALE, okxDepositEffects, okxFillEffects, okxWithdrawalEffects } from "./okx/effects";
import { okxProductTrade } from "./okx/product-records";
import { okxDepositRecord, okxWithdrawalRecord } from "./okx/transfers";
import type { KeyRecord } from "./keys";
import { marketId } from "./catalogue";
import type { TradeCore, TradeHistory } from "./trades";
import type { SimLedger, SimLedgerEntry, SimTrade } from "./types";
import { walkTrades } from "./walk";

function plain(m: Map<string, bigint>, scale = SCALE): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [a, v] of [...m].sort(([x], [y]) => x.localeCompare(y))) if (v !== 0n) out[a] = toPlain(v, scale);
  return out;
}

function entry(
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

function binanceLedger(r: KeyRecord, tradeRecord: (h: TradeHistory, t: TradeCore) => SimTrade, isDelisted: (symbol: string) => boolean): SimLedger {
  const facts = r.account();
  const book = r.complete ? binanceBook(r) : undefined;
  const deposits = facts.deposits.map((d: Transfer) => {
    const raw = depositRecord(r.tradeSeed, d);
    return entry("deposit", "spot", String(raw.id), d.time, raw, depositEffects(raw), book?.synthetic.has(d.ordinal) ?? false);
  });
  const withdrawals = facts.withdrawals.map((w: Transfer) => {
    const raw = withdrawalRecord(r.tradeSeed, w);
    return entry("withdrawal", "spot", String(raw.id), w.time, raw, withdrawalEffects(raw));
  });
  const conversions = [
    ...(book?.converts ?? []).map((e) => entry("convert", "spot", String(e.raw.orderId), e.time, e.raw, convertEffects(e.raw))),
    ...(book?.dust ?? []).map((e) => entry("dust", "spot", String(e.raw.transId), e.time, e.raw, dustEffects(e.raw))),
  ].sort((a, b) => a.time - b.time);
  const income = (["usdm", "coinm"] as const).flatMap((p) =>
    (book?.income[p] ?? []).map((e) => entry("income", p, `${String(e.raw.incomeType)}:${String(e.raw.tranId)}`, e.time, e.raw, incomeEffects(e.raw))),
  );

  const total = new Map<string, bigint>();
  for (const p of r.products) {
    const h = r.historyOf(p)!;
    walkTrades(h, 0, h.count, (t) => {
      const spec = h.markets[t.market]!;
      addEffects(total, tradeEffects(p, tradeRecord(h, t).raw, spec.base, spec.quote));
    });
  }
  for (const e of [...deposits, ...withdrawals, ...conversions, ...income]) {
    for (const [a, v] of Object.entries(e.effects)) addEffects(total, [[a, parseUnits(v)]]);
  }

  const wallets: Record<string, Record<string, string>> = {};
  const balances = new Map<string, bigint>();
  if (book) {
    for (const [w, m] of book.wallets) {
      wallets[w] = plain(m);
      addEffects(balances, [...m]);
    }
  } else {
    const spot = new Map<string, bigint>();
    for (const hgs of facts.holdings) spot.set(hgs.asset, hgs.free + hgs.locked); // AMOUNT_SCALE = SCALE = 8
    wallets.spot = plain(spot);
    addEffects(balances, [...spot]);
  }
  const delisted: SimLedger["delisted"] = [];
  for (const product of ["spot", "margin", "isolated_margin"] as const) {
    const h = r.historyOf(product);
    h?.markets.forEach((m, k) => {
      const symbol = marketId("binance", m);
      if (isDelisted(symbol)) delisted.push({ product, symbol, trades: h.positions(k).length, delisted: true });
    });
  }
  return {
    exchange: "binance",
    balancesFollowEffects: r.complete,
    deposits,
    withdrawals,
    conversions,
    income,
    delisted,
    balances: plain(balances),
    wallets,
    effectsTotal: plain(total),
  };
}

function parseUnits(v: string, scale = SCALE): bigint {
  const [i, f = ""] = v.replace("-", "").split(".");
  const u = BigInt(`${i}${f.padEnd(scale, "0")}`);
  return v.startsWith("-") ? -u : u;
}

/** OKX: fills of every instType in trading, deposits and withdrawals in funding (okx/book.ts). */
function okxLedger(r: KeyRecord): SimLedger {
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

/** Bybit: executions of every category, deposits and withdrawals, all in the unified account. */
function bybitLedger(r: KeyRecord): SimLedger {
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

export function buildLedger(r: KeyRecord, tradeRecord: (h: TradeHistory, t: TradeCore) => SimTrade, isDelisted: (symbol: string) => boolean): SimLedger {
  if (r.key.exchange === "binance") return binanceLedger(r, tradeRecord, isDelisted);
  if (r.key.exchange === "okx") return okxLedger(r);
  if (r.key.exchange === "kucoin" || r.key.exchange === "gate") throw new Error("the simulator keeps no ledger for KuCoin and Gate keys: trades only");
  return bybitLedger(r);
}
