// Binance's ground truth beyond trades: deposits and withdrawals, convert and dust, futures
// income, delisted markets, and the wallets a complete account's records add up to (book.ts).

import type { Transfer } from "../account";
import { marketId } from "../catalogue";
import type { KeyRecord } from "../keys";
import { entry, parseUnits, plain } from "../ledger";
import type { TradeCore, TradeHistory } from "../trades";
import type { SimLedger, SimTrade } from "../types";
import { walkTrades } from "../walk";
import { binanceBook } from "./book";
import { addEffects, convertEffects, depositEffects, dustEffects, incomeEffects, tradeEffects, withdrawalEffects } from "./effects";
import { depositRecord, withdrawalRecord } from "./records";

export function binanceLedger(r: KeyRecord, tradeRecord: (h: TradeHistory, t: TradeCore) => SimTrade, isDelisted: (symbol: string) => boolean): SimLedger {
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

