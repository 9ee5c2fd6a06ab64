// The KuCoin REST dialect: public time and symbols, and the private key description and HF
// fills (spot; cross and isolated margin) with KuCoin's paging rules:
// - a fill query names one symbol (and, for margin, the tradeType);
// - it covers at most 7 days: none given = the last 7 days, only startAt = startAt + 7 days,
//   only endAt = endAt - 7 days, a longer range is cut to its first 7 days;
// - fills older than 3 months are not served;
// - newest first, at most `limit` (spot 100, margin 200; default 100), `lastId` = older than it.
// https://www.kucoin.com/docs-new/rest/spot-trading/orders/get-trade-history
// https://www.kucoin.com/docs-new/rest/margin-trading/orders/get-trade-history

import { routeKey, type SimRequest, type SimResponse } from "../http";
import type { KeyRecord, KeyStore } from "../keys";
import { firstAtOrAfter, lowerBound, marketTrades } from "../paging";
import { marketId } from "../catalogue";
import type { SimProduct } from "../types";
import { permits, type RouteAccess } from "../dialect";
import { authenticateKucoin } from "./auth";
import { kucoinErrors, kucoinOk } from "./errors";
import { KucoinWeightPool, type KucoinLimit } from "./limits";
import { kucoinApiKeyInfo, kucoinFillId, kucoinSymbols, kucoinTrade } from "./records";

const DAY = 86_400_000;
export const KUCOIN_WINDOW_MS = 7 * DAY;
export const KUCOIN_RETENTION_MS = 90 * DAY;

type Reply = (req: SimRequest, key: KeyRecord, headers: Record<string, string>) => SimResponse;

function intParam(q: URLSearchParams, name: string): number | undefined | null {
  const v = q.get(name);
  if (v === null || v === "") return undefined;
  return /^\d{1,16}$/.test(v) ? Number(v) : null;
}

function fills(req: SimRequest, key: KeyRecord, headers: Record<string, string>, margin: boolean): SimResponse {
  const q = req.query;
  const symbol = q.get("symbol") ?? "";
  if (symbol === "") return kucoinErrors.param("symbol can not be empty");
  let product: SimProduct = "spot";
  if (margin) {
    const tradeType = q.get("tradeType");
    if (tradeType === "MARGIN_TRADE") product = "margin";
    else if (tradeType === "MARGIN_ISOLATED_TRADE") product = "isolated_margin";
    else return kucoinErrors.param("tradeType not in the given range");
  }
  const maxLimit = margin ? 200 : 100;
  const limit = intParam(q, "limit") ?? 100;
  if (limit === null || limit < 1 || limit > maxLimit) return kucoinErrors.param(`limit should be between 1 and ${maxLimit}`);
  const startAt = intParam(q, "startAt");
  const endAt = intParam(q, "endAt");
  const lastId = intParam(q, "lastId");
  if (startAt === null || endAt === null || lastId === null) return kucoinErrors.param("startAt, endAt and lastId are whole numbers");
  let from: number;
  let to: number;
  if (startAt === undefined && endAt === undefined) [from, to] = [req.now - KUCOIN_WINDOW_MS, req.now];
  else if (endAt === undefined) [from, to] = [startAt!, startAt! + KUCOIN_WINDOW_MS];
  else if (startAt === undefined) [from, to] = [endAt - KUCOIN_WINDOW_MS, endAt];
  else [from, to] = [startAt, Math.min(endAt, startAt + KUCOIN_WINDOW_MS)];
  from = Math.max(from, req.now - KUCOIN_RETENTION_MS);
  to = Math.min(to, req.now);

  const h = key.historyOf(product);
  const m = h ? h.markets.findIndex((spec) => marketId("kucoin", spec) === symbol) : -1;
  if (!h || m < 0 || to < from) return kucoinOk({ items: [], lastId: null }, headers);
  const slice = marketTrades(h, m);
  const lo = firstAtOrAfter(h, slice, from);
  let hi = firstAtOrAfter(h, slice, to + 1);
  if (lastId !== undefined) hi = Math.min(hi, lowerBound(slice, (i) => kucoinFillId(h, i) >= lastId));
  const items: Record<string, unknown>[] = [];
  for (let k = hi - 1; k >= Math.max(lo, hi - limit); k--) {
    const i = slice.at(k);
    items.push(kucoinTrade(h, h.core(i, m)).raw);
  }
  return kucoinOk({ items, lastId: items.at(-1)?.id ?? null }, headers);
}

/**
 * Request weights KuCoin lists per endpoint, and who may call it: every endpoint served here
 * needs KuCoin's "General" permission (read), the key description included.
 */
const PRIVATE: Record<string, { access: Exclude<RouteAccess, "public">; weight: number; reply: Reply }> = {
  [routeKey("GET", "/api/v1/user/api-key")]: { access: "read", weight: 20, reply: (_req, key, headers) => kucoinOk(kucoinApiKeyInfo(key), headers) },
  [routeKey("GET", "/api/v1/hf/fills")]: { access: "read", weight: 2, reply: (req, key, headers) => fills(req, key, headers, false) },
  [routeKey("GET", "/api/v3/hf/margin/fills")]: { access: "read", weight: 5, reply: (req, key, headers) => fills(req, key, headers, true) },
};

const PUBLIC: Record<string, { weight: number; reply: (req: SimRequest, headers: Record<string, string>) => SimResponse }> = {
  [routeKey("GET", "/api/v1/timestamp")]: { weight: 3, reply: (req, headers) => kucoinOk(req.now, headers) },
  [routeKey("GET", "/api/v2/symbols")]: { weight: 4, reply: (_req, headers) => kucoinOk(kucoinSymbols(), headers) },
};

/** KuCoin's paths overlap Binance's (/api/v1, /api/v3): its requests are told by their KC-API headers or their public path. */
export function isKucoinRequest(req: Pick<SimRequest, "method" | "path" | "headers">): boolean {
  return req.headers["kc-api-key"] !== undefined || PUBLIC[routeKey(req.method, req.path)] !== undefined;
}

export class KucoinDialect {
  private readonly pool: KucoinWeightPool;

  constructor(
    private readonly keys: KeyStore,
    limit: KucoinLimit | undefined,
  ) {
    this.pool = new KucoinWeightPool(limit);
  }

  handle(req: SimRequest): SimResponse {
    const route = routeKey(req.method, req.path);
    const pub = PUBLIC[route];
    if (pub) {
      const spent = this.pool.spend(`ip ${req.ip}`, pub.weight, req.now);
      return spent.allowed ? pub.reply(req, spent.headers) : kucoinErrors.tooMany(spent.headers);
    }
    const priv = PRIVATE[route];
    if (!priv) return kucoinErrors.notFound();
    const auth = authenticateKucoin(req, this.keys);
    if (!auth.ok) return auth.response;
    if (!permits(priv.access, auth.record)) return kucoinErrors.noPermission();
    // KuCoin counts private weight per account (UID); every simulated key is its own account.
    const spent = this.pool.spend(`key ${auth.record.key.apiKey}`, priv.weight, req.now);
    return spent.allowed ? priv.reply(req, auth.record, spent.headers) : kucoinErrors.tooMany(spent.headers);
  }

  resetRateLimits(): void {
    this.pool.reset();
  }
}
