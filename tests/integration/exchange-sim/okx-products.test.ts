// OKX beyond SPOT, through the unmodified ccxt okx class's implicit methods: fills-history for
// every instType, fills across instTypes, the fills archive cycle (apply, poll, download the
// ZIP), deposit and withdrawal history, and balances that equal the sum of every record's effect.

import { strFromU8, unzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startExchangeSim, type ExchangeSim, type SimKey, type SimLedgerEntry, type SimTrade } from "@/lib/exchange-sim";
import { client, rejection, type Client } from "./helpers";

const DAY = 86_400_000;
let sim: ExchangeSim;
let key: SimKey;
let ex: Client;
const now = Date.now();
const end = new Date(now - 60_000);

beforeAll(async () => {
  sim = await startExchangeSim({ seed: 13 });
  key = sim.createKey({
    exchange: "okx",
    trades: {
      count: 10,
      markets: 1,
      endTime: end,
      products: {
        // 400 days of spot: the older fills are only in the archive
        spot: { count: 2500, markets: 4, startTime: new Date(now - 400 * DAY) },
        margin: { count: 300, markets: 2 },
        usdm: { count: 400, markets: 3 },
        coinm: { count: 200, markets: 2 },
        option: { count: 120, markets: 3 },
      },
    },
  });
  ex = client(sim.origin, key);
});
afterAll(async () => {
  await sim.close();
});

const INST_TYPE = { spot: "SPOT", margin: "MARGIN", usdm: "SWAP", coinm: "FUTURES", option: "OPTION" } as const;

describe("OKX fills of every instType", () => {
  it("pages fills-history per instType with `after`: the last 3 months, newest first", async () => {
    for (const product of ["spot", "margin", "usdm", "coinm", "option"] as const) {
      const served: Record<string, unknown>[] = [];
      let after: string | undefined;
      for (;;) {
        const r = await ex.privateGetTradeFillsHistory({ instType: INST_TYPE[product], limit: 100, ...(after ? { after } : {}) });
        served.push(...r.data);
        if (r.data.length < 100) break;
        after = r.data[r.data.length - 1].billId;
      }
      const truth = sim.trades("okx", key.apiKey, { product }).filter((t) => t.timestamp >= now - 90 * DAY + 60_000);
      expect(served.length).toBeGreaterThan(0);
      expect(served.filter((f) => Number(f.ts) >= now - 90 * DAY + 60_000)).toEqual(truth.map((t) => t.raw).reverse());
      expect(served.every((f) => f.instType === INST_TYPE[product])).toBe(true);
    }
    expect((await rejection(ex.privateGetTradeFillsHistory({}))).message).toContain("50014");
    expect((await rejection(ex.privateGetTradeFillsHistory({ instType: "SWAP", limit: 101 }))).message).toContain("51000");
  });

  it("derivative fills count contracts and carry fee and fillPnl in the settlement currency", () => {
    const swap = sim.trades("okx", key.apiKey, { product: "usdm", limit: 50 });
    expect(swap.every((t) => /-USDT-SWAP$/.test(t.symbol) && t.raw.feeCcy === "USDT" && /^-/.test(String(t.raw.fee)))).toBe(true);
    expect(swap.some((t) => t.raw.fillPnl !== "0")).toBe(true);
    const fut = sim.trades("okx", key.apiKey, { product: "coinm", limit: 20 });
    expect(fut.every((t) => /-USD-\d{6}$/.test(t.symbol) && t.raw.feeCcy === t.base)).toBe(true);
    const opt = sim.trades("okx", key.apiKey, { product: "option", limit: 20 });
    expect(opt.every((t) => /-USD-\d{6}-\d+-[CP]$/.test(t.symbol))).toBe(true);
  });

  it("trade/fills without instType merges every instType by billId (3 days)", async () => {
    const served: { billId: string; ts: string }[] = [];
    let after: string | undefined;
    for (;;) {
      const r = await ex.privateGetTradeFills({ limit: 100, ...(after ? { after } : {}) });
      served.push(...r.data);
      if (r.data.length < 100) break;
      after = r.data[r.data.length - 1].billId;
    }
    const truth = (["spot", "margin", "usdm", "coinm", "option"] as const)
      .flatMap((product) => sim.trades("okx", key.apiKey, { product }))
      .filter((t) => t.timestamp >= now - 3 * DAY + 60_000)
      .sort((a, b) => (BigInt(String(b.raw.billId)) > BigInt(String(a.raw.billId)) ? 1 : -1));
    expect(new Set(truth.map((t) => t.product)).size).toBeGreaterThan(2);
    expect(served.filter((f) => Number(f.ts) >= now - 3 * DAY + 60_000)).toEqual(truth.map((t) => t.raw));
    for (let i = 1; i < served.length; i++) expect(BigInt(served[i]!.billId) < BigInt(served[i - 1]!.billId)).toBe(true);
  });

  it("public/instruments lists SWAP, FUTURES, OPTION (instFamily required) and MARGIN", async () => {
    for (const [product, instType, params] of [
      ["usdm", "SWAP", {}],
      ["coinm", "FUTURES", {}],
      ["margin", "MARGIN", {}],
    ] as const) {
      const r = await ex.publicGetPublicInstruments({ instType, ...params });
      const ids = (r.data as { instId: string }[]).map((i) => i.instId);
      for (const t of sim.trades("okx", key.apiKey, { product })) expect(ids).toContain(t.symbol);
    }
    expect((await rejection(ex.publicGetPublicInstruments({ instType: "OPTION" }))).message).toContain("50014");
    const opt = await ex.publicGetPublicInstruments({ instType: "OPTION", instFamily: "BTC-USD" });
    expect(opt.data.length).toBe(6);
    expect(opt.data[0]).toMatchObject({ instType: "OPTION", ctValCcy: "BTC", settleCcy: "BTC", optType: expect.stringMatching(/^[CP]$/) });
  });
});

function quarterOf(t: number): { year: number; quarter: number; start: number; end: number } {
  const d = new Date(t);
  const q = Math.floor(d.getUTCMonth() / 3);
  return { year: d.getUTCFullYear(), quarter: q + 1, start: Date.UTC(d.getUTCFullYear(), q * 3, 1), end: Date.UTC(d.getUTCFullYear(), q * 3 + 3, 1) };
}

describe("OKX markets through ccxt", () => {
  it("loadMarkets parses the SWAP, FUTURES and OPTION instruments", async () => {
    const c = client(sim.origin, key);
    await c.loadMarkets();
    expect(c.market("BTC/USDT:USDT")).toMatchObject({ id: "BTC-USDT-SWAP", swap: true, linear: true });
    const fut = Object.values(c.markets as Record<string, { id: string; future: boolean; inverse: boolean }>).find((m) => m.id === "BTC-USD-271231");
    expect(fut).toMatchObject({ future: true, inverse: true });
    expect(Object.values(c.markets as Record<string, { option: boolean }>).filter((m) => m.option).length).toBeGreaterThan(0);
  });
});

describe("OKX fills archive", () => {
  it("applies for a quarter, polls until finished, and the ZIP holds every fill of that quarter", async () => {
    const q = quarterOf(now - 200 * DAY); // ends before fills-history's 3 months begin
    expect(q.end).toBeLessThan(now - 90 * DAY);
    const truth = (["spot", "margin", "usdm", "coinm", "option"] as const)
      .flatMap((product) => sim.trades("okx", key.apiKey, { product }))
      .filter((t) => t.timestamp >= q.start && t.timestamp < q.end);
    expect(truth.length).toBeGreaterThan(100);
    // fills-history no longer has them
    const recent = await ex.privateGetTradeFillsHistory({ instType: "SPOT", after: String(truth.at(-1)!.raw.billId) });
    expect(recent.data).toEqual([]);

    const params = { year: String(q.year), quarter: `Q${q.quarter}` };
    expect((await ex.privateGetTradeFillsArchive(params)).data).toEqual([]); // nothing applied for yet
    const applied = await ex.privatePostTradeFillsArchive(params);
    expect(applied.data[0].result).toBe("true");
    const first = await ex.privateGetTradeFillsArchive(params);
    expect(first.data[0]).toMatchObject({ state: "ongoing", fileHref: "" });
    const done = await ex.privateGetTradeFillsArchive(params);
    expect(done.data[0].state).toBe("finished");
    const res = await fetch(done.data[0].fileHref);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/zip");
    const files = unzipSync(new Uint8Array(await res.arrayBuffer()));
    const [name] = Object.keys(files);
    expect(name).toBe(`fills-${q.year}-Q${q.quarter}.csv`);
    const [header, ...lines] = strFromU8(files[name!]!).trimEnd().split("\n");
    const cols = header!.split(",");
    const rows = lines.map((l) => Object.fromEntries(l.split(",").map((v, i) => [cols[i], v])));
    const expected = truth
      .sort((a, b) => (BigInt(String(a.raw.billId)) < BigInt(String(b.raw.billId)) ? -1 : 1))
      .map((t) => Object.fromEntries(cols.map((c) => [c, String((t.raw as Record<string, unknown>)[c] ?? "")])));
    expect(rows).toEqual(expected);
  });

  it("refuses the current quarter and quarters older than 2 years (51000)", async () => {
    const cur = quarterOf(now);
    expect((await rejection(ex.privatePostTradeFillsArchive({ year: String(cur.year), quarter: `Q${cur.quarter}` }))).message).toContain("51000");
    const old = quarterOf(now - 800 * DAY);
    expect((await rejection(ex.privatePostTradeFillsArchive({ year: String(old.year), quarter: `Q${old.quarter}` }))).message).toContain("51000");
    expect((await rejection(ex.privatePostTradeFillsArchive({ year: "2025", quarter: "Q5" }))).message).toContain("51000");
  });
});

describe("OKX deposits, withdrawals and balances", () => {
  it("pages deposit and withdrawal history with the `after` ts cursor, newest first", async () => {
    const ledger = sim.ledger("okx", key.apiKey);
    for (const [call, truth] of [
      [(p: Record<string, unknown>) => ex.privateGetAssetDepositHistory(p), ledger.deposits],
      [(p: Record<string, unknown>) => ex.privateGetAssetWithdrawalHistory(p), ledger.withdrawals],
    ] as const) {
      const served: Record<string, unknown>[] = [];
      let after: string | undefined;
      for (;;) {
        const r = await call({ limit: 2, ...(after ? { after } : {}) });
        served.push(...r.data);
        if (r.data.length < 2) break;
        after = r.data[r.data.length - 1].ts;
      }
      expect(served).toEqual([...truth].sort((a, b) => b.time - a.time).map((e) => e.raw));
    }
    expect(ledger.deposits.some((d) => d.synthetic)).toBe(true);
    expect((await rejection(ex.privateGetAssetDepositHistory({ limit: 101 }))).message).toContain("51000");
  });

  it("trading cashBal + funding bal equal the sum of every record's effect", async () => {
    const units = new Map<string, bigint>();
    const add = (asset: string, v: string, sign = 1n) => {
      const neg = v.startsWith("-");
      const [i, f = ""] = v.replace("-", "").split(".");
      units.set(asset, (units.get(asset) ?? 0n) + sign * (neg ? -1n : 1n) * BigInt(i + f.padEnd(18, "0")));
    };
    const fmt = (m: Map<string, bigint>) =>
      Object.fromEntries(
        [...m]
          .filter(([, u]) => u !== 0n)
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([a, u]) => {
            const s = (u < 0n ? -u : u).toString().padStart(19, "0");
            return [a, `${u < 0n ? "-" : ""}${s.slice(0, -18)}.${s.slice(-18)}`.replace(/\.?0+$/, "")];
          }),
      );
    for (const d of (await ex.privateGetAccountBalance()).data[0].details as { ccy: string; cashBal: string }[]) add(d.ccy, d.cashBal);
    for (const b of (await ex.privateGetAssetBalances()).data as { ccy: string; bal: string }[]) add(b.ccy, b.bal);
    const served = fmt(units);

    // the README's OKX rule, applied here to the records as served
    units.clear();
    const trades: SimTrade[] = (["spot", "margin", "usdm", "coinm", "option"] as const).flatMap((product) => sim.trades("okx", key.apiKey, { product }));
    for (const t of trades) {
      const r = t.raw as Record<string, string>;
      add(r.feeCcy!, r.fee!);
      if (r.instType === "SPOT" || r.instType === "MARGIN") {
        const [base, quote] = r.instId!.split("-");
        const buy = r.side === "buy" ? 1n : -1n;
        add(base!, r.fillSz!, buy);
        const [pi, pf = ""] = r.fillPx!.split(".");
        const [si, sf = ""] = r.fillSz!.split(".");
        const value = (BigInt(pi + pf.padEnd(18, "0")) * BigInt(si + sf.padEnd(18, "0"))) / 10n ** 18n;
        units.set(quote!, (units.get(quote!) ?? 0n) - buy * value);
      } else add(r.feeCcy!, r.fillPnl!);
    }
    const ledger = sim.ledger("okx", key.apiKey);
    for (const e of [...ledger.deposits, ...ledger.withdrawals] as SimLedgerEntry[]) {
      const r = e.raw as Record<string, string>;
      if (e.kind === "deposit") add(r.ccy!, r.amt!);
      else {
        add(r.ccy!, r.amt!, -1n);
        add(r.ccy!, r.fee!, -1n);
      }
    }
    expect(served).toEqual(fmt(units));
    expect(served).toEqual(ledger.balances);
    expect(ledger.effectsTotal).toEqual(ledger.balances);
    expect(ledger.balancesFollowEffects).toBe(true);
  });
});
