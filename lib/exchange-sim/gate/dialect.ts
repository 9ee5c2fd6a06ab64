// The Gate APIv4 dialect: public currency pairs, the private key description and the trade
// history of spot/my_trades with Gate's paging as the simulator models it:
// - `account` picks the book: spot (default), margin (isolated), cross_margin;
// - currency_pair is optional (all pairs when absent);
// - from/to are seconds, inclusive; none given = the last 7 days, at most 30 days apart
//   (INVALID_PARAM_VALUE otherwise); trades older than 365 days are not served;
// - newest first, `limit` 1..1000 (default 100), `page` from 1.
// Per-endpoint request limits per key, off unless configured (TOO_MANY_REQUESTS, HTTP 429,
// with X-Gate-RateLimit-* headers).
// https://www.gate.com/docs/developers/apiv4/#list-personal-trading-history

import { routeKey, type SimRequest, type SimResponse } from "../http";
import type { KeyRecord, KeyStore } from "../keys";
import { marketId } from "../catalogue";
import type { RequestLimiter } from "../request-limiter";
import type { TradeHistory } from "../trades";
import type { SimProduct } from "../types";
import { json } from "../http";
import { permits, type PrivateRoute } from "../dialect";
import { authenticateGate, gateError } from "./auth";
import { gateKeyInfo, gatePairs, gateTrade } from "./records";

const DAY_S = 86_400;
export const GATE_MAX_RANGE_S = 30 * DAY_S;
export const GATE_RETENTION_S = 365 * DAY_S;

const param = (name: string) => gateError(400, "INVALID_PARAM_VALUE", `invalid argument: ${name}`);

function intParam(q: URLSearchParams, name: string): number | undefined | null {
  const v = q.get(name);
  if (v === null || v === "") return undefined;
  return /^\d{1,12}$/.test(v) ? Number(v) : null;
}

const PRODUCT_OF_ACCOUNT: Record<string, SimProduct> = { spot: "spot", cross_margin: "margin", margin: "isolated_margin" };

/** Trades of one history with create_time in [from, to] seconds, for one pair or all, newest first. */
function inRange(h: TradeHistory, pair: string, from: number, to: number): number[] {
  const lo = h.indexAtOrAfter(from * 1000);
  const hi = h.indexAtOrAfter((to + 1) * 1000);
  const out: number[] = [];
  for (let i = hi - 1; i >= lo; i--) {
    if (pair === "" || marketId("gate", h.markets[h.marketOf(i)]!) === pair) out.push(i);
  }
  return out;
}

function myTrades(req: SimRequest, key: KeyRecord): SimResponse {
  const q = req.query;
  const account = q.get("account") || "spot";
  const product = PRODUCT_OF_ACCOUNT[account];
  if (!product) return param("account");
  const limit = intParam(q, "limit") ?? 100;
  const page = intParam(q, "page") ?? 1;
  const fromQ = intParam(q, "from");
  const toQ = intParam(q, "to");
  if (limit === null || limit < 1 || limit > 1000) return param("limit");
  if (page === null || page < 1) return param("page");
  if (fromQ === null || toQ === null) return param("from/to");
  const nowS = Math.floor(req.now / 1000);
  const to = Math.min(toQ ?? nowS, nowS);
  let from = fromQ ?? to - 7 * DAY_S;
  if (to - from > GATE_MAX_RANGE_S) return gateError(400, "INVALID_PARAM_VALUE", "from and to cannot be more than 30 days apart");
  from = Math.max(from, nowS - GATE_RETENTION_S);
  const pair = q.get("currency_pair") ?? "";
  const h = key.historyOf(product);
  if (!h || to < from) return json(200, []);
  const indices = inRange(h, pair, from, to).slice((page - 1) * limit, page * limit);
  return json(200, indices.map((i) => gateTrade(h, h.core(i)).raw));
}

/** Gate's signed endpoints and who may call them: both need the key's read permission. */
const PRIVATE: Record<string, PrivateRoute> = {
  [routeKey("GET", "/api/v4/account/main_keys")]: { access: "read", run: (_r, key) => json(200, gateKeyInfo(key)) },
  [routeKey("GET", "/api/v4/spot/my_trades")]: { access: "read", run: myTrades },
};

export class GateDialect {
  constructor(
    private readonly keys: KeyStore,
    private readonly limiter: RequestLimiter,
  ) {}

  handle(req: SimRequest): SimResponse {
    const route = routeKey(req.method, req.path);
    if (route === routeKey("GET", "/api/v4/spot/currency_pairs")) return json(200, gatePairs());
    const priv = PRIVATE[route];
    if (!priv) return gateError(404, "NOT_FOUND", `The exchange simulator does not implement ${req.method} ${req.path}`);
    const auth = authenticateGate(req, this.keys);
    if (!auth.ok) return auth.response;
    if (!permits(priv.access, auth.record)) return gateError(403, "FORBIDDEN", "Your API key does not have the permission for this request");
    const verdict = this.limiter.hit(`${auth.record.key.apiKey} ${req.path}`, req.now);
    const headers: Record<string, string> = this.limiter.enabled
      ? { "x-gate-ratelimit-requests-remain": String(verdict.remaining), "x-gate-ratelimit-limit": String(verdict.limit), "x-gate-ratelimit-reset-timestamp": String(Math.ceil(verdict.resetAt / 1000)) }
      : {};
    if (!verdict.allowed) return gateError(429, "TOO_MANY_REQUESTS", "Request Rate limit Exceeded", headers);
    const answer = priv.run(req, auth.record);
    return { ...answer, headers: { ...answer.headers, ...headers } };
  }
}
