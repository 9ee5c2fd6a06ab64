import { describe, expect, it } from "vitest";
import { JsonText } from "@/lib/backups/archive/types";
import { taxCsvHeader, taxCsvRow } from "@/lib/backups/tax/tax-csv";
import { conversionMovement, incomeMovement, tradeMovement, transferMovement } from "@/lib/backups/tax/tax-rows";
import { CONVERSIONS, INCOME, TRANSFERS, trade } from "./fixtures";

describe("tax tool movements", () => {
  it("a spot buy: the quote asset sent, the base received, the fee apart, whichever asset it was paid in", () => {
    // 0.00000001 BTC bought for 0.0009700012 USDT, 0.000001 BNB fee (fixtures)
    expect(tradeMovement(trade())).toMatchObject({
      sent: { amount: "0.0009700012", currency: "USDT" },
      received: { amount: "0.00000001", currency: "BTC" },
      fee: { amount: "0.000001", currency: "BNB" },
      label: null,
    });
    // fee in the base asset: what was received is the gross amount, the fee apart
    const sell = trade({ side: "sell", fee: "0.5", feeCurrency: "USDT", effects: new JsonText('{"BTC": "-0.1", "USDT": "6499.5"}') });
    expect(tradeMovement(sell)).toMatchObject({ sent: { amount: "0.1", currency: "BTC" }, received: { amount: "6500", currency: "USDT" }, fee: { amount: "0.5", currency: "USDT" } });
  });

  it("futures trades and trades without known effects move nothing a tax tool imports", () => {
    expect(tradeMovement(trade({ product: "usdm", effects: {} }))).toBeNull();
    expect(tradeMovement(trade({ effects: {} }))).toBeNull();
  });

  it("transfers, conversions and income", () => {
    expect(transferMovement(TRANSFERS[0]!)).toMatchObject({ received: { amount: "1000.50", currency: "USDT" }, sent: null, txHash: "=0xabc" });
    expect(transferMovement(TRANSFERS[1]!)).toMatchObject({ sent: { amount: "0.1", currency: "BTC" }, fee: { amount: "0.0005", currency: "BTC" } });
    expect(transferMovement({ ...TRANSFERS[1]!, effects: {} })).toBeNull(); // not completed
    expect(conversionMovement(CONVERSIONS[0]!)).toMatchObject({ sent: { amount: "20", currency: "USDT" }, received: { amount: "0.00588", currency: "ETH" } });
    expect(incomeMovement(INCOME[0]!)).toMatchObject({ sent: { amount: "0.0123", currency: "USDT" }, label: "funding_paid" });
    expect(incomeMovement(INCOME[1]!)).toMatchObject({ received: { amount: "0.001", currency: "BTC" }, label: "realized_gain" });
  });
});

describe("tax tool layouts", () => {
  const buy = tradeMovement(trade())!;
  const funding = incomeMovement(INCOME[0]!)!;

  it("Koinly universal: UTC dates, sent before received, its own labels", () => {
    expect(taxCsvHeader("koinly")).toBe("Date,Sent Amount,Sent Currency,Received Amount,Received Currency,Fee Amount,Fee Currency,Net Worth Amount,Net Worth Currency,Label,Description,TxHash\r\n");
    expect(taxCsvRow("koinly", buy)).toBe("2026-03-01 12:00:00 UTC,0.0009700012,USDT,0.00000001,BTC,0.000001,BNB,,,,binance buy BTC/USDT (trade 1),\r\n");
    expect(taxCsvRow("koinly", funding)).toContain(",margin fee,");
  });

  it("CoinTracker: US dates, received before sent, margin tags; a formula-like cell is guarded", () => {
    expect(taxCsvHeader("cointracker")).toBe("Date,Received Quantity,Received Currency,Sent Quantity,Sent Currency,Fee Amount,Fee Currency,Tag\r\n");
    expect(taxCsvRow("cointracker", buy)).toBe("03/01/2026 12:00:00,0.00000001,BTC,0.0009700012,USDT,0.000001,BNB,\r\n");
    expect(taxCsvRow("cointracker", funding)).toBe("04/01/2025 08:00:00,,,0.0123,USDT,,,margin fee\r\n");
    expect(taxCsvRow("koinly", transferMovement(TRANSFERS[0]!)!)).toMatch(/,'=0xabc\r\n$/);
  });
});
