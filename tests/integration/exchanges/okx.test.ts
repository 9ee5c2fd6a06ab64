import { Precise } from "ccxt";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { ExchangeSim } from "@/lib/exchange-sim";
import { ExchangeAdapterError } from "@/lib/exchanges/errors";
import { createOkxAdapter } from "@/lib/exchanges/okx";
import type { ExchangeAdapter, ExportCursor, NormalizedTrade } from "@/lib/exchanges/types";
import { credentialsOf, expectSameTrades, exportAll, firstError, startSim } from "./harness";

const DAY = 86_400_000;
const TRADER = { read: true, spotTrade: true, marginTrade: false, futuresTrade: false, withdraw: false, transfer: false };

describe("OKX adapter against the simulator", () => {
  let sim: ExchangeSim;
  let env: Record<string, string>;
  let adapter: ExchangeAdapter;

  beforeAll(async () => {
    ({ sim, env } = await startSim());
    adapter = createOkxAdapter({ env, enableRateLimit: false });
  });
  afterAll(async () => sim?.close());
  afterEach(() => sim.clearFaults());

  it("describes a valid key: perm string, IP whitelist and label (OKX reports no dates)", async () => {
    const key = sim.createKey({
      exchange: "okx",
      label: "MyITS bot",
      permissions: { ...TRADER, withdraw: true },
      ipWhitelist: ["127.0.0.1", "10.0.0.2"],
    });
    expect(key.passphrase).toBeTruthy();
    const description = await adapter.describeKey(credentialsOf(key));
    expect(description).toMatchObject({
      status: "valid",
      permissions: { read: true, spotTrade: true, marginTrade: true, futuresTrade: true, withdraw: true, transfer: true, other: [] },
      rawPermissions: "read_only,trade,withdraw",
      ipRestricted: true,
      ipWhitelist: ["127.0.0.1", "10.0.0.2"],
      label: "MyITS bot",
      createdAt: null,
      expiresAt: null,
    });
  });

  it("a read-only key without whitelist shows the missing permissions", async () => {
    const key = sim.createKey({ exchange: "okx", permissions: { ...TRADER, spotTrade: false }, ipWhitelist: [] });
    expect(await adapter.describeKey(credentialsOf(key))).toMatchObject({
      status: "valid",
      ipRestricted: false,
      permissions: { read: true, spotTrade: false, withdraw: false, transfer: false },
    });
  });

  it("a deleted key is revoked (50111)", async () => {
    const key = sim.createKey({ exchange: "okx", permissions: TRADER });
    sim.deleteKey("okx", key.apiKey);
    expect(await adapter.describeKey(credentialsOf(key))).toMatchObject({ status: "revoked", reason: "key_not_found", code: "50111" });
  });

  it("an expired key looks deleted, as on OKX", async () => {
    const key = sim.createKey({ exchange: "okx", permissions: TRADER });
    sim.restrictKey("okx", key.apiKey, { expiresAt: new Date(Date.now() - 1000) });
    expect((await adapter.describeKey(credentialsOf(key))).status).toBe("revoked");
  });

  // A wrong secret or passphrase is answered for a key id OKX found: nothing proves deletion.
  it("a wrong secret or passphrase is ambiguous", async () => {
    const key = sim.createKey({ exchange: "okx", permissions: TRADER });
    const badSecret = await adapter.describeKey({ ...credentialsOf(key), secret: `${key.secret.slice(0, -4)}beef` });
    expect(badSecret).toMatchObject({ status: "ambiguous", reason: "bad_signature", code: "50113" });
    const badPassphrase = await adapter.describeKey({ ...credentialsOf(key), passphrase: "wrong" });
    expect(badPassphrase).toMatchObject({ status: "ambiguous", reason: "bad_passphrase", code: "50105" });
  });

  it("a missing passphrase is our configuration, not a revoked key", async () => {
    const key = sim.createKey({ exchange: "okx", permissions: TRADER });
    const description = await adapter.describeKey({ apiKey: key.apiKey, secret: key.secret });
    expect(description).toMatchObject({ status: "ambiguous", reason: "configuration" });
  });

  // 50110 is only answered for a key OKX found: it still exists (classifyRevocation: valid),
  // but nothing can be read about it from here (describeKey: ambiguous, keyExists).
  it("a key restricted to another IP still exists, but cannot be described", async () => {
    const key = sim.createKey({ exchange: "okx", permissions: TRADER, ipWhitelist: ["127.0.0.1"] });
    sim.restrictKey("okx", key.apiKey, { ipWhitelist: ["10.9.9.9"] });
    expect(await adapter.describeKey(credentialsOf(key))).toMatchObject({
      status: "ambiguous",
      reason: "ip_not_allowed",
      code: "50110",
      keyExists: true,
    });
    const error = await firstError(adapter.exportHistory(credentialsOf(key), null));
    expect(adapter.classifyRevocation(error)).toBe("valid");
  });

  it("rate limiting, 5xx, timeouts and malformed bodies are unreachable", async () => {
    const key = sim.createKey({ exchange: "okx", permissions: TRADER });
    const credentials = credentialsOf(key);
    sim.setFault({ exchange: "okx", kind: "error", status: 429, count: 1 });
    expect(await adapter.describeKey(credentials)).toMatchObject({ status: "unreachable", reason: "rate_limited" });
    sim.setFault({ exchange: "okx", kind: "error", status: 503, count: 1 });
    expect(await adapter.describeKey(credentials)).toMatchObject({ status: "unreachable", reason: "exchange_unavailable" });
    sim.setFault({ exchange: "okx", kind: "malformed", count: 1 });
    expect(await adapter.describeKey(credentials)).toMatchObject({ status: "unreachable", reason: "malformed_response" });
    sim.setFault({ exchange: "okx", kind: "timeout", ms: 3000, count: 1 });
    expect(await createOkxAdapter({ env, timeoutMs: 300 }).describeKey(credentials)).toMatchObject({ status: "unreachable", reason: "timeout" });
    expect(await adapter.describeKey(credentials)).toMatchObject({ status: "valid" });
  });

  it("exports exactly the simulator's fills across pages, then only newer ones", async () => {
    const key = sim.createKey({ exchange: "okx", permissions: TRADER, trades: { count: 1234, markets: 5, seed: 7 } });
    const truth = sim.trades("okx", key.apiKey);
    const { pages, trades, cursor } = await exportAll(adapter, credentialsOf(key));
    expect(pages.length).toBeGreaterThanOrEqual(13);
    expect(pages.at(-1)?.done).toBe(true);
    expectSameTrades(trades, truth, { price: "fillPx", amount: "fillSz" });
    for (const trade of trades) expect(trade.symbol).toBe(trade.market.replace("-", "/"));
    const again = await exportAll(adapter, credentialsOf(key), cursor);
    expect(again.trades).toEqual([]);
  });

  it("resumes from any page's cursor without losing or repeating a fill", async () => {
    const key = sim.createKey({ exchange: "okx", permissions: TRADER, trades: { count: 650, markets: 3, seed: 3 } });
    const truth = sim.trades("okx", key.apiKey);
    const collected: NormalizedTrade[] = [];
    let cursor: ExportCursor | null = null;
    for (let run = 0; run < 50; run++) {
      let finished = false;
      for await (const page of adapter.exportHistory(credentialsOf(key), cursor)) {
        collected.push(...page.trades);
        cursor = page.nextCursor;
        finished = page.done;
        break; // one page per run, as a job that keeps crashing
      }
      if (finished) break;
    }
    expectSameTrades(collected, truth, { price: "fillPx", amount: "fillSz" });
  });

  it("turns an export failure into a typed error", async () => {
    const key = sim.createKey({ exchange: "okx", permissions: TRADER, trades: { count: 300, markets: 2 } });
    sim.setFault({ exchange: "okx", pathPrefix: "/api/v5/trade/fills-history", kind: "error", status: 503 });
    const error = await firstError(adapter.exportHistory(credentialsOf(key), null));
    expect(error).toBeInstanceOf(ExchangeAdapterError);
    expect((error as ExchangeAdapterError).classified.status).toBe("unreachable");
  });

  it("pages fills-history per instType and reads the older part from the fills archive: applied, polled, downloaded", async () => {
    const key = sim.createKey({
      exchange: "okx",
      permissions: { ...TRADER, marginTrade: true, futuresTrade: true },
      trades: {
        count: 250,
        markets: 3,
        seed: 21,
        startTime: new Date(Date.now() - 60 * DAY),
        products: {
          margin: { count: 150, markets: 2, startTime: new Date(Date.now() - 200 * DAY) },
          usdm: { count: 230, markets: 2 },
          coinm: { count: 120, markets: 2, startTime: new Date(Date.now() - 300 * DAY) },
          option: { count: 110, markets: 2 },
        },
      },
      ledger: {},
    });
    sim.resetStats();
    const { pages, trades, cursor } = await exportAll(adapter, credentialsOf(key));
    const stats = sim.stats().byPath;
    const count = (prefix: string) => Object.entries(stats).filter(([path]) => path.startsWith(prefix)).reduce((sum, [, n]) => sum + n, 0);
    // each quarter: one application, a poll that says "ongoing", one that hands the link over
    expect(count("/okx-archive/")).toBeGreaterThanOrEqual(3);
    expect(count("/api/v5/trade/fills-archive")).toBe(3 * count("/okx-archive/"));
    expect(pages.some((p) => p.trades.length === 100)).toBe(true);
    for (const product of ["spot", "margin", "usdm", "coinm", "option"] as const) {
      const truth = sim.trades("okx", key.apiKey, { product });
      const exported = trades.filter((t) => t.product === product);
      expect(exported.map((t) => `${t.market}/${t.id}`).sort(), product).toEqual(truth.map((t) => `${t.symbol}/${t.id}`).sort());
      const byId = new Map(exported.map((t) => [`${t.market}/${t.id}`, t]));
      for (const t of truth) {
        const actual = byId.get(`${t.symbol}/${t.id}`)!;
        expect(actual.raw).toEqual(t.raw);
        expect(actual.fee).toEqual({ cost: t.raw.fee!.toString().replace(/^-/, ""), currency: t.feeCurrency });
        expect(Precise.stringEq(actual.price, t.price)).toBe(true);
        expect(actual.timestamp).toBe(t.timestamp);
      }
    }
    // fills older than fills-history's 3 months only came from the archive
    expect(trades.filter((t) => t.timestamp < Date.now() - 95 * DAY).length).toBeGreaterThan(0);
    // the balances of both accounts, and the sum of every record's effects, agree
    const balances = pages.at(-1)!.balances!;
    expect(balances).toEqual(sim.ledger("okx", key.apiKey).balances);
    const transfers = pages.flatMap((p) => p.transfers ?? []);
    expect(transfers.length).toBe(sim.ledger("okx", key.apiKey).deposits.length + sim.ledger("okx", key.apiKey).withdrawals.length);
    // a later run asks fills-history only above what it stored: nothing comes twice
    const again = await exportAll(adapter, credentialsOf(key), cursor, { lastSyncedAt: new Date() });
    expect(again.trades).toEqual([]);
    expect(again.pages.flatMap((p) => p.transfers ?? [])).toEqual([]);
  });

  it("a quarter file polled again after a crash is downloaded anew and not handed out twice", async () => {
    const key = sim.createKey({
      exchange: "okx",
      permissions: TRADER,
      trades: { count: 2600, markets: 3, seed: 22, startTime: new Date(Date.now() - 200 * DAY), products: { spot: { count: 2600, markets: 3 } } },
      ledger: {},
    });
    const truth = sim.trades("okx", key.apiKey);
    const collected: NormalizedTrade[] = [];
    let cursor: ExportCursor | null = null;
    for (let run = 0; run < 200; run++) {
      let finished = false;
      for await (const page of adapter.exportHistory(credentialsOf(key), cursor)) {
        collected.push(...page.trades);
        cursor = page.nextCursor;
        finished = page.done;
        break; // one page per run, as a job that keeps crashing
      }
      if (finished) break;
    }
    expect(collected.length).toBe(truth.length);
    expect(new Set(collected.map((t) => t.id)).size).toBe(truth.length);
  });

  it("covers the 80 days of history the simulator gives OKX keys", () => {
    const key = sim.createKey({ exchange: "okx", permissions: TRADER, trades: { count: 10, markets: 1 } });
    const oldest = sim.trades("okx", key.apiKey)[0];
    expect(Date.now() - (oldest?.timestamp ?? 0)).toBeLessThan(90 * DAY);
  });
});
