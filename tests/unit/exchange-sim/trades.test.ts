// The lazy trade generator: determinism, ordering, exactness, and that a million trades cost
// little memory and paging stays proportional to the page.

import { describe, expect, it } from "vitest";
import { listMarkets } from "@/lib/exchange-sim/catalogue";
import { toPlain } from "@/lib/exchange-sim/decimal";
import { DAY_MS, TradeHistory } from "@/lib/exchange-sim/trades";

const markets = listMarkets("binance").filter((_, i) => i % 9 === 0); // 9 markets of all kinds
const start = Date.UTC(2025, 0, 1);
const end = Date.UTC(2025, 6, 1);

function history(seed: number, count: number): TradeHistory {
  return new TradeHistory({ seed, count, markets, startTime: start, endTime: end });
}

describe("trade history generator", () => {
  it("is deterministic: same seed, same trades; another seed, other trades", () => {
    const a = history(1, 5000);
    const b = history(1, 5000);
    const c = history(2, 5000);
    const sample = [0, 1, 17, 999, 4999];
    expect(sample.map((i) => a.core(i))).toEqual(sample.map((i) => b.core(i)));
    expect(sample.map((i) => c.core(i).time)).not.toEqual(sample.map((i) => a.core(i).time));
  });

  it("times strictly increase inside the range and leave whole days empty", () => {
    const h = history(3, 20_000);
    let prev = -1;
    const days = new Set<number>();
    for (let i = 0; i < h.count; i++) {
      const t = h.time(i);
      expect(t).toBeGreaterThan(prev);
      prev = t;
      days.add(Math.floor((t - start) / DAY_MS));
    }
    expect(h.time(0)).toBeGreaterThanOrEqual(start);
    expect(prev).toBeLessThan(end);
    const total = Math.ceil((end - start) / DAY_MS);
    expect(days.size).toBeLessThan(total * 0.95); // inactive days exist
    expect(days.size).toBeGreaterThan(total * 0.6); // and the history spans months
  });

  it("uses every market, indexes positions consistently, and finds times by binary search", () => {
    const h = history(4, 3000);
    let total = 0;
    for (let m = 0; m < markets.length; m++) {
      const list = h.positions(m);
      expect(list.length).toBeGreaterThan(0);
      total += list.length;
      for (let p = 0; p < list.length; p += 37) {
        expect(h.marketOf(list[p]!)).toBe(m);
        expect(h.posOf(m, list[p]!)).toBe(p);
      }
    }
    expect(total).toBe(3000);
    const t = h.time(1234);
    expect(h.indexAtOrAfter(t)).toBe(1234);
    expect(h.indexAtOrAfter(t + 1)).toBe(1235);
  });

  it("groups fills into orders with one side, and computes exact amounts", () => {
    const h = history(5, 4000);
    let grouped = 0;
    for (let m = 0; m < markets.length; m++) {
      const list = h.positions(m);
      for (let p = 1; p < list.length; p++) {
        const a = h.core(list[p - 1]!, m, p - 1);
        const b = h.core(list[p]!, m, p);
        if (b.orderPos === a.orderPos) {
          grouped++;
          expect(b.side).toBe(a.side);
        } else {
          expect(b.orderPos).toBe(p);
        }
      }
    }
    expect(grouped).toBeGreaterThan(100);
    for (let i = 0; i < 200; i++) {
      const t = h.core(i);
      const spec = markets[t.market]!;
      expect(t.priceUnits).toBeGreaterThan(0n);
      expect(t.qtyUnits).toBeGreaterThanOrEqual(spec.minQtyUnits);
      expect(t.quoteUnits).toBe(t.priceUnits * t.qtyUnits);
      // prices stay near the reference (+-15 % plus noise)
      const ratio = Number(t.priceUnits) / Number(spec.refPriceUnits);
      expect(ratio).toBeGreaterThan(0.84);
      expect(ratio).toBeLessThan(1.16);
      expect(toPlain(t.quoteUnits, spec.priceDecimals + spec.qtyDecimals)).toMatch(/^\d+(\.\d{1,8})?$/);
    }
  });

  it("a million trades: cheap to create, one market index, pages in microseconds", () => {
    const heapBefore = process.memoryUsage().heapUsed;
    const t0 = performance.now();
    const h = new TradeHistory({ seed: 9, count: 1_000_000, markets, startTime: Date.UTC(2024, 0, 1), endTime: Date.UTC(2025, 11, 1) });
    const created = performance.now() - t0;
    expect(created).toBeLessThan(50);
    const t1 = performance.now();
    const last = h.positions(0);
    const indexed = performance.now() - t1;
    const t2 = performance.now();
    const page = [];
    const from = h.posAtOrAfter(0, h.time(900_000));
    for (let p = from; p < Math.min(from + 1000, last.length); p++) page.push(h.core(last[p]!, 0, p));
    const paged = performance.now() - t2;
    const grown = (process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024;
    expect(page.length).toBe(1000);
    expect(indexed).toBeLessThan(3000);
    expect(paged).toBeLessThan(200);
    expect(grown).toBeLessThan(64);
    console.log(`1M trades: create ${created.toFixed(1)} ms, index ${indexed.toFixed(0)} ms, page of 1000 ${paged.toFixed(1)} ms, heap +${grown.toFixed(1)} MiB`);
  });

  it("refuses impossible options", () => {
    expect(() => new TradeHistory({ seed: 1, count: 10, markets: [], startTime: start, endTime: end })).toThrow();
    expect(() => new TradeHistory({ seed: 1, count: 10, markets, startTime: end, endTime: start })).toThrow();
    expect(() => new TradeHistory({ seed: 1, count: 100_000, markets, startTime: start, endTime: start + 50 })).toThrow();
  });
});
