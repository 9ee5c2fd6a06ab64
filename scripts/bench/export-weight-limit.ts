import { runExport } from "@/lib/backups/export/run-export";
import type { SimPermissions, SimProduct } from "@/lib/exchange-sim";
import { BINANCE_DEFAULT_SINCE, BINANCE_HISTORY_WINDOW_MS, BINANCE_TRADES_LIMIT } from "@/lib/exchanges/binance";
import { PooledPacer } from "@/lib/exchanges/pacing/pooled-pacer";
import { createPacer } from "@/lib/exchanges/pacing/shared";
import { WeightPacer } from "@/lib/exchanges/pacing/weight-pacer";
import type { SignalAwarePacer } from "@/lib/exchanges/pacing/types";
import type { PacedOutcome, PacedRequest } from "@/lib/exchanges/types";
import { benchBinding, benchUser } from "./fixtures";
import { benchDatabase } from "./setup";
import { startSimThread, type LedgerTimes } from "./sim-thread";

// (b) A complete Binance account (spot, cross and isolated margin, USDⓈ-M and COIN-M trades,
// futures income, convert, dust, deposits and withdrawals) exported as production runs it:
// the production pacer (createPacer("weight"): one WeightPacer per pool), no full scan, no
// `since` (so transfers are read back to 2017 in 90-day windows, convert from 2019 in 30-day
// ones), against the simulator's real limits with every pool enforced: /api+/sapi 6000, /fapi
// 2400, /dapi 2400 weight per minute per IP, convert's UID weight 180000 per minute; used-weight
// headers, 429 past a limit, 418 for a client that keeps going.
//
// The bound: the four pools run in parallel, so no client can finish before the busiest pool
// has spent its weight at its limit: max over pools of weight_pool / limit_pool. The share of
// the bound is that time over the actual elapsed time, from a window boundary (the run waits
// for one) to the end of the export. A pool's weight is the exchange's own count (the
// used-weight header of every answer), not the adapter's table.
//
// The sizes make two pools the bottleneck together, so the measure shows whether the streams
// keep both busy at once rather than one after the other: spot trades weigh 20 per 1000 and
// fill /api+/sapi for about four windows; USDⓈ-M trades are cheap (5 per 1000) but each brings
// about 1.7 income rows (a commission, and a realized P&L on most), at 30 per 1000, so 160k of
// them within the 3 months of income Binance serves fill /fapi for about as long. COIN-M
// (20 + about 33 per 1000 trades, plus its income read in windows back to 2017) keeps /dapi
// busy for most of the run, and convert's 30-day windows since 2019 at 3000 UID weight each
// take the UID pool for about a minute and a half.
//
// The simulator answers after 200 ms (index.ts), about what a server in Europe sees from
// Binance: there one request at a time per pool would be the limit, not the weight (myTrades
// at 200 ms is 5 a second, all that 6000 a minute allows), which is why the adapter reads three
// markets at once. The trace below shows per pool whether it waited for its window, had
// requests in flight, or sat idle with nobody asking.

const DAY = 86_400_000;
const HOUR = 3_600_000;

export type Pool = "spot" | "fapi" | "dapi" | "uid";
export const POOLS: readonly Pool[] = ["spot", "fapi", "dapi", "uid"];
const POOL_NAMES: Record<Pool, string> = { spot: "/api+/sapi", fapi: "/fapi", dapi: "/dapi", uid: "UID (convert)" };

type TradeProduct = Exclude<SimProduct, "option">;
const PRODUCTS: readonly TradeProduct[] = ["spot", "margin", "isolated_margin", "usdm", "coinm"];

// Where Binance's history starts and the longest window each endpoint accepts (the
// simulator's rules, as Binance documents them): what the fewest requests follow from.
const CONVERT_LAUNCH = Date.parse("2019-01-01T00:00:00Z");
const CONVERT_WINDOW_MS = 30 * DAY;
const COINM_INCOME_WINDOW_MS = 365 * DAY;
const USDM_INCOME_RETENTION_MS = 90 * DAY;
const PAGE = 1000;
const DUST_PAGE = 100;

const FULL_ACCOUNT: SimPermissions = { read: true, spotTrade: true, marginTrade: true, futuresTrade: true, withdraw: false, transfer: false };

export interface WeightLimitOptions {
  /** Trades and markets per product. */
  products: Record<TradeProduct, { count: number; markets: number }>;
  ledger: { converts: number; dust: number; income: number };
  /** Weight per window per pool: Binance's are 6000, 2400, 2400 and 180000 per 60 s. Scaled (same per second) only for --quick. */
  limits: Record<Pool, number>;
  windowMs: number;
  /** Only for --quick: a nearer start for time-ordered history, so the scaled UID pool is not the whole run. */
  sinceDays?: number;
  /** Added to every answer of the simulator (ms). */
  latencyMs: number;
}

export interface PoolResult {
  pool: Pool;
  name: string;
  limit: number;
  /** The exchange's count over the run. */
  weight: number;
  /** weight / limit, in windows: the time this pool needs at its limit. */
  windowsNeeded: number;
  /** weight / (limit x elapsed). */
  shareOfElapsed: number;
  /** Highest used weight reported per window of the run. */
  perWindow: number[];
  requests: number;
  minimum: number;
  rateLimited429: number;
  banned418: number;
  /** How the pool's time went, from its first request to its last answer. */
  pacerWaits: number;
  pacerWaitMs: number;
  inFlightMs: number;
  /** Neither waiting in the pacer nor in flight: the stream computing, or its page waiting to be stored. */
  idleMs: number;
  spanMs: number;
  /** Seconds from the start to this pool's last answer. */
  lastAnswerSeconds: number;
}

export interface WeightLimitResult extends WeightLimitOptions {
  elapsedSeconds: number;
  busiest: Pool;
  /** max over pools of weight / limit, in seconds. */
  boundSeconds: number;
  fraction: number;
  wholeWindows: number;
  pools: PoolResult[];
  /** After the streams: when their last page was stored, reading the balances, then the last page and the coverage report. */
  tail: { lastStreamPageSeconds: number; balancesSeconds: number; finishSeconds: number };
  rateLimited429: number;
  banned418: number;
  requests: number;
  minimum: number;
  ratio: number;
  byPath: Record<string, number>;
  stored: { trades: Record<TradeProduct, number>; income: number; transfers: number; conversions: number };
  records: number;
  recordsPerSecond: number;
  marketsTraded: number;
  /** Trade-history requests per endpoint beside Σ ⌈trades / 1000⌉ over its markets (margin: cross and isolated). */
  tradeRequests: Array<{ endpoint: string; requests: number; minimum: number }>;
  /** Trade-history answers that were empty: markets asked about but never traded (or ending at a multiple of 1000). */
  emptyTradePages: number;
}

function poolOfPath(path: string): Pool {
  if (path.startsWith("/fapi")) return "fapi";
  if (path.startsWith("/dapi")) return "dapi";
  if (path === "/sapi/v1/convert/tradeFlow") return "uid";
  return "spot";
}

/** Requests for records in time windows of `windowMs` from `from` to `to`: each at least one, `page` records a request. */
function windowedRequests(times: number[], from: number, to: number, windowMs: number, page: number): number {
  let requests = 0;
  for (let start = from; start < to; start += windowMs) {
    const n = times.filter((t) => t >= start && t < start + windowMs).length;
    requests += Math.max(1, Math.ceil(n / page));
  }
  return requests;
}

interface PoolTrace {
  perWindow: Map<number, number>;
  pacerMs: number;
  inFlightMs: number;
  idleMs: number;
  first: number | null;
  last: number | null;
  inFlight: number;
}

/**
 * Wraps the production pacer to see, per pool, what the exchange counted (the used-weight
 * header, per window of the time a request was let through) and where the pool's time went:
 * waiting in the pacer, in flight, or idle (nobody asking).
 */
function tracing(inner: SignalAwarePacer, windowMs: number) {
  const traces = new Map<Pool, PoolTrace>(POOLS.map((p) => [p, { perWindow: new Map(), pacerMs: 0, inFlightMs: 0, idleMs: 0, first: null, last: null, inFlight: 0 }]));
  const sentAt = new Map<PacedRequest, number>();
  const traceOf = (request: PacedRequest) => traces.get((request.pool ?? "spot") as Pool) ?? traces.get("spot")!;
  const pacer: SignalAwarePacer = {
    get stats() {
      return inner.stats;
    },
    async beforeRequest(request: PacedRequest, signal?: AbortSignal) {
      const t = traceOf(request);
      const asked = Date.now();
      t.first ??= asked;
      if (t.inFlight === 0 && t.last !== null) t.idleMs += Math.max(0, asked - t.last);
      await inner.beforeRequest(request, signal);
      const now = Date.now();
      t.pacerMs += now - asked;
      t.inFlight++;
      sentAt.set(request, now);
    },
    // the limit exchangeInfo states reaches the pacer as in production (lib/exchanges/binance)
    declareLimit: (request: PacedRequest, limit: number) => inner.declareLimit?.(request, limit),
    afterResponse(request: PacedRequest, outcome: PacedOutcome) {
      const t = traceOf(request);
      const now = Date.now();
      const sent = sentAt.get(request) ?? now;
      sentAt.delete(request);
      t.inFlight--;
      t.inFlightMs += now - sent;
      t.last = now;
      const header = request.pool === "uid" ? "x-sapi-used-uid-weight-1m" : "x-mbx-used-weight-1m";
      const used = Number(outcome.headers[header]);
      const window = Math.floor(sent / windowMs);
      if (!outcome.error && Number.isFinite(used)) t.perWindow.set(window, Math.max(t.perWindow.get(window) ?? 0, used));
      inner.afterResponse(request, outcome);
    },
  };
  return { pacer, traces };
}

export async function benchExportAtWeightLimit(options: WeightLimitOptions): Promise<WeightLimitResult> {
  const { limits, windowMs } = options;
  const database = await benchDatabase("limit");
  const sim = await startSimThread({
    seed: 2,
    binance: { weightLimitPerMinute: limits.spot, fapiWeightLimitPerMinute: limits.fapi, dapiWeightLimitPerMinute: limits.dapi, uidWeightLimitPerMinute: limits.uid, windowMs },
  });
  try {
    const { client } = database;
    const userId = await benchUser(client);
    const created = Date.now();
    const end = new Date(created - HOUR);
    // Every product within the 6 months Binance serves futures trades; USDⓈ-M within the 3
    // months of its income, so every record of the account can be exported.
    const start = (days: number) => new Date(created - days * DAY);
    const p = options.products;
    const key = await sim.createKey({
      exchange: "binance",
      label: "bench",
      permissions: FULL_ACCOUNT,
      trades: {
        count: p.spot.count,
        markets: p.spot.markets,
        seed: 21,
        startTime: start(170),
        endTime: end,
        products: {
          margin: { ...p.margin },
          isolated_margin: { ...p.isolated_margin },
          usdm: { ...p.usdm, startTime: start(85) },
          coinm: { ...p.coinm },
        },
      },
      ledger: options.ledger,
    });
    const bindingId = await benchBinding(client, userId, key);
    const job = await client.exportJob.create({ data: { userId, bindingId, fullScan: false }, select: { id: true } });
    // The simulator builds a complete account's wallets on first use (a pass over every
    // trade): done now, so the run does not wait for it.
    await sim.markets("binance", key.apiKey);
    if (options.latencyMs > 0) await sim.setFault({ exchange: "binance", kind: "latency", ms: options.latencyMs });

    // The pacer production uses; for --quick the same one with scaled windows.
    const real = limits.spot === 6000 && limits.fapi === 2400 && limits.dapi === 2400 && limits.uid === 180_000 && windowMs === 60_000;
    const inner = real
      ? createPacer("weight")
      : new PooledPacer(new WeightPacer({ limit: limits.spot, windowMs }), {
          fapi: new WeightPacer({ limit: limits.fapi, windowMs }),
          dapi: new WeightPacer({ limit: limits.dapi, windowMs }),
          uid: new WeightPacer({ limit: limits.uid, windowMs, usedWeightHeader: "x-sapi-used-uid-weight-1m" }),
        });
    if (!(inner instanceof PooledPacer)) throw new Error("(b) createPacer(\"weight\") is no longer a PooledPacer: the benchmark reads its pools");
    const { pacer, traces } = tracing(inner, windowMs);

    let records = 0;
    let emptyTradePages = 0;
    const marks = { lastStreamPage: 0, balancesRead: 0 };
    const since = options.sinceDays ? new Date(Date.now() - options.sinceDays * DAY) : undefined;
    // Start on a window boundary: every pool's first window is then a whole one.
    const t0 = Math.ceil(Date.now() / windowMs) * windowMs;
    await new Promise((resolve) => setTimeout(resolve, t0 - Date.now()));
    const result = await runExport(client, job.id, {
      env: { EXCHANGE_ORIGIN_BINANCE: sim.origin, EXCHANGE_TIMEOUT_MS: "10000" },
      pacer,
      ...(since ? { since } : {}),
      onPage: ({ phase, page }) => {
        if (phase === "fetched" && page.market && page.trades.length === 0 && !page.notes?.length) emptyTradePages++;
        if (phase === "fetched" && page.done) marks.balancesRead = Date.now();
        if (phase === "committed" && !page.done) marks.lastStreamPage = Date.now();
        if (phase === "committed") records += page.trades.length + (page.income?.length ?? 0) + (page.transfers?.length ?? 0) + (page.conversions?.length ?? 0);
      },
    });
    const finished = Date.now();
    if (result.status !== "SUCCEEDED") throw new Error(`(b) the export ended ${result.status}: ${result.error ?? ""}`);
    const elapsedMs = finished - t0;

    // Ground truth: every trade of every product stored, and every other record.
    const storedTrades = {} as Record<TradeProduct, number>;
    const truthByProduct = {} as Record<TradeProduct, Record<string, number>>;
    const stored = await client.tradeRecord.groupBy({ by: ["product", "market"], where: { bindingId }, _count: { _all: true } });
    for (const product of PRODUCTS) {
      const truth = await sim.tradesPerMarket("binance", key.apiKey, product);
      truthByProduct[product] = truth;
      const mine = stored.filter((row) => row.product === product);
      for (const [market, count] of Object.entries(truth)) {
        const got = mine.find((row) => row.market === market)?._count._all ?? 0;
        if (got !== count) throw new Error(`(b) ${product} ${market}: ${got} trades stored, the exchange has ${count}`);
      }
      storedTrades[product] = mine.reduce((sum, row) => sum + row._count._all, 0);
    }
    const ledger: LedgerTimes = await sim.ledgerTimes("binance", key.apiKey);
    const storedOther = {
      income: await client.incomeEntry.count({ where: { bindingId } }),
      transfers: await client.transfer.count({ where: { bindingId } }),
      conversions: await client.conversion.count({ where: { bindingId } }),
    };
    for (const what of ["income", "transfers", "conversions"] as const) {
      if (storedOther[what] !== ledger.records[what]) throw new Error(`(b) ${what}: ${storedOther[what]} stored, the exchange has ${ledger.records[what]}`);
    }

    // The fewest requests per pool for these records: one per 1000 trades of each market, per
    // window each time-ordered endpoint accepts (and per full page in it), plus the listings
    // and balances the export needs (exchangeInfo; account, margin and isolated accounts and
    // futures balances once to find the markets and once at the end for the reconciliation).
    const pages = (product: TradeProduct) => Object.values(truthByProduct[product]).reduce((sum, n) => sum + Math.ceil(n / BINANCE_TRADES_LIMIT), 0);
    const from = Math.max(BINANCE_DEFAULT_SINCE.getTime(), since?.getTime() ?? Number.NEGATIVE_INFINITY);
    const times = (series: string) => ledger.times[series] ?? [];
    const minimum: Record<Pool, number> = {
      spot:
        1 + 2 * 3 + 1 + 1 +
        windowedRequests(times("deposits"), from, t0, BINANCE_HISTORY_WINDOW_MS, PAGE) +
        windowedRequests(times("withdrawals"), from, t0, BINANCE_HISTORY_WINDOW_MS, PAGE) +
        Math.max(1, Math.ceil(times("dust").length / DUST_PAGE)) +
        pages("spot") + pages("margin") + pages("isolated_margin"),
      fapi: 1 + 2 + pages("usdm") + windowedRequests(times("usdmIncome"), t0 - USDM_INCOME_RETENTION_MS, t0, USDM_INCOME_RETENTION_MS, PAGE),
      dapi: 1 + 2 + pages("coinm") + windowedRequests(times("coinmIncome"), from, t0, COINM_INCOME_WINDOW_MS, PAGE),
      uid: windowedRequests(times("convert"), Math.max(CONVERT_LAUNCH, from), t0, CONVERT_WINDOW_MS, PAGE),
    };

    const stats = await sim.stats();
    const requestsOf: Record<Pool, number> = { spot: 0, fapi: 0, dapi: 0, uid: 0 };
    for (const [path, count] of Object.entries(stats.byPath)) requestsOf[poolOfPath(path)] += count;
    const pools: PoolResult[] = POOLS.map((pool) => {
      const t = traces.get(pool)!;
      const perWindow = [...t.perWindow.entries()].sort(([a], [b]) => a - b).map(([, used]) => used);
      const weight = perWindow.reduce((sum, w) => sum + w, 0);
      const s = inner.pacerOf(pool).stats;
      const spanMs = t.first !== null && t.last !== null ? t.last - t.first : 0;
      return {
        pool,
        name: POOL_NAMES[pool],
        limit: limits[pool],
        weight,
        windowsNeeded: weight / limits[pool],
        shareOfElapsed: (weight / limits[pool]) * (windowMs / elapsedMs),
        perWindow,
        requests: requestsOf[pool],
        minimum: minimum[pool],
        rateLimited429: stats.binance.pools[pool].rateLimited429,
        banned418: stats.binance.pools[pool].banned418,
        pacerWaits: s.waits,
        pacerWaitMs: t.pacerMs,
        inFlightMs: t.inFlightMs,
        idleMs: t.idleMs,
        spanMs,
        lastAnswerSeconds: t.last !== null ? (t.last - t0) / 1000 : 0,
      };
    });
    const busiest = pools.reduce((a, b) => (b.windowsNeeded > a.windowsNeeded ? b : a));
    const boundSeconds = (busiest.windowsNeeded * windowMs) / 1000;
    const requests = pools.reduce((sum, x) => sum + x.requests, 0);
    const minimumTotal = pools.reduce((sum, x) => sum + x.minimum, 0);
    return {
      ...options,
      elapsedSeconds: elapsedMs / 1000,
      busiest: busiest.pool,
      boundSeconds,
      fraction: boundSeconds / (elapsedMs / 1000),
      wholeWindows: Math.floor(elapsedMs / windowMs),
      pools,
      tail: {
        balancesSeconds: (marks.balancesRead - marks.lastStreamPage) / 1000,
        finishSeconds: (finished - marks.balancesRead) / 1000,
        lastStreamPageSeconds: (marks.lastStreamPage - t0) / 1000,
      },
      rateLimited429: pools.reduce((sum, x) => sum + x.rateLimited429, 0),
      banned418: pools.reduce((sum, x) => sum + x.banned418, 0),
      requests,
      minimum: minimumTotal,
      ratio: requests / minimumTotal,
      byPath: stats.byPath,
      stored: { trades: storedTrades, ...storedOther },
      records,
      recordsPerSecond: records / (elapsedMs / 1000),
      marketsTraded: PRODUCTS.reduce((sum, product) => sum + Object.keys(truthByProduct[product]).length, 0),
      tradeRequests: [
        { endpoint: "/api/v3/myTrades", requests: stats.byPath["/api/v3/myTrades"] ?? 0, minimum: pages("spot") },
        { endpoint: "/sapi/v1/margin/myTrades", requests: stats.byPath["/sapi/v1/margin/myTrades"] ?? 0, minimum: pages("margin") + pages("isolated_margin") },
        { endpoint: "/fapi/v1/userTrades", requests: stats.byPath["/fapi/v1/userTrades"] ?? 0, minimum: pages("usdm") },
        { endpoint: "/dapi/v1/userTrades", requests: stats.byPath["/dapi/v1/userTrades"] ?? 0, minimum: pages("coinm") },
      ],
      emptyTradePages,
    };
  } finally {
    await sim.close();
    await database.close();
  }
}
