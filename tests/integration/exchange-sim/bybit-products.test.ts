// Bybit beyond spot, through the unmodified ccxt bybit class's implicit methods: execution/list
// for linear, inverse and option in 7-day windows with nextPageCursor, the 2-year horizon,
// deposit and withdrawal records in 30-day windows, and a unified wallet that equals the sum of
// every record's effect.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startExchangeSim, type ExchangeSim, type SimKey, type SimProduct } from "@/lib/exchange-sim";
import { client, rejection, type Client } from "./helpers";

const DAY = 86_400_000;
let sim: ExchangeSim;
let key: SimKey;
let ex: Client;
const now = Date.now();
const start = new Date(now - 60 * DAY);
const end = new Date(now - 60_000);

beforeAll(async () => {
  sim = await startExchangeSim({ seed: 17 });
  key = sim.createKey({
    exchange: "bybit",
    trades: {
      count: 600,
      markets: 3,
      startTime: start,
      endTime: end,
      products: { usdm: { count: 500, markets: 3 }, coinm: { count: 200, markets: 2 }, option: { count: 150, markets: 3 } },
    },
  });
  ex = client(sim.origin, key);
});
afterAll(async () => {
  await sim.close();
});

const CATEGORY: Record<string, string> = { spot: "spot", usdm: "linear", coinm: "inverse", option: "option" };

async function walkExecutions(c: Client, category: string, from: number, to: number): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for (let t = from; t < to; t += 7 * DAY) {
    const windowRows: Record<string, unknown>[] = [];
    let cursor = "";
    for (;;) {
      const r = await c.privateGetV5ExecutionList({ category, startTime: t, endTime: Math.min(t + 7 * DAY - 1, to), limit: 100, ...(cursor ? { cursor } : {}) });
      windowRows.push(...r.result.list);
      cursor = r.result.nextPageCursor;
      if (!cursor) break;
    }
    out.push(...windowRows.reverse()); // newest first within a window
  }
  return out;
}

describe("Bybit executions of every category", () => {
  it("pages linear, inverse and option executions in 7-day windows with nextPageCursor", async () => {
    for (const product of ["spot", "usdm", "coinm", "option"] as SimProduct[]) {
      const served = await walkExecutions(ex, CATEGORY[product]!, start.getTime() - DAY, now);
      const truth = sim.trades("bybit", key.apiKey, { product });
      expect(truth.length).toBeGreaterThan(0);
      expect(served).toEqual(truth.map((t) => t.raw));
    }
  });

  it("derivative executions pay execFee in the settle coin and leave feeCurrency empty", () => {
    const linear = sim.trades("bybit", key.apiKey, { product: "usdm", limit: 20 });
    expect(linear.every((t) => t.raw.feeCurrency === "" && t.feeCurrency === "USDT" && /USDT$/.test(t.symbol))).toBe(true);
    const inverse = sim.trades("bybit", key.apiKey, { product: "coinm", limit: 20 });
    expect(inverse.every((t) => /USD$/.test(t.symbol) && t.feeCurrency === t.base)).toBe(true);
    const option = sim.trades("bybit", key.apiKey, { product: "option", limit: 20 });
    expect(option.every((t) => /^(BTC|ETH)-\d{2}[A-Z]{3}\d{2}-\d+-[CP]$/.test(t.symbol) && t.feeCurrency === "USDC")).toBe(true);
  });

  it("refuses a missing category, a window over 7 days and limit 101 (10001)", async () => {
    expect((await rejection(ex.privateGetV5ExecutionList({}))).message).toContain("10001");
    expect((await rejection(ex.privateGetV5ExecutionList({ category: "linear", startTime: now - 8 * DAY, endTime: now }))).message).toContain("10001");
    expect((await rejection(ex.privateGetV5ExecutionList({ category: "option", limit: 101 }))).message).toContain("10001");
  });

  it("serves nothing older than 2 years", async () => {
    const old = sim.createKey({ exchange: "bybit", trades: { count: 10, markets: 1, endTime: end, products: { usdm: { count: 800, markets: 1, startTime: new Date(now - 800 * DAY) } } } });
    const truth = sim.trades("bybit", old.apiKey, { product: "usdm" });
    const served = await walkExecutions(client(sim.origin, old), "linear", now - 800 * DAY, now);
    expect(truth.some((t) => t.timestamp < now - 731 * DAY)).toBe(true);
    expect(served.length).toBeGreaterThan(0);
    expect(served).toEqual(truth.filter((t) => t.timestamp >= now - 730 * DAY + 60_000).map((t) => t.raw));
  });

  it("instruments-info lists the traded linear, inverse and option symbols with their settle coin", async () => {
    for (const [product, category, settle] of [
      ["usdm", "linear", "USDT"],
      ["coinm", "inverse", undefined],
      ["option", "option", "USDC"],
    ] as const) {
      const r = await ex.publicGetV5MarketInstrumentsInfo({ category });
      const byId = new Map((r.result.list as { symbol: string; settleCoin: string; baseCoin: string }[]).map((i) => [i.symbol, i]));
      for (const t of sim.trades("bybit", key.apiKey, { product })) {
        expect(byId.get(t.symbol)?.settleCoin).toBe(settle ?? t.base);
      }
    }
  });
});

describe("Bybit markets through ccxt", () => {
  it("loadMarkets parses the linear, inverse and option instruments", async () => {
    const c = client(sim.origin, key, { has: { fetchCurrencies: false } });
    await c.loadMarkets();
    expect(c.market("BTC/USDT:USDT")).toMatchObject({ id: "BTCUSDT", swap: true, linear: true });
    expect(c.market("BTC/USD:BTC")).toMatchObject({ id: "BTCUSD", swap: true, inverse: true });
    expect(Object.values(c.markets as Record<string, { option: boolean }>).filter((m) => m.option).length).toBe(12);
  });
});

describe("Bybit deposits, withdrawals and the unified wallet", () => {
  it("pages deposit and withdrawal records in 30-day windows with nextPageCursor; 31 days is 10001", async () => {
    const ledger = sim.ledger("bybit", key.apiKey);
    for (const [call, truth] of [
      [(p: Record<string, unknown>) => ex.privateGetV5AssetDepositQueryRecord(p), ledger.deposits],
      [(p: Record<string, unknown>) => ex.privateGetV5AssetWithdrawQueryRecord(p), ledger.withdrawals],
    ] as const) {
      const served: Record<string, unknown>[] = [];
      for (let t = now; t > start.getTime() - 40 * DAY; t -= 30 * DAY) {
        let cursor = "";
        for (;;) {
          const r = await call({ startTime: t - 30 * DAY + 1, endTime: t, limit: 2, ...(cursor ? { cursor } : {}) });
          served.push(...r.result.rows);
          cursor = r.result.nextPageCursor;
          if (!cursor) break;
        }
      }
      expect(served).toEqual([...truth].sort((a, b) => b.time - a.time).map((e) => e.raw));
    }
    expect(ledger.deposits.some((d) => d.synthetic)).toBe(true);
    expect((await rejection(ex.privateGetV5AssetDepositQueryRecord({ startTime: now - 31 * DAY, endTime: now }))).message).toContain("10001");
  });

  it("wallet-balance (UNIFIED) equals the sum of every record's effect", async () => {
    const units = new Map<string, bigint>();
    const add = (asset: string, v: string, sign = 1n) => {
      const neg = v.startsWith("-");
      const [i, f = ""] = v.replace("-", "").split(".");
      units.set(asset, (units.get(asset) ?? 0n) + sign * (neg ? -1n : 1n) * BigInt(i + f.padEnd(18, "0")));
    };
    const fmt = () =>
      Object.fromEntries(
        [...units]
          .filter(([, u]) => u !== 0n)
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([a, u]) => {
            const s = (u < 0n ? -u : u).toString().padStart(19, "0");
            return [a, `${u < 0n ? "-" : ""}${s.slice(0, -18)}.${s.slice(-18)}`.replace(/\.?0+$/, "")];
          }),
      );
    const wallet = await ex.privateGetV5AccountWalletBalance({ accountType: "UNIFIED" });
    for (const c of wallet.result.list[0].coin as { coin: string; walletBalance: string }[]) add(c.coin, c.walletBalance);
    const served = fmt();

    // the README's Bybit rule, applied here to the records as served
    units.clear();
    for (const product of sim.products("bybit", key.apiKey)) {
      for (const t of sim.trades("bybit", key.apiKey, { product })) {
        const r = t.raw as Record<string, string>;
        if (product === "spot") {
          const buy = r.side === "Buy" ? 1n : -1n;
          add(t.base, r.execQty!, buy);
          add(t.quote, r.execValue!, -buy);
          add(r.feeCurrency!, r.execFee!, -1n);
        } else add(t.feeCurrency, r.execFee!, -1n); // the settle coin
      }
    }
    const ledger = sim.ledger("bybit", key.apiKey);
    for (const e of ledger.deposits) add(String(e.raw.coin), String(e.raw.amount));
    for (const e of ledger.withdrawals) {
      add(String(e.raw.coin), String(e.raw.amount), -1n);
      add(String(e.raw.coin), String(e.raw.withdrawFee), -1n);
    }
    expect(served).toEqual(fmt());
    expect(served).toEqual(ledger.balances);
    expect(ledger.effectsTotal).toEqual(ledger.balances);
  });
});
