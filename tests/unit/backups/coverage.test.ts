import { describe, expect, it } from "vitest";
import { assembleCoverage, type CoverageInput } from "@/lib/backups/coverage/build-coverage";
import { coverageReportSchema, namedGaps } from "@/lib/backups/coverage/coverage-report";
import { effectsOf, spotTradeEffects, sumDecimals } from "@/lib/exchanges/effects";

const input = (over: Partial<CoverageInput> = {}): CoverageInput => ({
  bindingId: "b1",
  exchange: "binance",
  exportJobId: "j1",
  fullScan: true,
  capabilities: { products: ["spot", "usdm"], records: ["transfers"], fullScan: true, pacing: "weight" },
  notes: [],
  balances: { BTC: "1.5", USDT: "100.00000000" },
  now: new Date("2026-12-01T00:00:00.000Z"),
  ...over,
});

const ranges = [
  { part: "spot", market: "BTCUSDT", rows: 3n, from: new Date("2026-01-01T00:00:00Z"), to: new Date("2026-02-01T00:00:00Z") },
  { part: "spot", market: "ETHUSDT", rows: 2n, from: new Date("2025-12-01T00:00:00Z"), to: new Date("2026-01-15T00:00:00Z") },
  { part: "transfers", market: null, rows: 4n, from: new Date("2025-11-01T00:00:00Z"), to: new Date("2026-03-01T00:00:00Z") },
  { part: "conversions", market: null, rows: 0n, from: null, to: null },
];

describe("coverage report", () => {
  it("complete when nothing is missing and every asset adds up", () => {
    const report = assembleCoverage(input(), ranges, [
      { asset: "BTC", total: "1.50000000" },
      { asset: "USDT", total: "100" },
    ]);
    expect(coverageReportSchema.parse(report)).toEqual(report);
    expect(report.complete).toBe(true);
    expect(report.parts).toEqual([
      {
        part: "spot",
        rows: 5,
        from: "2025-12-01T00:00:00.000Z",
        to: "2026-02-01T00:00:00.000Z",
        markets: [
          { market: "BTCUSDT", rows: 3, from: "2026-01-01T00:00:00.000Z", to: "2026-02-01T00:00:00.000Z" },
          { market: "ETHUSDT", rows: 2, from: "2025-12-01T00:00:00.000Z", to: "2026-01-15T00:00:00.000Z" },
        ],
      },
      // a product the adapter reads but the account never traded: checked, zero rows
      { part: "usdm", rows: 0, from: null, to: null, markets: [] },
      { part: "transfers", rows: 4, from: "2025-11-01T00:00:00.000Z", to: "2026-03-01T00:00:00.000Z" },
    ]);
    expect(report.reconciliation.assets).toEqual([
      { asset: "BTC", balance: "1.5", recorded: "1.5", difference: "0" },
      { asset: "USDT", balance: "100", recorded: "100", difference: "0" },
    ]);
    expect(report.summary).toMatch(/^Complete as far as Binance allows: 9 records/);
  });

  it("a missing movement shows as a difference, and the backup is not complete", () => {
    const report = assembleCoverage(input(), ranges, [
      { asset: "BTC", total: "1.4" },
      { asset: "USDT", total: "100" },
    ]);
    expect(report.complete).toBe(false);
    expect(report.reconciliation.assets[0]).toEqual({ asset: "BTC", balance: "1.5", recorded: "1.4", difference: "0.1" });
    expect(namedGaps(report)).toEqual([expect.stringContaining("BTC: the balance (1.5) and the recorded movements (1.4) differ by 0.1")]);
  });

  it("an asset recorded but no longer held must add up to zero", () => {
    const report = assembleCoverage(input({ balances: {} }), ranges, [{ asset: "ETH", total: "0E-8" }]);
    expect(report.reconciliation.assets).toEqual([{ asset: "ETH", balance: "0", recorded: "0", difference: "0" }]);
    expect(report.complete).toBe(true);
  });

  it("lists the exchange's limits without calling the backup incomplete; gaps make it incomplete", () => {
    const retention = { kind: "retention" as const, part: "usdm" as const, availableFrom: Date.parse("2026-09-01T00:00:00Z"), message: "older than 3 months" };
    const delisted = { kind: "delisted" as const, part: "spot" as const, market: "LUNAUSDT", message: "delisted" };
    const unavailable = { kind: "unavailable" as const, part: "usdm" as const, message: "no futures account" };
    const limited = assembleCoverage(input({ notes: [retention, delisted, unavailable, retention] }), ranges, [
      { asset: "BTC", total: "1.5" },
      { asset: "USDT", total: "100" },
    ]);
    expect(limited.complete).toBe(true);
    expect(limited.limits).toEqual([{ part: "usdm", availableFrom: "2026-09-01T00:00:00.000Z", message: "older than 3 months" }]);
    expect(limited.delisted).toHaveLength(1);
    expect(limited.unavailable).toHaveLength(1);

    const notChecked = { kind: "not_checked" as const, part: "spot" as const, markets: 40, message: "40 markets not asked about" };
    const gapped = assembleCoverage(input({ notes: [notChecked], fullScan: false }), ranges, [
      { asset: "BTC", total: "1.5" },
      { asset: "USDT", total: "100" },
    ]);
    expect(gapped.complete).toBe(false);
    expect(gapped.gaps).toEqual([{ kind: "not_checked", part: "spot", market: null, markets: 40, from: null, to: null, message: "40 markets not asked about" }]);
    expect(gapped.summary).toMatch(/^Not complete: .*1 gaps/);
  });

  it("claims nothing about balances it did not read", () => {
    const report = assembleCoverage(input({ balances: null }), ranges, []);
    expect(report.reconciliation).toMatchObject({ checked: false, assets: [] });
    expect(report.complete).toBe(true);
  });
});

describe("balance effects", () => {
  it("a buy receives the base and pays the quote and the fee, exactly", () => {
    expect(spotTradeEffects({ base: "BTC", quote: "USDT", side: "buy", amount: "0.1", cost: "6500.10", fee: { cost: "0.0001", currency: "BTC" } })).toEqual({
      BTC: "0.0999",
      USDT: "-6500.1",
    });
  });

  it("a sell paying its fee in the quote asset; a rebate arrives", () => {
    expect(spotTradeEffects({ base: "ETH", quote: "USDT", side: "sell", amount: "2", cost: "7000", fee: { cost: "7", currency: "USDT" } })).toEqual({ ETH: "-2", USDT: "6993" });
    expect(spotTradeEffects({ base: "ETH", quote: "USDT", side: "sell", amount: "2", cost: "7000", fee: { cost: "-0.5", currency: "BNB" } })).toEqual({ ETH: "-2", USDT: "7000", BNB: "0.5" });
  });

  it("movements that cancel out leave no entry; unknown assets are skipped", () => {
    expect(effectsOf(["BTC", "0.1"], ["BTC", "-0.1"], [null, "5"], ["ETH", null])).toEqual({});
    expect(sumDecimals(["0.1", "0.2", "-0.3", "1e-8"])).toBe("0.00000001");
  });
});
