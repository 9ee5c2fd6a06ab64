// Complete Binance accounts: per-product histories are deterministic and independent, and the
// balances the wallets hold equal the sum of every record's effect (README, "Balances").

import { describe, expect, it } from "vitest";
import { binanceBook } from "@/lib/exchange-sim/binance/book";
import { binanceProductTrade } from "@/lib/exchange-sim/binance/product-records";
import { KeyStore } from "@/lib/exchange-sim/keys";
import { buildLedger } from "@/lib/exchange-sim/ledger";
import type { SimKeyOptions } from "@/lib/exchange-sim/types";

const end = new Date(Date.UTC(2026, 10, 1));
const start = new Date(end.getTime() - 120 * 86_400_000);

const complete: SimKeyOptions = {
  exchange: "binance",
  trades: {
    count: 400,
    markets: 5,
    seed: 42,
    startTime: start,
    endTime: end,
    products: {
      margin: { count: 150, markets: 3 },
      isolated_margin: { count: 80, markets: 2 },
      usdm: { count: 200, markets: 3 },
      coinm: { count: 120, markets: 2 },
      option: { count: 60, markets: 3 },
    },
  },
  ledger: { converts: 12, dust: 4, income: 30, delisted: 1 },
};

function firstTrades(store: KeyStore, o: SimKeyOptions, product: "spot" | "margin" | "usdm" | "coinm", n: number) {
  const r = store.create(o, end.getTime());
  const h = r.historyOf(product)!;
  return Array.from({ length: n }, (_, i) => binanceProductTrade(h, h.core(i)));
}

describe("complete Binance accounts", () => {
  it("are deterministic per product, and each product has its own history", () => {
    const a = firstTrades(new KeyStore(1), complete, "usdm", 20);
    const b = firstTrades(new KeyStore(2), complete, "usdm", 20); // another sim seed: same explicit trade seed
    expect(a).toEqual(b);
    const spot = firstTrades(new KeyStore(1), complete, "spot", 20);
    expect(spot.map((t) => t.timestamp)).not.toEqual(a.map((t) => t.timestamp));
    expect(a.every((t) => t.product === "usdm" && t.symbol.endsWith("USDT"))).toBe(true);
    const coin = firstTrades(new KeyStore(1), complete, "coinm", 5);
    expect(coin.every((t) => /USD_PERP$/.test(t.symbol) && t.feeCurrency === t.base)).toBe(true);
  });

  it("keep the spot history of a key without products unchanged when products are added", () => {
    const legacy: SimKeyOptions = { exchange: "binance", trades: { count: 400, markets: 5, seed: 42, startTime: start, endTime: end } };
    const a = firstTrades(new KeyStore(1), legacy, "spot", 30);
    const b = firstTrades(new KeyStore(1), complete, "spot", 30);
    expect(b).toEqual(a);
  });

  it("hold balances equal to the effects total, with no wallet negative", () => {
    const r = new KeyStore(7).create(complete, end.getTime());
    const ledger = buildLedger(r, binanceProductTrade, (s) => r.delisted.includes(s));
    expect(ledger.balancesFollowEffects).toBe(true);
    expect(Object.keys(ledger.balances).length).toBeGreaterThan(3);
    expect(ledger.balances).toEqual(ledger.effectsTotal);
    for (const w of Object.values(ledger.wallets)) for (const v of Object.values(w)) expect(v.startsWith("-")).toBe(false);
    expect(Object.keys(ledger.wallets)).toEqual(expect.arrayContaining(["spot", "margin", "usdm", "coinm", "option"]));
    expect(Object.keys(ledger.wallets).filter((w) => w.startsWith("isolated:"))).toHaveLength(2);
    // every record kind is there
    expect(ledger.conversions.filter((c) => c.kind === "convert")).toHaveLength(12);
    expect(ledger.conversions.filter((c) => c.kind === "dust")).toHaveLength(4);
    const types = new Set(ledger.income.map((e) => e.raw.incomeType));
    expect([...types].sort()).toEqual(["COMMISSION", "FUNDING_FEE", "REALIZED_PNL"]);
    expect(ledger.income.filter((e) => e.raw.incomeType === "FUNDING_FEE")).toHaveLength(60); // 30 per futures product
    expect(ledger.deposits.some((d) => d.synthetic)).toBe(true);
    expect(ledger.delisted).toContainEqual({ product: "spot", symbol: r.delisted[0], trades: expect.any(Number), delisted: true });
    expect(ledger.delisted[0]!.trades).toBeGreaterThan(0);
  });

  it("computes the effects total from the records, not from the wallets", () => {
    const r = new KeyStore(7).create(complete, end.getTime());
    const book = binanceBook(r);
    const spot = book.wallets.get("spot")!;
    const [asset, v] = [...spot].find(([, x]) => x > 0n)!;
    spot.set(asset, v + 1n);
    const ledger = buildLedger(r, binanceProductTrade, (s) => r.delisted.includes(s));
    expect(ledger.balances[asset]).not.toBe(ledger.effectsTotal[asset]);
  });

  it("canonical decimal strings everywhere: no exponent, no trailing zeros", () => {
    const r = new KeyStore(3).create(complete, end.getTime());
    const ledger = buildLedger(r, binanceProductTrade, (s) => r.delisted.includes(s));
    for (const v of [...Object.values(ledger.balances), ...ledger.income.flatMap((e) => Object.values(e.effects))]) {
      expect(v).toMatch(/^-?(0|[1-9]\d*)(\.\d*[1-9])?$/);
    }
  });
});
