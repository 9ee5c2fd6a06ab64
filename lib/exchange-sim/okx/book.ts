// A complete OKX account (a key created with trades.products or ledger): fills of every
// instType in the trading account, deposits and withdrawals in the funding account, and the
// balances of both following from those records (wallet-book.ts, okx/effects.ts).

import { buildAccount, networkOf, type Holding, type Transfer } from "../account";
import { assetUsdUnits } from "../catalogue";
import { pow10 } from "../decimal";
import { HashStream, hashInts } from "../hash";
import type { KeyRecord } from "../keys";
import { DAY_MS } from "../trades";
import { walkTrades } from "../walk";
import { WalletBook } from "../wallet-book";
import { OKX_SCALE, okxDepositEffects, okxFillEffects, okxWithdrawalEffects } from "./effects";
import { okxProductTrade } from "./product-records";
import { okxDepositRecord, okxWithdrawalRecord } from "./transfers";

export interface OkxBook {
  deposits: Transfer[];
  withdrawals: Transfer[];
  synthetic: Set<number>;
  /** trading and funding, units at OKX_SCALE. */
  wallets: Map<string, Map<string, bigint>>;
}

function worth(asset: string, usd: number): bigint {
  const price = assetUsdUnits(asset, 8);
  return (BigInt(usd) * pow10(OKX_SCALE + 8)) / (price === 0n ? 1n : price);
}

export function buildOkxBook(r: KeyRecord): OkxBook {
  const spot = r.history();
  const histories = r.products.map((p) => r.historyOf(p)!);
  const legacy = buildAccount(r.tradeSeed, spot.markets, spot.startTime, spot.endTime);
  const book = new WalletBook("funding");
  book.touch("trading");
  for (const h of histories) walkTrades(h, 0, h.count, (t) => book.apply("trading", okxFillEffects(okxProductTrade(h, t).raw)));
  for (const w of legacy.withdrawals) book.apply("funding", okxWithdrawalEffects(okxWithdrawalRecord(r.tradeSeed, w)));
  for (const d of legacy.deposits) book.apply("funding", okxDepositEffects(okxDepositRecord(r.tradeSeed, d)));
  // Deposits are printed with 8 decimals: round the need up to them.
  const step = pow10(OKX_SCALE - 8);
  const fundTime = Math.min(...histories.map((h) => h.startTime)) - DAY_MS;
  const added: Omit<Transfer, "ordinal">[] = [];
  for (const [asset, need] of book.fundingNeeds((a) => worth(a, 100))) {
    const amount = ((need + step - 1n) / step) * step;
    const s = new HashStream(hashInts(r.tradeSeed, 0x5d, asset.length, asset.charCodeAt(0)));
    // a second apart: OKX pages deposits by ts, so no two may share one
    const d = { asset, amount: amount / step, fee: 0n, time: fundTime + added.length * 1000, network: networkOf(asset), address: s.chars("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz", 34), txId: s.chars("0123456789abcdef", 64) };
    added.push(d);
    book.apply("funding", [[asset, amount]]);
  }
  const all = [...legacy.deposits.map((d) => ({ ...d })), ...added].map((d, k) => ({ d, k })).sort((a, b) => a.d.time - b.d.time || a.k - b.k);
  const synthetic = new Set<number>();
  const deposits = all.map(({ d }, ordinal) => {
    if (added.includes(d)) synthetic.add(ordinal);
    return { ...d, ordinal };
  });
  return { deposits, withdrawals: legacy.withdrawals, synthetic, wallets: book.wallets() };
}

export function okxBook(r: KeyRecord): OkxBook {
  return r.memo("okx-book", () => buildOkxBook(r));
}

/** The trading account's holdings at OKX_SCALE (legacy keys: the drawn balances, rescaled). */
export function tradingHoldings(r: KeyRecord): Holding[] {
  if (!r.complete) return r.account().holdings.map((h) => ({ ...h, free: h.free * pow10(OKX_SCALE - 8), locked: h.locked * pow10(OKX_SCALE - 8) }));
  return [...(okxBook(r).wallets.get("trading") ?? new Map<string, bigint>())].map(([asset, free]) => ({ asset, free, locked: 0n }));
}

export function fundingHoldings(r: KeyRecord): Holding[] {
  if (!r.complete) return [];
  return [...(okxBook(r).wallets.get("funding") ?? new Map<string, bigint>())].map(([asset, free]) => ({ asset, free, locked: 0n }));
}

export function okxTransfers(r: KeyRecord): { deposits: Transfer[]; withdrawals: Transfer[] } {
  if (r.complete) {
    const b = okxBook(r);
    return { deposits: b.deposits, withdrawals: b.withdrawals };
  }
  const facts = r.account();
  return { deposits: facts.deposits, withdrawals: facts.withdrawals };
}
