// Complete OKX accounts: fills of every instType are deterministic, billIds order across
// instTypes by time, and trading + funding balances equal the sum of every record's effect.

import { describe, expect, it } from "vitest";
import { binanceProductTrade } from "@/lib/exchange-sim/binance/product-records";
import { KeyStore } from "@/lib/exchange-sim/keys";
import { buildLedger } from "@/lib/exchange-sim/ledger";
import { okxProductTrade } from "@/lib/exchange-sim/okx/product-records";
import type { SimKeyOptions } from "@/lib/exchange-sim/types";
import { walkTrades } from "@/lib/exchange-sim/walk";

const end = new Date(Date.UTC(2026, 10, 1));
const o: SimKeyOptions = {
  exchange: "okx",
  trades: {
    count: 300,
    markets: 3,
    seed: 9,
    startTime: new Date(end.getTime() - 60 * 86_400_000),
    endTime: end,
    products: { margin: { count: 100, markets: 2 }, usdm: { count: 200, markets: 2 }, coinm: { count: 80, markets: 1 }, option: { count: 50, markets: 2 } },
  },
};

describe("complete OKX accounts", () => {
  it("generate the same fills for the same options", () => {
    const a = new KeyStore(1).create(o, end.getTime());
    const b = new KeyStore(2).create(o, end.getTime());
    for (const p of a.products) {
      const ha = a.historyOf(p)!;
      const hb = b.historyOf(p)!;
      expect([0, 7, ha.count - 1].map((i) => okxProductTrade(ha, ha.core(i)).raw)).toEqual([0, 7, hb.count - 1].map((i) => okxProductTrade(hb, hb.core(i)).raw));
    }
  });

  it("number billIds across instTypes in time order, each unique", () => {
    const r = new KeyStore(1).create(o, end.getTime());
    const fills: { ts: number; billId: bigint }[] = [];
    for (const p of r.products) {
      const h = r.historyOf(p)!;
      walkTrades(h, 0, h.count, (t) => {
        const raw = okxProductTrade(h, t).raw;
        fills.push({ ts: Number(raw.ts), billId: BigInt(String(raw.billId)) });
      });
    }
    fills.sort((x, y) => x.ts - y.ts);
    for (let i = 1; i < fills.length; i++) expect(fills[i]!.billId > fills[i - 1]!.billId).toBe(true);
  });

  it("hold trading + funding balances equal to the effects total, none negative", () => {
    const r = new KeyStore(4).create(o, end.getTime());
    const ledger = buildLedger(r, okxProductTrade, () => false);
    expect(ledger.balancesFollowEffects).toBe(true);
    expect(Object.keys(ledger.balances).length).toBeGreaterThan(3);
    expect(ledger.balances).toEqual(ledger.effectsTotal);
    expect(Object.keys(ledger.wallets).sort()).toEqual(["funding", "trading"]);
    for (const w of Object.values(ledger.wallets)) for (const v of Object.values(w)) expect(v.startsWith("-")).toBe(false);
  });

  it("legacy keys (no products, no ledger) say their balances do not follow from effects", () => {
    const r = new KeyStore(4).create({ exchange: "okx", trades: { count: 50, markets: 2 } }, end.getTime());
    expect(buildLedger(r, okxProductTrade, () => false).balancesFollowEffects).toBe(false);
    const b = new KeyStore(4).create({ exchange: "binance", trades: { count: 50, markets: 2 } }, end.getTime());
    const ledger = buildLedger(b, binanceProductTrade, () => false);
    expect(ledger.balancesFollowEffects).toBe(false);
    expect(ledger.balances).not.toEqual(ledger.effectsTotal);
  });
});
