// The Bitget v2 REST dialect: public time and spot symbols; the private account information,
// spot balances (spot/account/assets), spot fills and futures fill history, with Bitget's paging rules:
// - spot (GET /api/v2/spot/trade/fills): one `symbol` per query; fills of the last 90 days only,
//   startTime..endTime at most 90 days apart (none given: the last 90 days); newest first,
//   `limit` 1..100 (default 100), `idLessThan` = older than that tradeId;
// - futures (GET /api/v2/mix/order/fill-history): `productType` required (USDT-FUTURES,
//   COIN-FUTURES, USDC-FUTURES; any case), symbol optional; startTime..endTime at most 7 days
//   apart (none given: the last 7 days; one given: 7 days from it), the last 90 days served;
//   newest first, `limit` 1..100, `idLessThan` = the previous page's `endId`.
// Bitget's per-UID (private) and per-IP (public) frequency limits, per endpoint and second,
// answer 429 past them; off unless configured, like the other dialects' limits.
// https://www.bitget.com/api-doc/spot/trade/Get-Fills
// https://www.bitget.com/api-doc/contract/trade/Get-Fill-History
// https://www.bitget.com/api-doc/spot/account/Get-Account-Info

import { marketId } from "../catalogue";
import { permits, type RouteAccess } from "../dialect";
import { routeKey, type SimRequest, type SimResponse } from "../http";
import type { KeyRecord, KeyStore } from "../keys";
import { firstAtOrAfter, lowerBound, marketTrades, allTrades, type TradeSlice } from "../paging";
import { RequestLimiter } from "../request-limiter";
import type { TradeHistory } from "../trades";
import type { SimProduct } from "../types";
import { authenticateBitget } from "./auth";
import { bitgetErrors, bitgetOk } from "./errors";
import { bitgetAccountInfo, bitgetSpotAssets, bitgetSymbols, bitgetTrade, bitgetTradeId } from "./records";

const DAY = 86_400_000;
export const BITGET_SPOT_RETENTION_MS = 90 * DAY;
export const BITGET_SPOT_MAX_RANGE_MS = 90 * DAY;
export const BITGET_MIX_RETENTION_MS = 90 * DAY;
export const BITGET_MIX_MAX_RANGE_MS = 7 * DAY;

/** Turns Bitget's documented frequency limits on; `windowMs` (default 1 s) stretches them for tests. */
export interface BitgetLimits {
  windowMs?: number;
  /** Requests per window per endpoint, replacing the documented figure (e.g. { "/api/v2/spot/trade/fills": 3 }). */
  perEndpoint?: Record<string, number>;
}

type Query = URLSearchParams;

function intParam(q: Query, name: string): number | undefined | null {
  const v = q.get(name);
  if (v === null || v === "") return undefined;
  return /^\d{1,16}$/.test(v) ? Number(v) : null;
}

function idParam(q: Query): bigint | undefined | null {
  const v = q.get("idLessThan");
  if (v === null || v === "") return undefined;
  return /^\d{1,20}$/.test(v) ? BigInt(v) : null;
}

interface Range {
  from: number;
  to: number;
}

/** startTime/endTime (inclusive) with the endpoint's default span, longest span and retention. */
function range(req: SimRequest, maxSpan: number, retention: number): Range | string {
  const q = req.query;
  const start = intParam(q, "startTime");
  const end = intParam(q, "endTime");
  if (start === null || end === null) return "startTime and endTime are Unix millisecond timestamps";
  let from: number;
  let to: number;
  if (start === undefined && end === undefined) [from, to] = [req.now - maxSpan, req.now];
  else if (end === undefined) [from, to] = [start!, start! + maxSpan];
  else if (start === undefined) [from, to] = [end - maxSpan, end];
  else [from, to] = [start, end];
  if (to - from > maxSpan) return `The interval between startTime and endTime must not exceed ${Math.round(maxSpan / DAY)} days`;
  return { from: Math.max(from, req.now - retention), to: Math.min(to, req.now) };
}

/** Newest first: the trades of a slice in [from, to] whose id is below `below`, at most `limit`. */
function page(h: TradeHistory, slice: TradeSlice, r: Range, below: bigint | undefined, limit: number): Record<string, unknown>[] {
  if (r.to < r.from) return [];
  const lo = firstAtOrAfter(h, slice, r.from);
  let hi = firstAtOrAfter(h, slice, r.to + 1);
  if (below !== undefined) hi = Math.min(hi, lowerBound(slice, (i) => bitgetTradeId(h, i) >= below));
  const out: Record<string, unknown>[] = [];
  for (let k = hi - 1; k >= Math.max(lo, hi - limit); k--) out.push(bitgetTrade(h, h.core(slice.at(k), slice.market)).raw);
  return out;
}

function limitParam(q: Query): number | null {
  const limit = intParam(q, "limit") ?? 100;
  return limit === null || limit < 1 || limit > 100 ? null : limit;
}

function spotFills(req: SimRequest, key: KeyRecord): SimResponse {
  const q = req.query;
  const symbol = q.get("symbol") ?? "";
  if (symbol === "") return bitgetErrors.param("Parameter symbol cannot be empty", req.now);
  const limit = limitParam(q);
  const below = idParam(q);
  if (limit === null) return bitgetErrors.param("limit must be between 1 and 100", req.now);
  if (below === null) return bitgetErrors.param("idLessThan must be a tradeId", req.now);
  const r = range(req, BITGET_SPOT_MAX_RANGE_MS, BITGET_SPOT_RETENTION_MS);
  if (typeof r === "string") return bitgetErrors.param(r, req.now);
  const h = key.historyOf("spot");
  const m = h ? h.markets.findIndex((spec) => marketId("bitget", spec) === symbol) : -1;
  if (!h || m < 0) return bitgetOk([], req.now);
  return bitgetOk(page(h, marketTrades(h, m), r, below, limit), req.now);
}

const PRODUCT_TYPES: Record<string, { product: SimProduct; margin: string | null }> = {
  "USDT-FUTURES": { product: "usdm", margin: "USDT" },
  "USDC-FUTURES": { product: "usdm", margin: "USDC" },
  "COIN-FUTURES": { product: "coinm", margin: null },
};

/** One product type's trades of a history, as a slice (a symbol's, or every symbol's of that margin coin). */
function mixSlice(h: TradeHistory, margin: string | null, symbol: string): TradeSlice | null {
  const fits = (i: number) => margin === null || h.markets[i]!.quote === margin;
  if (symbol !== "") {
    const m = h.markets.findIndex((spec, i) => fits(i) && marketId("bitget", spec) === symbol);
    return m < 0 ? null : marketTrades(h, m);
  }
  if (h.markets.every((_, i) => fits(i))) return allTrades(h);
  // a product type covering only some of the history's markets: their trades, merged in order
  const indices = h.markets.flatMap((_, m) => (fits(m) ? Array.from(h.positions(m)) : [])).sort((a, b) => a - b);
  return { length: indices.length, at: (k) => indices[k]! };
}

function mixFills(req: SimRequest, key: KeyRecord): SimResponse {
  const q = req.query;
  const type = PRODUCT_TYPES[(q.get("productType") ?? "").toUpperCase()];
  if (!type) return bitgetErrors.param("Parameter productType error", req.now);
  const limit = limitParam(q);
  const below = idParam(q);
  if (limit === null) return bitgetErrors.param("limit must be between 1 and 100", req.now);
  if (below === null) return bitgetErrors.param("idLessThan must be an endId", req.now);
  const r = range(req, BITGET_MIX_MAX_RANGE_MS, BITGET_MIX_RETENTION_MS);
  if (typeof r === "string") return bitgetErrors.param(r, req.now);
  const h = key.historyOf(type.product);
  const slice = h ? mixSlice(h, type.margin, q.get("symbol") ?? "") : null;
  const fillList = h && slice ? page(h, slice, r, below, limit) : [];
  return bitgetOk({ fillList, endId: (fillList.at(-1)?.tradeId as string | undefined) ?? null }, req.now);
}

interface Route {
  access: RouteAccess;
  /** Bitget's documented frequency limit, requests per second (per UID, per IP when public). */
  perSecond: number;
  run(req: SimRequest, key: KeyRecord | null): SimResponse;
}

const ROUTES: Record<string, Route> = {
  [routeKey("GET", "/api/v2/public/time")]: { access: "public", perSecond: 20, run: (req) => bitgetOk({ serverTime: String(req.now) }, req.now) },
  [routeKey("GET", "/api/v2/spot/public/symbols")]: { access: "public", perSecond: 20, run: (req) => bitgetOk(bitgetSymbols(), req.now) },
  // "SPOT read or SPOT read/write permission needed"
  [routeKey("GET", "/api/v2/spot/account/info")]: { access: "read", perSecond: 1, run: (req, key) => bitgetOk(bitgetAccountInfo(key!), req.now) },
  [routeKey("GET", "/api/v2/spot/account/assets")]: { access: "read", perSecond: 10, run: (req, key) => bitgetOk(bitgetSpotAssets(key!, req.now), req.now) },
  [routeKey("GET", "/api/v2/spot/trade/fills")]: { access: "read", perSecond: 10, run: (req, key) => spotFills(req, key!) },
  [routeKey("GET", "/api/v2/mix/order/fill-history")]: { access: "read", perSecond: 10, run: (req, key) => mixFills(req, key!) },
};

/** The paths of Bitget's v2 API sections (and nothing another dialect serves). */
export function isBitgetPath(path: string): boolean {
  return /^\/api\/v2\/(spot|mix|public|margin|user|common|tax|earn|broker|copy|convert|p2p)\//.test(path);
}

export class BitgetDialect {
  private readonly limiters = new Map<string, RequestLimiter>();

  constructor(
    private readonly keys: KeyStore,
    private readonly limits: BitgetLimits | undefined,
  ) {}

  private limiter(path: string, perSecond: number): RequestLimiter | undefined {
    if (!this.limits) return undefined;
    let limiter = this.limiters.get(path);
    if (!limiter) {
      const requestsPerWindow = this.limits.perEndpoint?.[path] ?? perSecond;
      this.limiters.set(path, (limiter = new RequestLimiter({ requestsPerWindow, windowMs: this.limits.windowMs ?? 1000 })));
    }
    return limiter;
  }

  handle(req: SimRequest): SimResponse {
    const route = ROUTES[routeKey(req.method, req.path)];
    if (!route) return bitgetErrors.notFound(req.now);
    let key: KeyRecord | null = null;
    if (route.access !== "public") {
      const auth = authenticateBitget(req, this.keys);
      if (!auth.ok) return auth.response;
      if (!permits(route.access, auth.record)) return bitgetErrors.noPermission(req.now);
      key = auth.record;
    }
    // private limits count per account (UID); every simulated key is its own account
    const verdict = this.limiter(req.path, route.perSecond)?.hit(key ? `uid ${key.key.apiKey}` : `ip ${req.ip}`, req.now);
    if (verdict && !verdict.allowed) return bitgetErrors.tooMany(req.now, {});
    return route.run(req, key);
  }

  resetRateLimits(): void {
    for (const limiter of this.limiters.values()) limiter.reset();
  }
}
