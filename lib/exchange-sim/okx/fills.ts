// OKX fills (3 days) and fills-history (3 months): newest first, at most `limit` (<= 100).
// `after` = older than that billId, `before` = newer than it (the nearest ones), begin/end = ts
// bounds in ms. fills-history needs instType; fills without it merges every instType (billIds
// of a multi-product account order across instTypes).

import { json, type SimRequest, type SimResponse } from "../http";
import type { KeyRecord } from "../keys";
import { allTrades, firstAtOrAfter, lowerBound, marketTrades, type TradeSlice } from "../paging";
import { productMarkets } from "../products";
import type { TradeHistory } from "../trades";
import type { SimProduct } from "../types";
import { OkxParamError, okxErrors } from "./errors";
import { okxInstId, PRODUCT_OF, type OkxInstType } from "./instruments";
import { okxProductTrade } from "./product-records";
import { decodeOkxOrderId, okxBillId } from "./records";

export const INST_TYPES = new Set(["SPOT", "MARGIN", "SWAP", "FUTURES", "OPTION"]);

export function ok(data: unknown[]): SimResponse {
  return json(200, { code: "0", msg: "", data });
}

export function intParam(q: URLSearchParams, name: string): number | undefined {
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

/** Products whose listing has this instId (SPOT and MARGIN share theirs). */
function productsListing(instId: string): SimProduct[] {
  return (["spot", "margin", "usdm", "coinm", "option"] as const).filter((p) => productMarkets("okx", p).some((m) => okxInstId(p, m) === instId));
}

interface Candidate {
  billId: bigint;
  raw: Record<string, unknown>;
}

export function fills(req: SimRequest, key: KeyRecord, retentionMs: number, instTypeRequired: boolean): SimResponse {
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
  let products: SimProduct[] = instType !== "" ? [PRODUCT_OF[instType as OkxInstType]] : key.products;
  if (instId !== "") {
    const listing = productsListing(instId);
    if (listing.length === 0 || (instType !== "" && !listing.includes(products[0]!))) return okxErrors.noInstrument();
    products = products.filter((p) => listing.includes(p));
  }
  const newerOnly = before !== undefined && after === undefined;
  const candidates: Candidate[] = [];
  for (const product of products) {
    const h = key.historyOf(product);
    if (h) candidates.push(...window(h, { instId, ordId, after, before, begin, end, limit, newerOnly }, req.now, retentionMs));
  }
  // `before` alone pages towards newer fills: the ones nearest the cursor. Otherwise the newest.
  candidates.sort((a, b) => (a.billId < b.billId ? 1 : a.billId > b.billId ? -1 : 0));
  const page = newerOnly ? candidates.slice(-limit) : candidates.slice(0, limit);
  return ok(page.map((c) => c.raw));
}

interface Bounds {
  instId: string;
  ordId: bigint | undefined;
  after: bigint | undefined;
  before: bigint | undefined;
  begin: number | undefined;
  end: number | undefined;
  limit: number;
  newerOnly: boolean;
}

/** Up to `limit` fills of one history inside the bounds, nearest the cursor's side. */
function window(h: TradeHistory, b: Bounds, now: number, retentionMs: number): Candidate[] {
  let slice: TradeSlice;
  if (b.ordId !== undefined) {
    const order = decodeOkxOrderId(h, b.ordId);
    if (!order || (b.instId !== "" && okxInstId(h.product, h.markets[order.market]!) !== b.instId)) return [];
    const list = h.positions(order.market);
    if (order.orderPos >= list.length || h.orderStart(order.market, order.orderPos) !== order.orderPos) return [];
    let last = order.orderPos + 1;
    while (last < list.length && h.continuesOrder(order.market, last)) last++;
    slice = { length: last - order.orderPos, at: (k) => list[order.orderPos + k]!, market: order.market };
  } else if (b.instId !== "") {
    const m = h.markets.findIndex((spec) => okxInstId(h.product, spec) === b.instId);
    if (m < 0) return [];
    slice = marketTrades(h, m);
  } else {
    slice = allTrades(h);
  }
  let lo = firstAtOrAfter(h, slice, Math.max(now - retentionMs, b.begin ?? 0));
  let hi = firstAtOrAfter(h, slice, Math.min(now, b.end ?? now) + 1);
  if (b.after !== undefined) hi = Math.min(hi, lowerBound(slice, (i) => okxBillId(h, i) >= b.after!));
  if (b.before !== undefined) lo = Math.max(lo, lowerBound(slice, (i) => okxBillId(h, i) > b.before!));
  if (hi <= lo) return [];
  const [from, to] = b.newerOnly ? [lo, Math.min(hi, lo + b.limit)] : [Math.max(lo, hi - b.limit), hi];
  const out: Candidate[] = [];
  for (let k = to - 1; k >= from; k--) {
    const i = slice.at(k);
    out.push({ billId: okxBillId(h, i), raw: okxProductTrade(h, h.core(i, slice.market)).raw });
  }
  return out;
}
