import { describe, expect, it } from "vitest";
import { findMarket, listMarkets, marketId } from "@/lib/exchange-sim/catalogue";

describe("market catalogue", () => {
  it("lists a realistic spot universe per exchange", () => {
    expect(listMarkets("binance").length).toBeGreaterThanOrEqual(60);
    expect(listMarkets("okx").length).toBeGreaterThanOrEqual(30);
    expect(listMarkets("bybit").length).toBeGreaterThanOrEqual(30);
    const quotes = new Set(listMarkets("binance").map((m) => m.quote));
    expect([...quotes].sort()).toEqual(["BTC", "ETH", "FDUSD", "USDC", "USDT"]);
  });

  it("names markets each exchange's way, uniquely", () => {
    for (const ex of ["binance", "okx", "bybit"] as const) {
      const ids = listMarkets(ex).map((m) => marketId(ex, m));
      expect(new Set(ids).size).toBe(ids.length);
    }
    expect(findMarket("okx", "BTC-USDT")?.base).toBe("BTC");
    expect(findMarket("binance", "ETHBTC")?.quote).toBe("BTC");
  });

  it("keeps price and quantity decimals within 8 so price * qty is exact at 8 decimals", () => {
    for (const m of listMarkets("binance")) {
      expect(m.priceDecimals + m.qtyDecimals).toBeLessThanOrEqual(8);
      expect(m.refPriceUnits).toBeGreaterThan(0n);
      expect(m.minQtyUnits).toBeGreaterThan(0n);
    }
    const btc = findMarket("binance", "BTCUSDT")!;
    expect(btc).toMatchObject({ priceDecimals: 2, qtyDecimals: 5 });
  });
});
