// Complete Bybit accounts: executions of every category are deterministic, ids are unique
// across categories, and the unified wallet equals the sum of every record's effect.

import { describe, expect, it } from "vitest";
import { bybitProductTrade } from "@/lib/exchange-sim/bybit/product-records";
import { KeyStore } from "@/lib/exchange-sim/keys";
import { buildLedger } from "@/lib/exchange-sim/ledger";
import type { SimKeyOptions } from "@/lib/exchange-sim/types";
import { walkTrades } from "@/lib/exchange-sim/walk";

const end = new Date(Date.UTC(2026, 10, 1));
const o: SimKeyOptions = {
  exchange: "bybit",
  trades: {
    count: 200,
    markets: 3,
    seed: 3,
    startTime: new Date(end.getTime() - 50 * 86_400_000),
    endTime: end,
    products: { usdm: { count: 150, markets: 2 }, coinm: { count: 60, markets: 1 }, option: { count: 40, markets: 2 } },
  },
};

describe("complete Bybit accounts", () => {
  it("generate the same executions for the same options, with ids unique across categories", () => {
    const a = new KeyStore(1).create(o, end.getTime());
    const b = new KeyStore(5).create(o, end.getTime());
    const ids = new Set<string>();
    for (const p of a.products) {
      const ha = a.historyOf(p)!;
      const hb = b.historyOf(p)!;
      expect(bybitProductTrade(ha, ha.core(3)).raw).toEqual(bybitProductTrade(hb, hb.core(3)).raw);
      walkTrades(ha, 0, ha.count, (t) => ids.add(String(bybitProductTrade(ha, t).raw.execId)));
    }
    expect(ids.size).toBe(200 + 150 + 60 + 40);
  });

  it("hold a unified wallet equal to the effects total, none negative", () => {
    const r = new KeyStore(2).create(o, end.getTime());
    const ledger = buildLedger(r, bybitProductTrade, () => false);
    expect(ledger.balancesFollowEffects).toBe(true);
    expect(ledger.balances).toEqual(ledger.effectsTotal);
    expect(Object.keys(ledger.balances)).toEqual(expect.arrayContaining(["USDT", "USDC"]));
    for (const v of Object.values(ledger.wallets.unified!)) expect(v.startsWith("-")).toBe(false);
  });
});
