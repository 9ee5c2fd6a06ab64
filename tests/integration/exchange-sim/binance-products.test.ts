// Binance beyond spot, through the unmodified ccxt class's implicit methods: cross and isolated
// margin, USDⓈ-M and COIN-M trades and income, convert and dust history, delisted markets, and
// balances that equal the sum of every record's effect.

import ccxt from "ccxt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startExchangeSim, type ExchangeSim, type SimKey, type SimLedgerEntry, type SimTrade } from "@/lib/exchange-sim";
import { binanceGet, client, rejection, type Client } from "./helpers";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

let sim: ExchangeSim;
let key: SimKey;
let ex: Client;
const now = Date.now();
const start = new Date(now - 120 * DAY);
const end = new Date(now - HOUR);

beforeAll(async () => {
  sim = await startExchangeSim({ seed: 11 });
  key = sim.createKey({
    exchange: "binance",
    permissions: { marginTrade: true, futuresTrade: true },
    trades: {
      count: 1500,
      markets: 6,
      seed: 5,
      startTime: start,
      endTime: end,
      products: {
        margin: { count: 900, markets: 3 },
        isolated_margin: { count: 300, markets: 2 },
        usdm: { count: 1200, markets: 3 },
        coinm: { count: 400, markets: 2 },
        option: { count: 300, markets: 4 },
      },
    },
    ledger: { converts: 40, dust: 6, income: 90, delisted: 1 },
  });
  ex = client(sim.origin, key);
});
afterAll(async () => {
  await sim.close();
});

/** Every trade of a product on one symbol by fromId, as an exporter pages them. */
async function pageByFromId(call: (p: Record<string, unknown>) => Promise<Record<string, unknown>[]>, params: Record<string, unknown>, limit: number) {
  const out: Record<string, unknown>[] = [];
  let fromId = 0;
  for (;;) {
    const page = await call({ ...params, fromId, limit });
    out.push(...page);
    if (page.length < limit) return out;
    fromId = Number(page[page.length - 1]!.id) + 1;
  }
}

function truthOf(product: SimTrade["product"], symbol: string): Record<string, unknown>[] {
  return sim.trades("binance", key.apiKey, { product }).filter((t) => t.symbol === symbol).map((t) => t.raw);
}

describe("Binance margin", () => {
  it("pages cross and isolated myTrades by fromId, each account its own trades", async () => {
    const delisted = new Set(sim.markets("binance", key.apiKey).delisted);
    for (const [product, flag] of [
      ["margin", "FALSE"],
      ["isolated_margin", "TRUE"],
    ] as const) {
      const symbols = [...new Set(sim.trades("binance", key.apiKey, { product }).map((t) => t.symbol))];
      expect(symbols.length).toBe(product === "margin" ? 3 : 2);
      for (const symbol of symbols) {
        if (delisted.has(symbol)) {
          // spot and margin share the pair: delisted from both
          expect((await rejection(ex.sapiGetMarginMyTrades({ symbol, isIsolated: flag }))).message).toContain("-1121");
          expect(sim.trades("binance", key.apiKey, { product }).filter((t) => t.symbol === symbol).every((t) => t.delisted)).toBe(true);
          continue;
        }
        const served = await pageByFromId((p) => ex.sapiGetMarginMyTrades(p), { symbol, isIsolated: flag }, 100);
        expect(served).toEqual(truthOf(product, symbol));
        expect(served.every((t) => t.isIsolated === (flag === "TRUE"))).toBe(true);
      }
    }
  });

  it("needs a symbol, keeps windows under 24 hours, and answers the last 24 hours without a cursor", async () => {
    const symbol = sim.trades("binance", key.apiKey, { product: "margin", limit: 1 })[0]!.symbol;
    expect((await rejection(ex.sapiGetMarginMyTrades({}))).message).toContain("-1102");
    const long = await rejection(ex.sapiGetMarginMyTrades({ symbol, startTime: now - 3 * DAY, endTime: now - DAY + 1 }));
    expect(long.message).toContain("-1127");
    const recent = (await ex.sapiGetMarginMyTrades({ symbol })) as { time: number }[];
    expect(recent.every((t) => t.time >= now - DAY)).toBe(true);
    expect((await rejection(ex.sapiGetMarginMyTrades({ symbol: "NOPEUSDT" }))).message).toContain("-1121");
  });

  it("serves the cross account's netAsset per asset and the isolated accounts per symbol", async () => {
    const ledger = sim.ledger("binance", key.apiKey);
    const cross = await ex.sapiGetMarginAccount();
    const served = Object.fromEntries(
      (cross.userAssets as { asset: string; netAsset: string }[]).filter((a) => Number(a.netAsset) !== 0).map((a) => [a.asset, a.netAsset.replace(/\.?0+$/, "")]),
    );
    expect(served).toEqual(ledger.wallets.margin);
    const isolated = await ex.sapiGetMarginIsolatedAccount();
    const symbols = (isolated.assets as { symbol: string }[]).map((a) => a.symbol);
    expect(symbols).toEqual(Object.keys(ledger.wallets).filter((w) => w.startsWith("isolated:")).map((w) => w.slice(9)).sort());
  });
});

describe("Binance USDⓈ-M and COIN-M", () => {
  it("pages USDⓈ-M userTrades in 7-day windows; a longer window is -1127, limit 1001 is -1130", async () => {
    const symbols = [...new Set(sim.trades("binance", key.apiKey, { product: "usdm" }).map((t) => t.symbol))];
    for (const symbol of symbols) {
      const served: Record<string, unknown>[] = [];
      for (let t = start.getTime(); t < now; t += 7 * DAY) {
        // windows are inclusive at both ends: stop one millisecond short of the next
        let from = t;
        for (;;) {
          const page = (await ex.fapiPrivateGetUserTrades({ symbol, startTime: from, endTime: t + 7 * DAY - 1, limit: 1000 })) as { time: number }[];
          served.push(...page);
          if (page.length < 1000) break;
          from = page[page.length - 1]!.time + 1;
        }
      }
      expect(served).toEqual(truthOf("usdm", symbol));
    }
    const symbol = symbols[0]!;
    expect((await rejection(ex.fapiPrivateGetUserTrades({ symbol, startTime: now - 8 * DAY, endTime: now }))).message).toContain("-1127");
    expect((await rejection(ex.fapiPrivateGetUserTrades({ symbol, limit: 1001 }))).message).toContain("-1130");
    expect((await rejection(ex.fapiPrivateGetUserTrades({ symbol, fromId: 1, startTime: now - DAY }))).message).toContain("-1128");
  });

  it("serves no USDⓈ-M trade older than 6 months", async () => {
    const old = sim.createKey({
      exchange: "binance",
      permissions: { futuresTrade: true },
      trades: { count: 10, markets: 1, endTime: end, products: { usdm: { count: 400, markets: 1, startTime: new Date(now - 300 * DAY) } } },
    });
    const truth = sim.trades("binance", old.apiKey, { product: "usdm" });
    expect(truth.some((t) => t.timestamp < now - 181 * DAY)).toBe(true);
    const served = await pageByFromId((p) => client(sim.origin, old).fapiPrivateGetUserTrades(p), { symbol: truth[0]!.symbol }, 1000);
    expect(served.length).toBeGreaterThan(0);
    expect(served).toEqual(truth.filter((t) => t.timestamp >= now - 180 * DAY).map((t) => t.raw));
  });

  it("pages COIN-M userTrades by pair or symbol; raw records carry baseQty in the coin", async () => {
    const truth = sim.trades("binance", key.apiKey, { product: "coinm" });
    const symbol = truth[0]!.symbol;
    const pair = symbol.replace("_PERP", "");
    const served = await pageByFromId((p) => ex.dapiPrivateGetUserTrades(p), { pair }, 100);
    expect(served).toEqual(truth.filter((t) => t.symbol === symbol).map((t) => t.raw));
    expect(served[0]).toMatchObject({ pair, marginAsset: truth[0]!.base, commissionAsset: truth[0]!.base });
  });

  it("income: REALIZED_PNL, COMMISSION and FUNDING_FEE rows; USDⓈ-M keeps the last 3 months", async () => {
    const truth = sim.ledger("binance", key.apiKey).income;
    for (const [product, call] of [
      ["usdm", (p: Record<string, unknown>) => ex.fapiPrivateGetIncome(p)],
      ["coinm", (p: Record<string, unknown>) => ex.dapiPrivateGetIncome(p)],
    ] as const) {
      const served: Record<string, unknown>[] = [];
      for (let page = 1; ; page++) {
        const rows = (await call({ startTime: start.getTime() - DAY, endTime: now, limit: 1000, page })) as Record<string, unknown>[];
        served.push(...rows);
        if (rows.length < 1000) break;
      }
      const horizon = product === "usdm" ? now - 90 * DAY + 60_000 : 0; // a minute of slack for the test's own run time
      const expected = truth.filter((e) => e.wallet === product && e.time >= horizon).map((e) => e.raw);
      expect(served.filter((r) => (r.time as number) >= horizon)).toEqual(expected);
      if (product === "usdm") expect(served.every((r) => (r.time as number) >= now - 91 * DAY)).toBe(true);
      expect(new Set(served.map((r) => r.incomeType))).toEqual(new Set(["REALIZED_PNL", "COMMISSION", "FUNDING_FEE"]));
    }
    expect((await rejection(ex.fapiPrivateGetIncome({ limit: 1001 }))).message).toContain("-1130");
    expect((await rejection(ex.dapiPrivateGetIncome({ startTime: now - 400 * DAY, endTime: now }))).message).toContain("-1127");
  });

  it("a key whose account has no futures account: -2015 on fapi and dapi, enableFutures false", async () => {
    const k = sim.createKey({ exchange: "binance", permissions: { futuresTrade: true }, trades: { count: 50, markets: 2, products: { margin: { count: 20, markets: 1 } } } });
    const c = client(sim.origin, k);
    expect((await c.sapiGetAccountApiRestrictions()).enableFutures).toBe(false);
    for (const p of [c.fapiPrivateGetUserTrades({ symbol: "BTCUSDT" }), c.fapiPrivateV2GetBalance(), c.dapiPrivateGetIncome({})]) {
      expect((await rejection(p)).message).toContain("-2015");
    }
    expect(await c.sapiGetMarginAccount()).toMatchObject({ accountType: "MARGIN_1" }); // the key itself works
    // and the other way round: a complete account without margin products has no margin account
    const noMargin = client(sim.origin, sim.createKey({ exchange: "binance", trades: { count: 20, markets: 1, products: { usdm: { count: 5, markets: 1 } } } }));
    expect((await rejection(noMargin.sapiGetMarginAccount())).message).toContain("-3003");
    expect((await rejection(noMargin.sapiGetMarginIsolatedAccount())).message).toContain("-11001");
    expect((await rejection(noMargin.eapiPrivateGetAccount())).message).toContain("-2015"); // no options account either
    expect((await c.sapiGetAccountApiRestrictions()).enableReading).toBe(true);
    expect((await client(sim.origin, key).sapiGetAccountApiRestrictions()).enableFutures).toBe(true);
  });

  it("fapi exchangeInfo lists the traded USDⓈ-M symbols among others; ccxt loads them", async () => {
    const traded = new Set(sim.trades("binance", key.apiKey, { product: "usdm" }).map((t) => t.symbol));
    const info = await ex.fapiPublicGetExchangeInfo();
    const listed = (info.symbols as { symbol: string }[]).map((s) => s.symbol);
    for (const s of traded) expect(listed).toContain(s);
    expect(listed.length).toBeGreaterThan(traded.size);
    const c = client(sim.origin, key, { options: { fetchMarkets: { types: ["linear", "inverse"] }, fetchCurrencies: false, fetchMargins: false } });
    await c.loadMarkets();
    expect(c.market("BTC/USDT:USDT")).toMatchObject({ id: "BTCUSDT", linear: true, swap: true });
    expect(c.market("BTC/USD:BTC")).toMatchObject({ id: "BTCUSD_PERP", inverse: true, contractSize: 100 });
  });
});

describe("Binance options", () => {
  it("pages eapi userTrades by fromId per symbol and by time across symbols", async () => {
    const truth = sim.trades("binance", key.apiKey, { product: "option" });
    const symbols = [...new Set(truth.map((t) => t.symbol))];
    expect(symbols.length).toBe(4);
    for (const symbol of symbols) {
      const served = await pageByFromId((p) => ex.eapiPrivateGetUserTrades(p), { symbol }, 50);
      expect(served).toEqual(truth.filter((t) => t.symbol === symbol).map((t) => t.raw));
    }
    const byTime: Record<string, unknown>[] = [];
    let startTime = start.getTime() - DAY;
    for (;;) {
      const page = (await ex.eapiPrivateGetUserTrades({ startTime, limit: 100 })) as { time: number }[];
      byTime.push(...page);
      if (page.length < 100) break;
      startTime = page[page.length - 1]!.time + 1;
    }
    expect(byTime).toEqual(truth.map((t) => t.raw));
    expect(truth[0]!.raw).toMatchObject({ quoteAsset: "USDT", optionSide: expect.stringMatching(/^(CALL|PUT)$/), symbol: expect.stringMatching(/^(BTC|ETH)-\d{6}-\d+-[CP]$/) });
    expect((await rejection(ex.eapiPrivateGetUserTrades({ fromId: 1 }))).message).toContain("-1102");
    expect((await rejection(ex.eapiPrivateGetUserTrades({ limit: 1001 }))).message).toContain("-1130");
    const info = await ex.eapiPublicGetExchangeInfo();
    expect((info.optionSymbols as { symbol: string }[]).map((s) => s.symbol)).toEqual(expect.arrayContaining(symbols));
  });
});

describe("Binance convert and dust", () => {
  it("tradeFlow: both bounds required, 30 days at most, newest first with moreData", async () => {
    expect((await rejection(ex.sapiGetConvertTradeFlow({ startTime: now - DAY }))).message).toContain("-1102");
    expect((await rejection(ex.sapiGetConvertTradeFlow({ startTime: now - 31 * DAY, endTime: now }))).message).toContain("-1127");
    const served: Record<string, unknown>[] = [];
    for (let t = now; t > start.getTime() - DAY; t -= 30 * DAY) {
      let endTime = t;
      for (;;) {
        const r = await ex.sapiGetConvertTradeFlow({ startTime: t - 30 * DAY + 1, endTime, limit: 5 });
        served.push(...r.list);
        if (!r.moreData) break;
        endTime = r.list[r.list.length - 1].createTime - 1;
      }
    }
    const truth = sim.ledger("binance", key.apiKey).conversions.filter((c) => c.kind === "convert").map((c) => c.raw);
    expect(served.reverse()).toEqual(truth);
    expect(truth).toHaveLength(40);
    expect(truth[0]).toMatchObject({ orderStatus: "SUCCESS", fromAsset: expect.any(String), toAmount: expect.any(String), ratio: expect.any(String) });
  });

  it("counts tradeFlow's weight in the UID pool (3000), not the IP pool", async () => {
    sim.resetRateLimits();
    const r = await binanceGet(sim.origin, key, "/sapi/v1/convert/tradeFlow", { startTime: now - 10 * DAY, endTime: now });
    expect(r.status).toBe(200);
    expect(r.headers.get("x-sapi-used-uid-weight-1m")).toBe("3000");
    expect(r.headers.get("x-mbx-used-weight-1m")).toBe("0");
    expect(sim.stats().binance.pools.uid.usedWeight).toBe(3000);
    expect(sim.stats().binance.usedWeight).toBe(0);
  });

  it("dribblet: the dust log with its details, each converted to BNB", async () => {
    const r = await ex.sapiGetAssetDribblet({});
    const truth = sim.ledger("binance", key.apiKey).conversions.filter((c) => c.kind === "dust");
    expect(r.total).toBe(6);
    expect(r.userAssetDribblets).toEqual(truth.map((c) => c.raw).reverse());
    const d = r.userAssetDribblets[0];
    expect(d.userAssetDribbletDetails.length).toBeGreaterThan(0);
    expect(d.userAssetDribbletDetails[0]).toMatchObject({ transId: d.transId, fromAsset: expect.any(String), transferedAmount: expect.any(String), serviceChargeAmount: expect.any(String) });
  });
});

describe("Binance delisted markets", () => {
  it("answer -1121 on myTrades and leave exchangeInfo, but stay in the ground truth", async () => {
    const [symbol] = sim.markets("binance", key.apiKey).delisted;
    expect(symbol).toBeDefined();
    const e = await rejection(ex.publicGetExchangeInfo({ symbol }));
    expect(e.message).toContain("-1121");
    expect(((await ex.publicGetExchangeInfo()).symbols as { symbol: string }[]).map((s) => s.symbol)).not.toContain(symbol);
    const trade = await rejection(ex.privateGetMyTrades({ symbol }));
    expect(trade).toBeInstanceOf(ccxt.BadSymbol);
    const truth = sim.trades("binance", key.apiKey).filter((t) => t.symbol === symbol);
    expect(truth.length).toBeGreaterThan(0);
    expect(truth.every((t) => t.delisted === true)).toBe(true);
    expect(sim.ledger("binance", key.apiKey).delisted).toContainEqual({ product: "spot", symbol, trades: truth.length, delisted: true });
  });
});

/** The README's Binance rule, written here again from the records as served. */
function effectsOf(trades: SimTrade[], entries: SimLedgerEntry[]): Record<string, string> {
  const acc = new Map<string, bigint>();
  const add = (asset: string, v: string, sign: 1n | -1n) => {
    const neg = v.startsWith("-");
    const [i, f = ""] = v.replace("-", "").split(".");
    const u = BigInt(i + f.padEnd(8, "0")) * (neg ? -1n : 1n) * sign;
    acc.set(asset, (acc.get(asset) ?? 0n) + u);
  };
  for (const t of trades) {
    if (t.product === "usdm" || t.product === "coinm") continue;
    if (t.product === "option") {
      const r = t.raw as Record<string, string>;
      const [pi, pf = ""] = r.price!.split(".");
      const [qi, qf = ""] = r.quantity!.split(".");
      const premium = (BigInt(pi + pf.padEnd(8, "0")) * BigInt(qi + qf.padEnd(8, "0"))) / 10n ** 8n;
      const s = premium.toString().padStart(9, "0");
      add(r.quoteAsset!, `${s.slice(0, -8)}.${s.slice(-8)}`, r.side === "BUY" ? -1n : 1n);
      add(r.quoteAsset!, r.fee!, -1n);
      continue;
    }
    const r = t.raw as Record<string, string | boolean>;
    const quoteQty = String(r.quoteQty ?? t.cost);
    add(t.base, String(r.qty), r.isBuyer ? 1n : -1n);
    add(t.quote, quoteQty, r.isBuyer ? -1n : 1n);
    add(String(r.commissionAsset), String(r.commission), -1n);
  }
  for (const e of entries) {
    const r = e.raw as Record<string, unknown>;
    if (e.kind === "deposit") add(String(r.coin), String(r.amount), 1n);
    if (e.kind === "withdrawal") {
      add(String(r.coin), String(r.amount), -1n);
      add(String(r.coin), String(r.transactionFee), -1n);
    }
    if (e.kind === "convert") {
      add(String(r.fromAsset), String(r.fromAmount), -1n);
      add(String(r.toAsset), String(r.toAmount), 1n);
    }
    if (e.kind === "dust") {
      for (const d of r.userAssetDribbletDetails as Record<string, string>[]) {
        add(d.fromAsset!, d.amount!, -1n);
        add("BNB", d.transferedAmount!, 1n);
      }
    }
    if (e.kind === "income") add(String(r.asset), String(r.income), 1n);
  }
  const out: Record<string, string> = {};
  for (const [a, u] of [...acc].sort(([x], [y]) => x.localeCompare(y))) {
    if (u === 0n) continue;
    const neg = u < 0n;
    const s = (neg ? -u : u).toString().padStart(9, "0");
    out[a] = `${neg ? "-" : ""}${s.slice(0, -8)}.${s.slice(-8)}`.replace(/\.?0+$/, "");
  }
  return out;
}

describe("Binance balances follow from the records", () => {
  it("spot + cross margin + isolated + USDⓈ-M + COIN-M + options totals equal the sum of every record's effect", async () => {
    const served = new Map<string, number[]>();
    const add = (asset: string, v: string) => {
      if (Number(v) !== 0) served.set(asset, [...(served.get(asset) ?? []), Number(v)]);
    };
    const units = new Map<string, bigint>();
    const addUnits = (asset: string, v: string) => {
      const [i, f = ""] = v.split(".");
      units.set(asset, (units.get(asset) ?? 0n) + BigInt(i + f.padEnd(8, "0").slice(0, 8)));
      add(asset, v);
    };
    for (const b of (await ex.privateGetAccount()).balances as { asset: string; free: string; locked: string }[]) {
      addUnits(b.asset, b.free);
      addUnits(b.asset, b.locked);
    }
    for (const a of (await ex.sapiGetMarginAccount()).userAssets as { asset: string; netAsset: string }[]) addUnits(a.asset, a.netAsset);
    for (const s of (await ex.sapiGetMarginIsolatedAccount()).assets as { baseAsset: { asset: string; netAsset: string }; quoteAsset: { asset: string; netAsset: string } }[]) {
      addUnits(s.baseAsset.asset, s.baseAsset.netAsset);
      addUnits(s.quoteAsset.asset, s.quoteAsset.netAsset);
    }
    for (const b of (await ex.fapiPrivateV2GetBalance()) as { asset: string; balance: string }[]) addUnits(b.asset, b.balance);
    for (const b of (await ex.dapiPrivateGetBalance()) as { asset: string; balance: string }[]) addUnits(b.asset, b.balance);
    for (const a of (await ex.eapiPrivateGetAccount()).asset as { asset: string; equity: string }[]) addUnits(a.asset, a.equity);
    const totals: Record<string, string> = {};
    for (const [a, u] of [...units].sort(([x], [y]) => x.localeCompare(y))) {
      if (u === 0n) continue;
      const s = u.toString().padStart(9, "0");
      totals[a] = `${s.slice(0, -8)}.${s.slice(-8)}`.replace(/\.?0+$/, "");
    }
    const ledger = sim.ledger("binance", key.apiKey);
    const trades = sim.products("binance", key.apiKey).flatMap((product) => sim.trades("binance", key.apiKey, { product }));
    const entries = [...ledger.deposits, ...ledger.withdrawals, ...ledger.conversions, ...ledger.income];
    expect(totals).toEqual(effectsOf(trades, entries));
    expect(totals).toEqual(ledger.balances);
    expect(ledger.effectsTotal).toEqual(ledger.balances);
    expect(ledger.deposits.filter((d) => d.synthetic).every((d) => d.time < start.getTime())).toBe(true);
  });
});

describe("admin interface", () => {
  it("creates a complete account over HTTP and serves its product trades and ledger", async () => {
    const admin = () => ({ authorization: `Bearer ${sim.adminToken}` });
    const body = {
      exchange: "binance",
      trades: { count: 30, markets: 2, products: { usdm: { count: 25, markets: 1, startTime: new Date(now - 20 * DAY).toISOString() } } },
      ledger: { converts: 2 },
    };
    const created = await fetch(`${sim.origin}/__admin/keys`, { method: "POST", headers: { "content-type": "application/json", origin: sim.origin, ...admin() }, body: JSON.stringify(body) });
    expect(created.status).toBe(201);
    const { key: k } = (await created.json()) as { key: SimKey };
    const page = (await (await fetch(`${sim.origin}/__admin/keys/binance/${k.apiKey}/trades?product=usdm&limit=5`, { headers: admin() })).json()) as { total: number; trades: SimTrade[] };
    expect(page.total).toBe(25);
    expect(page.trades.map((t) => t.product)).toEqual(Array(5).fill("usdm"));
    const ledger = (await (await fetch(`${sim.origin}/__admin/keys/binance/${k.apiKey}/ledger`, { headers: admin() })).json()) as { conversions: unknown[]; balances: unknown; effectsTotal: unknown };
    expect(ledger.conversions).toHaveLength(2);
    expect(ledger.balances).toEqual(ledger.effectsTotal);
    expect((await fetch(`${sim.origin}/__admin/keys/binance/${k.apiKey}/trades?product=nope`, { headers: admin() })).status).toBe(400);
  });
});
