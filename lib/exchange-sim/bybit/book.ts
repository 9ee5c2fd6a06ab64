// A complete Bybit account (trades.products or ledger): executions of every category and the
// deposits and withdrawals all in the unified account, whose wallet balances follow from them.

import { buildAccount, networkOf, type Holding, type Transfer } from "../account";
import { assetUsdUnits } from "../catalogue";
import { pow10 } from "../decimal";
import { HashStream, hashInts } from "../hash";
import type { KeyRecord } from "../keys";
import { DAY_MS, type TradeHistory } from "../trades";
import { walkTrades } from "../walk";
import { WalletBook } from "../wallet-book";
import { CATEGORY_OF, settleCoin } from "./categories";
import { BYBIT_SCALE, bybitDepositEffects, bybitExecutionEffects, bybitWithdrawalEffects } from "./effects";
import { bybitProductTrade } from "./product-records";
import { bybitDepositRecord, bybitWithdrawalRecord } from "./transfers";

export interface BybitBook {
  deposits: Transfer[];
  withdrawals: Transfer[];
  synthetic: Set<number>;
  unified: Map<string, bigint>;
}

/** A history's executions with their effects (the dialect serves the same records). */
export function forEachExecution(h: TradeHistory, visit: (raw: Record<string, unknown>, effects: ReturnType<typeof bybitExecutionEffects>) => void): void {
  const category = CATEGORY_OF[h.product]!;
  walkTrades(h, 0, h.count, (t) => {
    const spec = h.markets[t.market]!;
    const raw = bybitProductTrade(h, t).raw;
    visit(raw, bybitExecutionEffects(raw, category, spec.base, spec.quote, settleCoin(h.product, spec)));
  });
}

export function buildBybitBook(r: KeyRecord): BybitBook {
  const spot = r.history();
  const legacy = buildAccount(r.tradeSeed, spot.markets, spot.startTime, spot.endTime);
  const book = new WalletBook("unified");
  for (const p of r.products) forEachExecution(r.historyOf(p)!, (_, e) => book.apply("unified", e));
  for (const w of legacy.withdrawals) book.apply("unified", bybitWithdrawalEffects(bybitWithdrawalRecord(r.tradeSeed, w)));
  for (const d of legacy.deposits) book.apply("unified", bybitDepositEffects(bybitDepositRecord(r.tradeSeed, d)));
  const step = pow10(BYBIT_SCALE - 8);
  const fundTime = Math.min(...r.products.map((p) => r.historyOf(p)!.startTime)) - DAY_MS;
  const added: Omit<Transfer, "ordinal">[] = [];
  const cushion = (a: string) => (100n * pow10(BYBIT_SCALE + 8)) / (assetUsdUnits(a, 8) || 1n);
  for (const [asset, need] of book.fundingNeeds(cushion)) {
    const amount = ((need + step - 1n) / step) * step; // deposits print 8 decimals
    const s = new HashStream(hashInts(r.tradeSeed, 0x5d, asset.length, asset.charCodeAt(0)));
    added.push({ asset, amount: amount / step, fee: 0n, time: fundTime + added.length * 1000, network: networkOf(asset), address: s.chars("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz", 34), txId: s.chars("0123456789abcdef", 64) });
    book.apply("unified", [[asset, amount]]);
  }
  const all = [...legacy.deposits.map((d) => ({ ...d })), ...added].map((d, k) => ({ d, k })).sort((a, b) => a.d.time - b.d.time || a.k - b.k);
  const synthetic = new Set<number>();
  const deposits = all.map(({ d }, ordinal) => {
    if (added.includes(d)) synthetic.add(ordinal);
    return { ...d, ordinal };
  });
  return { deposits, withdrawals: legacy.withdrawals, synthetic, unified: book.wallets().get("unified")! };
}

export function bybitBook(r: KeyRecord): BybitBook {
  return r.memo("bybit-book", () => buildBybitBook(r));
}

/** Unified wallet holdings at BYBIT_SCALE (legacy keys: the drawn balances, rescaled). */
export function unifiedHoldings(r: KeyRecord): Holding[] {
  if (!r.complete) return r.account().holdings.map((h) => ({ ...h, free: h.free * pow10(BYBIT_SCALE - 8), locked: h.locked * pow10(BYBIT_SCALE - 8) }));
  return [...bybitBook(r).unified].map(([asset, free]) => ({ asset, free, locked: 0n }));
}

export function bybitTransfers(r: KeyRecord): { deposits: Transfer[]; withdrawals: Transfer[] } {
  if (r.complete) {
    const b = bybitBook(r);
    return { deposits: b.deposits, withdrawals: b.withdrawals };
  }
  const facts = r.account();
  return { deposits: facts.deposits, withdrawals: facts.withdrawals };
}
