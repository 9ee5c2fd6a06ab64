// The OKX v5 REST dialect: public instruments and time, and the private account, balance,
// currencies and fills endpoints with OKX's paging (newest first, billId cursors).

import { json, routeKey, type SimRequest, type SimResponse } from "../http";
import type { KeyRecord, KeyStore } from "../keys";
import { findMarket, listAssets, marketId } from "../catalogue";
import { allTrades, firstAtOrAfter, lowerBound, marketTrades, type TradeSlice } from "../paging";
import type { RequestLimiter } from "../request-limiter";
import { authenticateOkx } from "./auth";
import { OkxParamError, okxErrors } from "./errors";
import { accountConfig, balanceDetails, currency, decodeOkxOrderId, okxBillId, okxTrade, spotInstruments } from "./records";

const DAY = 86_400_000;
const INST_TYPES = new Set(["SPOT", "MARGIN", "SWAP", "FUTURES", "OPTION"]);

function ok(data: unknown[]): SimResponse {
  return json(200, { code: "0", msg: "", data });
}

function intParam(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (v === null || v === "") return undefined;
  if (!/^\d{1,16}$/.test(v)) throw new OkxParamError(okxErrors.paramError(name));
  return Number(v);
}

function billIdParam(q: URLSearchParams, name: string): bigint | undefined {
  const v = q.get(name);
  if (v === null || v === "") return undefined;
  if (!/^\d{1,20}$/.test(v)) throw new OkxParamError(okxErrors.paramError(name));
  return BigInt(v);
}

/**
 * fills and fills-history: newest first, at most `limit` (<= 100). `after` = older than that
 * billId, `before` = newer than it (the nearest ones), begin/end = ts bounds in ms. Only fills
 * of the last `retentionMs` are served (3 days / 3 months).
 */
function fills(req: SimRequest, key: KeyRecord, retentionMs: number, instTypeRequired: boolean): SimResponse {
  const q = req.query;
  const instType = q.get("instType") ?? "";
  if (instTypeRequired && instType === "") return okxErrors.paramEmpty("instType");
  if (instType !== "" && !INST_TYPES.has(instType)) return okxErrors.paramError("instType");
  const limitRaw = q.get("limit");
  const limit = limitRaw === null || limitRaw === "" ? 100 : /^\d{1,3}$/.test(limitRaw) ? Number(limitRaw) : -1;
  if (limit < 1 || limit > 100) return okxErrors.paramError("limit");
  const after = billIdParam(q, "after");
  const before = billIdParam(q, "before");
  const begin = intParam(q, "begin");
  const end = intParam(q, "end");
  const instId = q.get("instId") ?? "";
  const ordId = billIdParam(q, "ordId");
  if (instId !== "" && !findMarket("okx", instId)) return okxErrors.noInstrument();
  // Every simulated fill is SPOT.
  if (instType !== "" && instType !== "SPOT") return ok([]);

  const h = key.history();
  let slice: TradeSlice;
  if (ordId !== undefined) {
    const order = decodeOkxOrderId(h, ordId);
    if (!order || (instId !== "" && marketId("okx", h.markets[order.market]!) !== instId)) return ok([]);
    const list = h.positions(order.market);
    if (order.orderPos >= list.length || h.orderStart(order.market, order.orderPos) !== order.orderPos) return ok([]);
    let last = order.orderPos + 1;
    while (last < list.length && h.continuesOrder(order.market, last)) last++;
    slice = { length: last - order.orderPos, at: (k) => list[order.orderPos + k]!, market: order.market };
  } else if (instId !== "") {
    const m = h.markets.findIndex((spec) => marketId("okx", spec) === instId);
    if (m < 0) return ok([]);
    slice = marketTrades(h, m);
  } else {
    slice = allTrades(h);
  }

  let lo = firstAtOrAfter(h, slice, Math.max(req.now - retentionMs, begin ?? 0));
  let hi = firstAtOrAfter(h, slice, Math.min(req.now, end ?? req.now) + 1);
  if (after !== undefined) hi = Math.min(hi, lowerBound(slice, (i) => okxBillId(h, i) >= after));
  if (before !== undefined) lo = Math.max(lo, lowerBound(slice, (i) => okxBillId(h, i) > before));
  if (hi <= lo) return ok([]);
  // `before` alone pages towards newer fills: the ones nearest the cursor. Otherwise the newest.
  const [from, to] = before !== undefined && after === undefined ? [lo, Math.min(hi, lo + limit)] : [Math.max(lo, hi - limit), hi];
  const out: Record<string, unknown>[] = [];
  for (let k = to - 1; k >= from; k--) out.push(okxTrade(h, h.core(slice.at(k), slice.market)).raw);
  return ok(out);
}

function balance(req: SimRequest, key: KeyRecord): SimResponse {
  const ccy = req.query.get("ccy");
  const filter = ccy ? new Set(ccy.split(",")) : undefined;
  const details = balanceDetails(key.account().holdings, filter, req.now);
  return ok([
    {
      adjEq: "",
      availEq: "",
      borrowFroz: "",
      details,
      imr: "",
      isoEq: "0",
      mgnRatio: "",
      mmr: "",
      notionalUsd: "",
      notionalUsdForBorrow: "",
      notionalUsdForFutures: "",
      notionalUsdForOption: "",
      notionalUsdForSwap: "",
      ordFroz: "",
      totalEq: "",
      uTime: String(req.now),
      upl: "",
    },
  ]);
}

type Handler = (req: SimRequest, key: KeyRecord | undefined) => SimResponse;

export class OkxDialect {
  private readonly publicRoutes: Record<string, Handler>;
  private readonly privateRoutes: Record<string, (req: SimRequest, key: KeyRecord) => SimResponse>;

  constructor(
    private readonly keys: KeyStore,
    private readonly limiter: RequestLimiter,
  ) {
    this.publicRoutes = {
      [routeKey("GET", "/api/v5/public/time")]: (req) => ok([{ ts: String(req.now) }]),
      [routeKey("GET", "/api/v5/public/instruments")]: (req) => {
        const instType = req.query.get("instType");
        if (!instType) return okxErrors.paramEmpty("instType");
        if (!INST_TYPES.has(instType)) return okxErrors.paramError("instType");
        if (instType !== "SPOT") return ok([]);
        const instId = req.query.get("instId");
        const all = spotInstruments();
        return ok(instId ? all.filter((i) => i["instId"] === instId) : all);
      },
      [routeKey("GET", "/api/v5/system/status")]: () => ok([]),
    };
    this.privateRoutes = {
      [routeKey("GET", "/api/v5/account/config")]: (_req, key) => ok([accountConfig(key)]),
      [routeKey("GET", "/api/v5/account/balance")]: balance,
      [routeKey("GET", "/api/v5/asset/currencies")]: () => ok(listAssets("okx").map(currency)),
      [routeKey("GET", "/api/v5/trade/fills")]: (req, key) => fills(req, key, 3 * DAY, false),
      [routeKey("GET", "/api/v5/trade/fills-history")]: (req, key) => fills(req, key, 90 * DAY, true),
    };
  }

  handle(req: SimRequest): SimResponse {
    const route = routeKey(req.method, req.path);
    try {
      const tooMany = json(429, { code: "50011", msg: "Too Many Requests", data: [] });
      const pub = this.publicRoutes[route];
      if (pub) return this.limiter.hit(`${req.ip} ${req.path}`, req.now).allowed ? pub(req, undefined) : tooMany;
      const priv = this.privateRoutes[route];
      if (!priv) return json(404, { code: "50000", msg: `The exchange simulator does not implement ${req.method} ${req.path}.`, data: [] });
      const auth = authenticateOkx(req, this.keys);
      if (!auth.ok) return auth.response;
      // OKX limits private endpoints per key (User ID), each endpoint on its own.
      if (!this.limiter.hit(`${auth.record.key.apiKey} ${req.path}`, req.now).allowed) return tooMany;
      return priv(req, auth.record);
    } catch (e) {
      if (e instanceof OkxParamError) return e.response;
      throw e;
    }
  }
}
