// A complete Binance account (a key created with trades.products or ledger): every non-trade
// record (converts, dust, futures income, deposits, withdrawals) and the wallets that follow
// from all records by the rule in effects.ts. Built once per key, on first use.
//
// Wallets are split as wallet-book.ts describes, with spot as the funding wallet.

import { AMOUNT_SCALE, buildAccount, networkOf, type AccountFacts, type Holding, type Transfer } from "../account";
import { assetUsdUnits } from "../catalogue";
import { pow10, toFixed, toPlain } from "../decimal";
import { HashStream, hashInts } from "../hash";
import type { KeyRecord } from "../keys";
import { DAY_MS, type TradeHistory } from "../trades";
import { walkTrades } from "../walk";
import { WalletBook } from "../wallet-book";
import { convertEffects, dustEffects, incomeEffects, SCALE, tradeEffects } from "./effects";
import { binanceProductTrade, productSymbol } from "./product-records";

export type FuturesProduct = "usdm" | "coinm";

export interface BookEntry {
  time: number;
  wallet: string;
  raw: Record<string, unknown>;
}

export interface BinanceBook {
  /** Ascending by createTime. */
  converts: BookEntry[];
  /** Ascending by operateTime; raw is one dribblet with its details. */
  dust: BookEntry[];
  /** Ascending by time (a trade's COMMISSION row comes before its REALIZED_PNL row). */
  income: Record<FuturesProduct, BookEntry[]>;
  deposits: Transfer[];
  withdrawals: Transfer[];
  /** Ordinals of the deposits the simulator added to fund the account. */
  synthetic: Set<number>;
  /** wallet -> asset -> units at SCALE: spot, margin, isolated:<symbol>, usdm, coinm. */
  wallets: Map<string, Map<string, bigint>>;
  hasFuturesAccount: boolean;
  hasMarginAccount: boolean;
  facts: AccountFacts;
}

const STABLE = new Set(["USDT", "USDC", "FDUSD"]);

/** Amount worth about `usd` dollars of `asset`, at SCALE. */
function worth(asset: string, usdCents: number): bigint {
  const price = assetUsdUnits(asset, SCALE);
  return (BigInt(usdCents) * pow10(2 * SCALE - 2)) / (price === 0n ? 1n : price);
}

/** Keep `decimals` of an amount at SCALE (converts show short amounts). */
function truncate(v: bigint, decimals: number): bigint {
  const step = pow10(SCALE - decimals);
  return (v / step) * step;
}

function spread(count: number, start: number, end: number, k: number, jitter: number): number {
  const span = Math.max(1, end - start);
  return start + Math.floor(((k + 0.5) * span) / Math.max(1, count)) + (jitter % Math.max(1, Math.floor(span / Math.max(1, count) / 2)));
}

function walletOf(h: TradeHistory, market: number): string {
  if (h.product === "margin") return "margin";
  if (h.product === "isolated_margin") return `isolated:${productSymbol(h, market)}`;
  return h.product;
}

function buildConverts(seed: number, count: number, assets: string[], start: number, end: number): BookEntry[] {
  const s = new HashStream(hashInts(seed, 0xc0));
  const out: BookEntry[] = [];
  const pool = assets.length >= 2 ? assets : ["USDT", "BNB"];
  for (let k = 0; k < count; k++) {
    const from = pool[s.below(pool.length)]!;
    let to = pool[s.below(pool.length)]!;
    if (to === from) to = pool[(pool.indexOf(from) + 1) % pool.length]!;
    const fromAmount = truncate(worth(from, 2000 + s.below(200_000)), STABLE.has(from) ? 2 : 6) || 1n;
    const pf = assetUsdUnits(from, SCALE);
    const pt = assetUsdUnits(to, SCALE);
    const ratio = (pf * pow10(SCALE)) / pt; // to per from, at SCALE
    const toAmount = (fromAmount * ratio) / pow10(SCALE);
    const time = spread(count, start, end, k, s.next());
    out.push({
      time,
      wallet: "spot",
      raw: {
        quoteId: s.chars("0123456789abcdef", 32),
        // Binance's orderIds exceed 2^53; these stay below so JSON numbers keep them exact.
        orderId: 1_000_000_000_000_000 + hashInts(seed, k, 0xc1) * 1000 + k,
        orderStatus: "SUCCESS",
        fromAsset: from,
        fromAmount: toPlain(fromAmount, SCALE),
        toAsset: to,
        toAmount: toPlain(toAmount, SCALE),
        ratio: toPlain(ratio, SCALE),
        inverseRatio: toPlain((pt * pow10(SCALE)) / pf, SCALE),
        createTime: time,
      },
    });
  }
  return out.sort((a, b) => a.time - b.time);
}

function buildDust(seed: number, count: number, assets: string[], start: number, end: number): BookEntry[] {
  const s = new HashStream(hashInts(seed, 0xd5));
  const pool = assets.filter((a) => a !== "BNB");
  const bnb = assetUsdUnits("BNB", SCALE);
  const out: BookEntry[] = [];
  if (pool.length === 0) return out;
  for (let k = 0; k < count; k++) {
    const time = spread(count, start, end, k, s.next());
    const transId = 45_178_372_831 + k * 1_009 + s.below(1000);
    const n = 1 + s.below(Math.min(3, pool.length));
    const first = s.below(pool.length);
    const details = [];
    let total = 0n;
    let charge = 0n;
    for (let d = 0; d < n; d++) {
      const asset = pool[(first + d) % pool.length]!;
      const amount = worth(asset, 5 + s.below(95)) || 1n; // 5 cents to a dollar: dust
      const value = (amount * assetUsdUnits(asset, SCALE)) / bnb; // in BNB at SCALE
      const fee = (value * 2n) / 100n; // Binance keeps 2 %
      details.push({
        transId,
        serviceChargeAmount: toPlain(fee, SCALE),
        amount: toPlain(amount, SCALE),
        operateTime: time,
        transferedAmount: toPlain(value - fee, SCALE),
        fromAsset: asset,
      });
      total += value - fee;
      charge += fee;
    }
    out.push({
      time,
      wallet: "spot",
      raw: {
        operateTime: time,
        totalTransferedAmount: toPlain(total, SCALE),
        totalServiceChargeAmount: toPlain(charge, SCALE),
        transId,
        userAssetDribbletDetails: details,
      },
    });
  }
  return out.sort((a, b) => a.time - b.time);
}

function buildIncome(h: TradeHistory, funding: number): BookEntry[] {
  const rows: BookEntry[] = [];
  let tranId = 9_689_322_392 + (hashInts(h.seed, 0x1c) % 1_000_000);
  const row = (time: number, symbol: string, incomeType: string, income: string, asset: string, tradeId: string): BookEntry => ({
    time,
    wallet: h.product,
    raw: { symbol, incomeType, income, asset, info: incomeType, time, tranId: (tranId += 7), tradeId },
  });
  walkTrades(h, 0, h.count, (t) => {
    const trade = binanceProductTrade(h, t);
    const r = trade.raw;
    const asset = String(r.commissionAsset);
    rows.push(row(t.time, trade.symbol, "COMMISSION", `-${String(r.commission)}`, asset, trade.id));
    if (!/^-?0\.0+$/.test(String(r.realizedPnl))) rows.push(row(t.time, trade.symbol, "REALIZED_PNL", String(r.realizedPnl), asset, trade.id));
  });
  // Funding is settled every 8 hours on an open position: one row per slot on a traded symbol.
  const slot = 8 * 3_600_000;
  const first = Math.ceil(h.startTime / slot);
  const slots = Math.max(1, Math.floor(h.endTime / slot) - first);
  for (let k = 0; k < funding && h.markets.length > 0; k++) {
    const time = (first + Math.floor(((k + 0.5) * slots) / funding)) * slot;
    const m = k % h.markets.length;
    const spec = h.markets[m]!;
    const v = BigInt(1 + (hashInts(h.seed, k, 0xf0) % 5000)) * (hashInts(h.seed, k, 0xf1) % 3 === 0 ? 1n : -1n);
    // USDⓈ-M in USDT with 3 decimals; COIN-M in the coin, tiny.
    const units = h.product === "usdm" ? v * pow10(SCALE - 3) : v;
    const asset = h.product === "usdm" ? spec.quote : spec.base;
    rows.push(row(time, productSymbol(h, m), "FUNDING_FEE", toFixed(units, SCALE, SCALE), asset, ""));
  }
  // Stable: rows of one trade keep their order; tranIds were handed out in generation order.
  return rows.sort((a, b) => a.time - b.time);
}

function synthDeposit(seed: number, asset: string, amount: bigint, time: number): Omit<Transfer, "ordinal"> {
  const s = new HashStream(hashInts(seed, 0x5d, asset.length, asset.charCodeAt(0)));
  const evm = networkOf(asset) === "ETH" || networkOf(asset) === "BSC";
  return {
    asset,
    amount,
    fee: 0n,
    time,
    network: networkOf(asset),
    address: evm ? `0x${s.chars("0123456789abcdef", 40)}` : s.chars("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz", 34),
    txId: `${evm ? "0x" : ""}${s.chars("0123456789abcdef", 64)}`,
  };
}

export function buildBinanceBook(r: KeyRecord): BinanceBook {
  const spot = r.history();
  const histories = r.products.map((p) => r.historyOf(p)!).filter(Boolean);
  const start = Math.min(...histories.map((h) => h.startTime));
  const end = spot.endTime;
  const legacy = buildAccount(r.tradeSeed, spot.markets, spot.startTime, end);
  const assets = [...new Set(spot.markets.flatMap((m) => [m.base, m.quote]))].sort();
  const converts = buildConverts(r.tradeSeed, r.ledgerOptions.converts, assets, spot.startTime, end);
  const dust = buildDust(r.tradeSeed, r.ledgerOptions.dust, assets, spot.startTime, end);
  const income = {
    usdm: r.historyOf("usdm") ? buildIncome(r.historyOf("usdm")!, r.ledgerOptions.income) : [],
    coinm: r.historyOf("coinm") ? buildIncome(r.historyOf("coinm")!, r.ledgerOptions.income) : [],
  };

  const book = new WalletBook("spot");
  for (const p of r.products) {
    const h = r.historyOf(p)!;
    if (p === "usdm" || p === "coinm") {
      book.touch(p); // a futures account exists even before its first income row
      continue;
    }
    walkTrades(h, 0, h.count, (t) => {
      const spec = h.markets[t.market]!;
      book.apply(walletOf(h, t.market), tradeEffects(p, binanceProductTrade(h, t).raw, spec.base, spec.quote));
    });
  }
  for (const e of converts) book.apply("spot", convertEffects(e.raw));
  for (const e of dust) book.apply("spot", dustEffects(e.raw));
  for (const p of ["usdm", "coinm"] as const) for (const e of income[p]) book.apply(p, incomeEffects(e.raw));
  for (const w of legacy.withdrawals) book.apply("spot", [[w.asset, -(w.amount + w.fee)]]);
  for (const d of legacy.deposits) book.apply("spot", [[d.asset, d.amount]]);

  // Fund every outflow up front (plus a cushion worth ~100 USD), as deposits into spot.
  const fundTime = start - DAY_MS;
  const deposits: Omit<Transfer, "ordinal">[] = legacy.deposits.map((d) => ({ ...d }));
  const added = new Set<Omit<Transfer, "ordinal">>();
  for (const [asset, amount] of book.fundingNeeds((a) => worth(a, 10_000))) {
    // a second apart, as separate deposits are
    const d = synthDeposit(r.tradeSeed, asset, amount, fundTime + added.size * 1000);
    added.add(d);
    deposits.push(d);
    book.apply("spot", [[asset, amount]]);
  }
  const sorted = deposits.map((d, k) => ({ d, k })).sort((a, b) => a.d.time - b.d.time || a.k - b.k);
  const synthetic = new Set<number>();
  const finalDeposits = sorted.map(({ d }, ordinal) => {
    if (added.has(d)) synthetic.add(ordinal);
    return { ...d, ordinal };
  });
  const wallets = book.wallets();
  const spotWallet = wallets.get("spot")!;

  const holdings: Holding[] = [...spotWallet].filter(([, v]) => v !== 0n).map(([asset, free]) => ({ asset, free: free * pow10(AMOUNT_SCALE - SCALE), locked: 0n }));
  const visible = new Set<string>([...holdings.map((x) => x.asset), ...finalDeposits.map((d) => d.asset), ...legacy.withdrawals.map((w) => w.asset)]);
  const facts: AccountFacts = {
    holdings,
    deposits: finalDeposits,
    withdrawals: legacy.withdrawals,
    hiddenMarkets: spot.markets.map((m, k) => (visible.has(m.base) ? -1 : k)).filter((k) => k >= 0),
    visibleAssets: [...visible].sort(),
  };
  return {
    converts,
    dust,
    income,
    deposits: finalDeposits,
    withdrawals: legacy.withdrawals,
    synthetic,
    wallets,
    hasFuturesAccount: !!(r.historyOf("usdm") || r.historyOf("coinm")),
    hasMarginAccount: !!(r.historyOf("margin") || r.historyOf("isolated_margin")),
    facts,
  };
}

export function binanceBook(r: KeyRecord): BinanceBook {
  return r.memo("binance-book", () => buildBinanceBook(r));
}
