import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { ExchangeSim } from "@/lib/exchange-sim";
import { ExchangeAdapterError } from "@/lib/exchanges/errors";
import { createKucoinAdapter } from "@/lib/exchanges/kucoin";
import type { ExchangeAdapter, ExportCursor, NormalizedTrade } from "@/lib/exchanges/types";
import { credentialsOf, expectSameTrades, exportAll, firstError, startSim } from "./harness";

const DAY = 86_400_000;
const TRADER = { read: true, spotTrade: true, marginTrade: false, futuresTrade: false, withdraw: false, transfer: false };
const RAW = { price: "price", amount: "size", cost: "funds" };

describe("KuCoin adapter against the simulator, through ccxt's kucoin class", () => {
  let sim: ExchangeSim;
  let env: Record<string, string>;
  let adapter: ExchangeAdapter;

  beforeAll(async () => {
    ({ sim, env } = await startSim());
    adapter = createKucoinAdapter({ env, enableRateLimit: false });
  });
  afterAll(async () => sim?.close());
  afterEach(() => {
    sim.clearFaults();
    sim.resetRateLimits();
  });

  it("describes a valid key from GET /api/v1/user/api-key: permissions, IP whitelist, remark, creation", async () => {
    const createdAt = new Date("2026-03-04T05:06:07.000Z");
    const key = sim.createKey({
      exchange: "kucoin",
      label: "MyITS bot",
      permissions: { ...TRADER, marginTrade: true, transfer: true, withdraw: true },
      ipWhitelist: ["127.0.0.1", "10.0.0.2"],
      createdAt,
    });
    expect(key.passphrase).toBeTruthy();
    expect(key.apiKey).toMatch(/^[0-9a-f]{24}$/);
    expect(await adapter.describeKey(credentialsOf(key))).toMatchObject({
      status: "valid",
      permissions: { read: true, spotTrade: true, marginTrade: true, futuresTrade: false, withdraw: true, transfer: true, other: [] },
      rawPermissions: "General,Spot,Margin,InnerTransfer,Withdrawal",
      ipRestricted: true,
      ipWhitelist: ["127.0.0.1", "10.0.0.2"],
      label: "MyITS bot",
      createdAt,
      expiresAt: null,
      permissionsKnown: true,
    });
  });

  it("a general-only key without IP restriction shows what it may not do", async () => {
    const key = sim.createKey({ exchange: "kucoin", permissions: { ...TRADER, spotTrade: false }, ipWhitelist: [] });
    expect(await adapter.describeKey(credentialsOf(key))).toMatchObject({
      status: "valid",
      rawPermissions: "General",
      ipRestricted: false,
      ipWhitelist: [],
      permissions: { read: true, spotTrade: false, marginTrade: false, withdraw: false, transfer: false },
    });
  });

  it("a deleted key is revoked (400003)", async () => {
    const key = sim.createKey({ exchange: "kucoin", permissions: TRADER });
    sim.deleteKey("kucoin", key.apiKey);
    expect(await adapter.describeKey(credentialsOf(key))).toMatchObject({ status: "revoked", reason: "key_not_found", code: "400003" });
    const error = await firstError(adapter.exportHistory(credentialsOf(key), null));
    expect(adapter.classifyRevocation(error)).toBe("revoked");
  });

  // A wrong secret or passphrase is answered for a key id KuCoin found: nothing proves deletion.
  it("a wrong secret or passphrase is ambiguous, never revoked", async () => {
    const key = sim.createKey({ exchange: "kucoin", permissions: TRADER });
    const badSecret = await adapter.describeKey({ ...credentialsOf(key), secret: `${key.secret.slice(0, -4)}beef` });
    expect(badSecret).toMatchObject({ status: "ambiguous", reason: "bad_signature", code: "400005" });
    const badPassphrase = await adapter.describeKey({ ...credentialsOf(key), passphrase: "wrong" });
    expect(badPassphrase).toMatchObject({ status: "ambiguous", reason: "bad_passphrase", code: "400004" });
  });

  it("a missing passphrase is our configuration, not a revoked key", async () => {
    const key = sim.createKey({ exchange: "kucoin", permissions: TRADER });
    expect(await adapter.describeKey({ apiKey: key.apiKey, secret: key.secret })).toMatchObject({ status: "ambiguous", reason: "configuration" });
  });

  // The case issue 12 is about: the generic adapter called this "revoked".
  it("a key restricted to another IP still exists (400006): valid for a revocation check, not described", async () => {
    const key = sim.createKey({ exchange: "kucoin", permissions: TRADER, ipWhitelist: ["127.0.0.1"] });
    sim.restrictKey("kucoin", key.apiKey, { ipWhitelist: ["203.0.113.7"] });
    expect(await adapter.describeKey(credentialsOf(key))).toMatchObject({ status: "ambiguous", reason: "ip_not_allowed", code: "400006", keyExists: true });
    const error = await firstError(adapter.exportHistory(credentialsOf(key), null));
    expect(adapter.classifyRevocation(error)).toBe("valid");
  });

  it("a key without the permission an endpoint needs still exists (400007)", async () => {
    const key = sim.createKey({ exchange: "kucoin", permissions: TRADER });
    sim.restrictKey("kucoin", key.apiKey, { permissions: { read: false } });
    expect(await adapter.describeKey(credentialsOf(key))).toMatchObject({ status: "ambiguous", reason: "permission_denied", code: "400007", keyExists: true });
  });

  it("KuCoin's own rate limit (429000, gw-ratelimit-reset), 5xx, timeouts and malformed bodies are unreachable", async () => {
    const limited = await startSim({ kucoin: { weightPerWindow: 30, windowMs: 60_000 } });
    try {
      const strict = createKucoinAdapter({ env: limited.env, enableRateLimit: false });
      const key = limited.sim.createKey({ exchange: "kucoin", permissions: TRADER });
      expect(await strict.describeKey(credentialsOf(key))).toMatchObject({ status: "valid" });
      const refused = await strict.describeKey(credentialsOf(key));
      expect(refused).toMatchObject({ status: "unreachable", reason: "rate_limited" });
    } finally {
      await limited.sim.close();
    }
    const key = sim.createKey({ exchange: "kucoin", permissions: TRADER });
    const credentials = credentialsOf(key);
    sim.setFault({ exchange: "kucoin", kind: "error", status: 429, count: 1 });
    expect(await adapter.describeKey(credentials)).toMatchObject({ status: "unreachable", reason: "rate_limited" });
    sim.setFault({ exchange: "kucoin", kind: "error", status: 503, count: 1 });
    expect(await adapter.describeKey(credentials)).toMatchObject({ status: "unreachable", reason: "exchange_unavailable" });
    sim.setFault({ exchange: "kucoin", kind: "malformed", count: 1 });
    expect(await adapter.describeKey(credentials)).toMatchObject({ status: "unreachable", reason: "malformed_response" });
    sim.setFault({ exchange: "kucoin", kind: "timeout", ms: 3000, count: 1 });
    expect(await createKucoinAdapter({ env, timeoutMs: 300 }).describeKey(credentials)).toMatchObject({ status: "unreachable", reason: "timeout" });
    expect(await adapter.describeKey(credentials)).toMatchObject({ status: "valid" });
  });

  it("exports spot, cross and isolated margin fills value by value, over 7-day windows and lastId pages, then only newer ones", async () => {
    const key = sim.createKey({
      exchange: "kucoin",
      permissions: { ...TRADER, marginTrade: true },
      trades: {
        count: 900,
        markets: 4,
        seed: 17,
        startTime: new Date(Date.now() - 80 * DAY),
        products: { spot: { count: 2500, markets: 4 }, margin: { count: 500, markets: 2 }, isolated_margin: { count: 260, markets: 2 } },
      },
    });
    sim.resetStats();
    const { pages, trades, cursor } = await exportAll(adapter, credentialsOf(key));
    const stats = sim.stats().byPath;
    // each symbol in 7-day windows over 3 months, some windows in several pages
    expect(stats["/api/v1/hf/fills"]).toBeGreaterThan(20 * 12);
    expect(stats["/api/v3/hf/margin/fills"]).toBeGreaterThan(0);
    expect(pages.some((p) => p.trades.length === 100)).toBe(true);
    expect(pages.at(-1)?.done).toBe(true);
    for (const product of ["spot", "margin", "isolated_margin"] as const) {
      const truth = sim.trades("kucoin", key.apiKey, { product });
      expect(truth.length).toBeGreaterThan(0);
      const exported = trades.filter((t) => t.product === product);
      expectSameTrades(exported, truth, RAW);
      for (const t of exported) expect(t.symbol).toBe(t.market.replace("-", "/"));
    }
    const notes = pages.flatMap((p) => p.notes ?? []);
    expect(notes.filter((n) => n.kind === "retention").map((n) => n.part).sort()).toEqual(["isolated_margin", "margin", "spot"]);
    expect(notes.filter((n) => n.kind === "unavailable").map((n) => n.part).sort()).toEqual(["coinm", "usdm"]);
    const again = await exportAll(adapter, credentialsOf(key), cursor);
    expect(again.trades).toEqual([]);
  });

  it("leaves out what KuCoin no longer serves (older than 3 months) and says so", async () => {
    const key = sim.createKey({ exchange: "kucoin", permissions: TRADER, trades: { count: 400, markets: 2, seed: 5, startTime: new Date(Date.now() - 150 * DAY) } });
    const truth = sim.trades("kucoin", key.apiKey);
    const { pages, trades } = await exportAll(adapter, credentialsOf(key));
    const cutoff = Date.now() - 90 * DAY;
    const served = truth.filter((t) => t.timestamp > cutoff + 60_000);
    const byId = new Set(trades.map((t) => t.id));
    for (const t of served) expect(byId.has(t.id), `fill ${t.id}`).toBe(true);
    expect(trades.every((t) => t.timestamp >= cutoff - 60_000)).toBe(true);
    expect(trades.length).toBeLessThan(truth.length);
    const retention = pages.flatMap((p) => p.notes ?? []).find((n) => n.kind === "retention" && n.part === "spot");
    expect(retention).toMatchObject({ kind: "retention", part: "spot" });
  });

  it("resumes from any page's cursor without losing or repeating a fill", async () => {
    const key = sim.createKey({ exchange: "kucoin", permissions: TRADER, trades: { count: 300, markets: 2, seed: 3, startTime: new Date(Date.now() - 3 * DAY) } });
    const truth = sim.trades("kucoin", key.apiKey);
    const collected: NormalizedTrade[] = [];
    let cursor: ExportCursor | null = null;
    for (let run = 0; run < 500; run++) {
      let finished = false;
      for await (const page of adapter.exportHistory(credentialsOf(key), cursor)) {
        collected.push(...page.trades);
        cursor = page.nextCursor;
        finished = page.done;
        break; // one page per run, as a job that keeps crashing
      }
      if (finished) break;
    }
    expectSameTrades(collected, truth, RAW);
    // one run per page: every symbol's window is a run, each with its own ccxt instance
  }, 180_000);

  it("turns an export failure into a typed error", async () => {
    const key = sim.createKey({ exchange: "kucoin", permissions: TRADER, trades: { count: 50, markets: 1 } });
    sim.setFault({ exchange: "kucoin", pathPrefix: "/api/v1/hf/fills", kind: "error", status: 503 });
    const error = await firstError(adapter.exportHistory(credentialsOf(key), null));
    expect(error).toBeInstanceOf(ExchangeAdapterError);
    expect((error as ExchangeAdapterError).classified.status).toBe("unreachable");
  });
});
