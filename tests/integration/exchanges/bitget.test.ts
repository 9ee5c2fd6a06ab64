import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { ExchangeSim } from "@/lib/exchange-sim";
import { createBitgetAdapter } from "@/lib/exchanges/bitget";
import { ExchangeAdapterError } from "@/lib/exchanges/errors";
import { CooldownPacer } from "@/lib/exchanges/pacing/cooldown-pacer";
import type { ExchangeAdapter, ExportCursor, NormalizedTrade } from "@/lib/exchanges/types";
import { credentialsOf, expectSameTrades, exportAll, firstError, startSim } from "./harness";

const DAY = 86_400_000;
const TRADER = { read: true, spotTrade: true, marginTrade: false, futuresTrade: false, withdraw: false, transfer: false };
const SPOT_RAW = { price: "priceAvg", amount: "size", cost: "amount" };
const MIX_RAW = { price: "price", amount: "baseVolume", cost: "quoteVolume" };

describe("Bitget adapter against the simulator, through ccxt's bitget class", () => {
  let sim: ExchangeSim;
  let env: Record<string, string>;
  let adapter: ExchangeAdapter;

  beforeAll(async () => {
    ({ sim, env } = await startSim());
    adapter = createBitgetAdapter({ env, enableRateLimit: false });
  });
  afterAll(async () => sim?.close());
  afterEach(() => {
    sim.clearFaults();
    sim.resetRateLimits();
  });

  it("describes a valid key from GET /api/v2/spot/account/info: authorities, IP whitelist, account", async () => {
    const key = sim.createKey({
      exchange: "bitget",
      permissions: { ...TRADER, futuresTrade: true, transfer: true, withdraw: true },
      ipWhitelist: ["127.0.0.1", "10.0.0.2"],
    });
    expect(key.passphrase).toBeTruthy();
    expect(key.apiKey).toMatch(/^bg_[0-9a-f]{32}$/);
    const described = await adapter.describeKey(credentialsOf(key));
    expect(described).toMatchObject({
      status: "valid",
      permissions: { read: true, spotTrade: true, marginTrade: false, futuresTrade: true, withdraw: true, transfer: true, other: [] },
      rawPermissions: { authorities: ["stow", "smor", "coow", "cpow", "wtow", "wwow"], subAccount: false, traderType: "not_trader" },
      ipRestricted: true,
      ipWhitelist: ["127.0.0.1", "10.0.0.2"],
      createdAt: null,
      expiresAt: null,
      permissionsKnown: true,
    });
    if (described.status !== "valid") return;
    expect((described.rawPermissions as { userId: string }).userId).toMatch(/^\d{10}$/);
  });

  it("a read-only key without IP binding shows what it may not do", async () => {
    const key = sim.createKey({ exchange: "bitget", permissions: { ...TRADER, spotTrade: false }, ipWhitelist: [] });
    expect(await adapter.describeKey(credentialsOf(key))).toMatchObject({
      status: "valid",
      rawPermissions: { authorities: ["stor", "smor", "coor", "cpor", "wtor"] },
      ipRestricted: false,
      ipWhitelist: [],
      permissions: { read: true, spotTrade: false, marginTrade: false, futuresTrade: false, withdraw: false, transfer: false },
    });
  });

  it("a deleted key is revoked (40037), and so is a key string Bitget does not know as a key (40006)", async () => {
    const key = sim.createKey({ exchange: "bitget", permissions: TRADER });
    sim.deleteKey("bitget", key.apiKey);
    expect(await adapter.describeKey(credentialsOf(key))).toMatchObject({ status: "revoked", reason: "key_not_found", code: "40037" });
    const error = await firstError(adapter.exportHistory(credentialsOf(key), null));
    expect(adapter.classifyRevocation(error)).toBe("revoked");
    expect(await adapter.describeKey({ ...credentialsOf(key), apiKey: "not-a-bitget-key" })).toMatchObject({ status: "revoked", reason: "key_not_found", code: "40006" });
  });

  // A wrong secret or passphrase is answered for a key Bitget found: nothing proves deletion.
  it("a wrong secret or passphrase is ambiguous, never revoked", async () => {
    const key = sim.createKey({ exchange: "bitget", permissions: TRADER });
    const badSecret = await adapter.describeKey({ ...credentialsOf(key), secret: `${key.secret.slice(0, -4)}beef` });
    expect(badSecret).toMatchObject({ status: "ambiguous", reason: "bad_signature", code: "40009" });
    const badPassphrase = await adapter.describeKey({ ...credentialsOf(key), passphrase: "wrong" });
    expect(badPassphrase).toMatchObject({ status: "ambiguous", reason: "bad_passphrase", code: "40012" });
  });

  it("a missing passphrase is our configuration, not a revoked key", async () => {
    const key = sim.createKey({ exchange: "bitget", permissions: TRADER });
    expect(await adapter.describeKey({ apiKey: key.apiKey, secret: key.secret })).toMatchObject({ status: "ambiguous", reason: "configuration" });
  });

  it("a key bound to another IP still exists (40018): valid for a revocation check, not described", async () => {
    const key = sim.createKey({ exchange: "bitget", permissions: TRADER, ipWhitelist: ["127.0.0.1"] });
    sim.restrictKey("bitget", key.apiKey, { ipWhitelist: ["203.0.113.7"] });
    expect(await adapter.describeKey(credentialsOf(key))).toMatchObject({ status: "ambiguous", reason: "ip_not_allowed", code: "40018", keyExists: true });
    const error = await firstError(adapter.exportHistory(credentialsOf(key), null));
    expect(adapter.classifyRevocation(error)).toBe("valid");
  });

  it("a key without the permission an endpoint needs still exists (40014)", async () => {
    const key = sim.createKey({ exchange: "bitget", permissions: TRADER });
    sim.restrictKey("bitget", key.apiKey, { permissions: { read: false } });
    expect(await adapter.describeKey(credentialsOf(key))).toMatchObject({ status: "ambiguous", reason: "permission_denied", code: "40014", keyExists: true });
  });

  it("Bitget's frequency limit (429), 5xx, timeouts and malformed bodies are unreachable", async () => {
    // account/info allows one request per second per account: the second within the window is refused
    const limited = await startSim({ bitget: { windowMs: 60_000 } });
    try {
      const strict = createBitgetAdapter({ env: limited.env, enableRateLimit: false });
      const key = limited.sim.createKey({ exchange: "bitget", permissions: TRADER });
      expect(await strict.describeKey(credentialsOf(key))).toMatchObject({ status: "valid" });
      expect(await strict.describeKey(credentialsOf(key))).toMatchObject({ status: "unreachable", reason: "rate_limited" });
    } finally {
      await limited.sim.close();
    }
    const key = sim.createKey({ exchange: "bitget", permissions: TRADER });
    const credentials = credentialsOf(key);
    sim.setFault({ exchange: "bitget", kind: "error", status: 429, count: 1 });
    expect(await adapter.describeKey(credentials)).toMatchObject({ status: "unreachable", reason: "rate_limited" });
    sim.setFault({ exchange: "bitget", kind: "error", status: 503, count: 1 });
    expect(await adapter.describeKey(credentials)).toMatchObject({ status: "unreachable", reason: "exchange_unavailable" });
    sim.setFault({ exchange: "bitget", kind: "malformed", count: 1 });
    expect(await adapter.describeKey(credentials)).toMatchObject({ status: "unreachable", reason: "malformed_response" });
    sim.setFault({ exchange: "bitget", kind: "timeout", ms: 3000, count: 1 });
    expect(await createBitgetAdapter({ env, timeoutMs: 300 }).describeKey(credentials)).toMatchObject({ status: "unreachable", reason: "timeout" });
    expect(await adapter.describeKey(credentials)).toMatchObject({ status: "valid" });
  });

  it("exports spot, USDT-M and COIN-M fills value by value, over idLessThan pages and 7-day futures windows, then only newer ones", async () => {
    const key = sim.createKey({
      exchange: "bitget",
      permissions: { ...TRADER, futuresTrade: true },
      trades: {
        count: 900,
        markets: 4,
        seed: 17,
        startTime: new Date(Date.now() - 80 * DAY),
        products: { spot: { count: 900, markets: 4 }, usdm: { count: 1600, markets: 3 }, coinm: { count: 200, markets: 2 } },
      },
    });
    sim.resetStats();
    const { pages, trades, cursor } = await exportAll(adapter, credentialsOf(key));
    const stats = sim.stats().byPath;
    // every listed symbol once, the traded ones in pages of 100; futures in 7-day windows per product type
    expect(stats["/api/v2/spot/trade/fills"]).toBeGreaterThanOrEqual(18 + 4);
    expect(stats["/api/v2/mix/order/fill-history"]).toBeGreaterThanOrEqual(3 * 12);
    expect(pages.some((p) => p.trades.length === 100 && p.trades[0]?.product === "spot")).toBe(true);
    expect(pages.some((p) => p.trades.length === 100 && p.trades[0]?.product === "usdm")).toBe(true);
    expect(pages.at(-1)?.done).toBe(true);
    for (const [product, raw] of [["spot", SPOT_RAW], ["usdm", MIX_RAW], ["coinm", MIX_RAW]] as const) {
      const truth = sim.trades("bitget", key.apiKey, { product });
      expect(truth.length).toBeGreaterThan(0);
      expectSameTrades(trades.filter((t) => t.product === product), truth, raw);
    }
    // ids beyond 2^53 stay Bitget's strings
    expect(trades.every((t) => /^\d{19}$/.test(t.id))).toBe(true);
    const spot = trades.find((t) => t.product === "spot")!;
    expect(spot.symbol).toMatch(/^[A-Z]+\/(USDT|BTC)$/);
    const coinm = trades.find((t) => t.product === "coinm")!;
    expect(coinm.symbol).toBe(`${coinm.raw.marginCoin}/USD:${coinm.raw.marginCoin}`);
    // a futures fill books its realised profit and its fee in the margin coin
    const closing = trades.find((t) => t.product === "usdm" && t.raw.tradeSide === "close" && t.raw.profit !== "0")!;
    expect(Object.keys(closing.effects)).toEqual(["USDT"]);
    const notes = pages.flatMap((p) => p.notes ?? []);
    expect(notes.filter((n) => n.kind === "retention").map((n) => n.part).sort()).toEqual(["coinm", "spot", "usdm"]);
    expect(notes.filter((n) => n.kind === "unavailable").map((n) => n.part).sort()).toEqual(["isolated_margin", "margin"]);
    expect(pages.every((p) => p.progress === null || p.progress.done <= p.progress.total)).toBe(true);
    const again = await exportAll(adapter, credentialsOf(key), cursor);
    expect(again.trades).toEqual([]);
  });

  it("paced by the shared pacer and Bitget's per-endpoint limits, the export never meets a 429", async () => {
    const limited = await startSim({ bitget: {} });
    try {
      const paced = createBitgetAdapter({ env: limited.env, enableRateLimit: false });
      const key = limited.sim.createKey({ exchange: "bitget", permissions: TRADER, trades: { count: 240, markets: 3, seed: 9, startTime: new Date(Date.now() - 5 * DAY) } });
      const pacer = new CooldownPacer();
      // since the history's start: one 7-day window per product type
      const { trades } = await exportAll(paced, credentialsOf(key), null, { pacer, since: new Date(Date.now() - 6 * DAY) });
      expect(pacer.stats.rateLimited).toBe(0);
      // the symbol list, every spot symbol (the traded ones in several pages) and each product type's window
      expect(pacer.stats.requests).toBeGreaterThan(1 + 18 + 3);
      expectSameTrades(trades, limited.sim.trades("bitget", key.apiKey), SPOT_RAW);
    } finally {
      await limited.sim.close();
    }
  });

  it("leaves out what Bitget no longer serves (older than 90 days) and says so", async () => {
    const key = sim.createKey({ exchange: "bitget", permissions: TRADER, trades: { count: 400, markets: 2, seed: 5, startTime: new Date(Date.now() - 150 * DAY) } });
    const truth = sim.trades("bitget", key.apiKey);
    const { pages, trades } = await exportAll(adapter, credentialsOf(key));
    const cutoff = Date.now() - 90 * DAY;
    const byId = new Set(trades.map((t) => t.id));
    for (const t of truth.filter((t) => t.timestamp > cutoff + 60_000)) expect(byId.has(t.id), `fill ${t.id}`).toBe(true);
    expect(trades.every((t) => t.timestamp >= cutoff - 60_000)).toBe(true);
    expect(trades.length).toBeLessThan(truth.length);
    expect(pages.flatMap((p) => p.notes ?? []).find((n) => n.kind === "retention" && n.part === "spot")).toMatchObject({ kind: "retention", part: "spot" });
  });

  it("resumes from any page's cursor without losing or repeating a fill", async () => {
    const key = sim.createKey({
      exchange: "bitget",
      permissions: TRADER,
      trades: { count: 250, markets: 2, seed: 3, startTime: new Date(Date.now() - 6 * DAY), products: { spot: { count: 250, markets: 2 }, usdm: { count: 230, markets: 2 } } },
    });
    const collected: NormalizedTrade[] = [];
    let cursor: ExportCursor | null = null;
    for (let run = 0; run < 500; run++) {
      let finished = false;
      // since the history's start: one 7-day futures window per product type
      for await (const page of adapter.exportHistory(credentialsOf(key), cursor, { since: new Date(Date.now() - 7 * DAY) })) {
        collected.push(...page.trades);
        cursor = page.nextCursor;
        finished = page.done;
        break; // one page per run, as a job that keeps crashing
      }
      if (finished) break;
    }
    expectSameTrades(collected.filter((t) => t.product === "spot"), sim.trades("bitget", key.apiKey), SPOT_RAW);
    expectSameTrades(collected.filter((t) => t.product === "usdm"), sim.trades("bitget", key.apiKey, { product: "usdm" }), MIX_RAW);
  }, 60_000);

  it("turns an export failure into a typed error", async () => {
    const key = sim.createKey({ exchange: "bitget", permissions: TRADER, trades: { count: 50, markets: 1 } });
    sim.setFault({ exchange: "bitget", pathPrefix: "/api/v2/mix/order/fill-history", kind: "error", status: 503 });
    const error = await firstError(adapter.exportHistory(credentialsOf(key), null));
    expect(error).toBeInstanceOf(ExchangeAdapterError);
    expect((error as ExchangeAdapterError).classified.status).toBe("unreachable");
  });
});
