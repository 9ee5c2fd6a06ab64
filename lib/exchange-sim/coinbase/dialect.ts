// The Coinbase Advanced Trade dialect: the key's own permissions, its accounts (balances) and
// its fills, with Coinbase's paging as the simulator models it:
// - GET /api/v3/brokerage/orders/historical/fills answers every product of the portfolio at
//   once (spot and the INTX perpetuals), newest first by sequence_timestamp, `limit` 1..1000
//   (default 100) a page, and an opaque `cursor` for the next page ("" on the last);
//   start_sequence_timestamp is inclusive and end_sequence_timestamp exclusive (RFC 3339);
//   product_ids (repeated) narrows it;
// - GET /api/v3/brokerage/accounts pages the same way (`limit` 1..250, `cursor`, has_next).
// Errors are `{error, error_details, message}` with the status (400 INVALID_ARGUMENT, 403
// PERMISSION_DENIED "Missing required scopes", 404 NOT_FOUND), except the two the gateway in
// front of the API answers itself: 401 "Unauthorized" in plain text for any authentication
// failure (auth.ts) and, past the per-key limit (off unless configured; Coinbase states 30
// requests a second per key for private endpoints), 429 with an HTML page, as Coinbase's has
// been seen to (coinbase-samples/advanced-trade-sdk-go#18).
// https://docs.cdp.coinbase.com/advanced-trade/docs/rest-api-rate-limits (as ccxt cites it)

import { permits, type PrivateRoute } from "../dialect";
import { json, routeKey, type SimRequest, type SimResponse } from "../http";
import type { KeyRecord, KeyStore } from "../keys";
import { marketId } from "../catalogue";
import type { RequestLimiter } from "../request-limiter";
import type { TradeHistory } from "../trades";
import { authenticateCoinbase } from "./auth";
import { coinbaseAccounts, coinbaseFill, coinbaseKeyPermissions, PRODUCT_RANK } from "./records";

export function coinbaseError(status: number, error: string, message: string): SimResponse {
  return json(status, { error, error_details: message, message });
}

const invalid = (message: string) => coinbaseError(400, "INVALID_ARGUMENT", message);

function tooMany(): SimResponse {
  return {
    status: 429,
    headers: { "content-type": "text/html; charset=utf-8" },
    body: "<html>\n<head><title>Coinbase</title><meta name=\"robots\" content=\"noindex\"></head>\n<body><h1>429 Too Many Requests</h1></body>\n</html>\n",
  };
}

/** Where a page of fills stopped: the last fill served, by (time, product rank, index). */
interface FillPosition {
  time: number;
  rank: number;
  index: number;
}

function encodeCursor(p: FillPosition): string {
  return Buffer.from(`${p.time}.${p.rank}.${p.index}`).toString("base64url");
}

function decodeCursor(cursor: string): FillPosition | null {
  const match = /^(\d{1,15})\.(\d)\.(\d{1,10})$/.exec(Buffer.from(cursor, "base64url").toString("utf8"));
  return match ? { time: Number(match[1]), rank: Number(match[2]), index: Number(match[3]) } : null;
}

/** An RFC 3339 time in ms; undefined when absent, null when unreadable. */
function timeParam(q: URLSearchParams, name: string): number | undefined | null {
  const v = q.get(name);
  if (v === null || v === "") return undefined;
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?(Z|[+-]\d\d:\d\d)$/.test(v)) return null;
  const t = Date.parse(v);
  return Number.isNaN(t) ? null : t;
}

function limitParam(q: URLSearchParams, fallback: number, max: number): number | null {
  const v = q.get("limit");
  if (v === null || v === "") return fallback;
  if (!/^\d{1,5}$/.test(v)) return null;
  const n = Number(v);
  return n >= 1 && n <= max ? n : null;
}

/**
 * The histories' fills in [from, to), newest first across products, after `after` (exclusive),
 * at most `limit` + 1 of them (the extra one tells whether a next page exists).
 */
function mergedFills(histories: TradeHistory[], from: number, to: number, after: FillPosition | null, limit: number, wanted: (h: TradeHistory, i: number) => boolean) {
  const cursors = histories.map((h) => {
    const rank = PRODUCT_RANK[h.product] ?? 0;
    const lo = h.indexAtOrAfter(from);
    let hi = h.indexAtOrAfter(to);
    if (after) {
      // strictly after the cursor in the order (time desc, rank desc, index desc)
      const bound = rank < after.rank ? h.indexAtOrAfter(after.time + 1) : rank === after.rank ? after.index : h.indexAtOrAfter(after.time);
      hi = Math.min(hi, bound);
    }
    return { h, rank, lo, next: hi - 1 };
  });
  const out: Array<{ h: TradeHistory; rank: number; index: number }> = [];
  while (out.length <= limit) {
    let best: (typeof cursors)[number] | undefined;
    for (const c of cursors) {
      while (c.next >= c.lo && !wanted(c.h, c.next)) c.next--;
      if (c.next < c.lo) continue;
      if (!best || c.h.time(c.next) > best.h.time(best.next) || (c.h.time(c.next) === best.h.time(best.next) && c.rank > best.rank)) best = c;
    }
    if (!best) break;
    out.push({ h: best.h, rank: best.rank, index: best.next });
    best.next--;
  }
  return out;
}

function fills(req: SimRequest, key: KeyRecord): SimResponse {
  const q = req.query;
  const limit = limitParam(q, 100, 1000);
  if (limit === null) return invalid("limit must be between 1 and 1000");
  const start = timeParam(q, "start_sequence_timestamp");
  const end = timeParam(q, "end_sequence_timestamp");
  if (start === null) return invalid("start_sequence_timestamp is not a valid RFC 3339 time");
  if (end === null) return invalid("end_sequence_timestamp is not a valid RFC 3339 time");
  const cursorParam = q.get("cursor") ?? "";
  const after = cursorParam === "" ? null : decodeCursor(cursorParam);
  if (cursorParam !== "" && !after) return invalid("invalid cursor");
  const products = new Set(q.getAll("product_ids").filter(Boolean));
  const histories = key.products.filter((p) => PRODUCT_RANK[p] !== undefined).map((p) => key.historyOf(p)!);
  // fills whose time has not come are not served yet
  const to = Math.min(end ?? Number.POSITIVE_INFINITY, req.now + 1);
  const wanted = (h: TradeHistory, i: number) => products.size === 0 || products.has(marketId("coinbase", h.markets[h.marketOf(i)]!));
  const page = to <= (start ?? 0) ? [] : mergedFills(histories, start ?? 0, to, after, limit, wanted);
  const served = page.slice(0, limit);
  const last = served.at(-1);
  const cursor = page.length > limit && last ? encodeCursor({ time: last.h.time(last.index), rank: last.rank, index: last.index }) : "";
  return json(200, { fills: served.map((f) => coinbaseFill(f.h, f.h.core(f.index)).raw), cursor });
}

function accounts(req: SimRequest, key: KeyRecord): SimResponse {
  const limit = limitParam(req.query, 49, 250);
  if (limit === null) return invalid("limit must be between 1 and 250");
  const cursor = req.query.get("cursor") ?? "";
  if (cursor !== "" && !/^\d{1,6}$/.test(cursor)) return invalid("invalid cursor");
  const all = coinbaseAccounts(key);
  const offset = cursor === "" ? 0 : Number(cursor);
  const page = all.slice(offset, offset + limit);
  const hasNext = offset + limit < all.length;
  return json(200, { accounts: page, has_next: hasNext, cursor: hasNext ? String(offset + limit) : "", size: page.length });
}

/** Coinbase's private endpoints served here and the scope each needs: a key may always read its own permissions. */
const PRIVATE: Record<string, PrivateRoute> = {
  [routeKey("GET", "/api/v3/brokerage/key_permissions")]: { access: "signed", run: (_req, key) => json(200, coinbaseKeyPermissions(key)) },
  [routeKey("GET", "/api/v3/brokerage/accounts")]: { access: "read", run: accounts },
  [routeKey("GET", "/api/v3/brokerage/orders/historical/fills")]: { access: "read", run: fills },
};

/** Coinbase's Advanced Trade paths share /api/v3 with Binance's; /api/v3/brokerage is Coinbase's alone. */
export function isCoinbaseRequest(req: Pick<SimRequest, "path">): boolean {
  return req.path.startsWith("/api/v3/brokerage/");
}

export class CoinbaseDialect {
  constructor(
    private readonly keys: KeyStore,
    private readonly limiter: RequestLimiter,
  ) {}

  handle(req: SimRequest): SimResponse {
    const priv = PRIVATE[routeKey(req.method, req.path)];
    if (!priv) return coinbaseError(404, "NOT_FOUND", `The exchange simulator does not implement ${req.method} ${req.path}`);
    const auth = authenticateCoinbase(req, this.keys);
    if (!auth.ok) return auth.response;
    // Coinbase counts private requests per key, whatever the endpoint
    if (!this.limiter.hit(auth.record.key.apiKey, req.now).allowed) return tooMany();
    if (!permits(priv.access, auth.record)) return coinbaseError(403, "PERMISSION_DENIED", "Missing required scopes");
    return priv.run(req, auth.record);
  }
}
