// The OKX v5 REST dialect: public instruments and time, and the private account, balance,
// currencies and fills endpoints with OKX's paging (newest first, billId cursors).

import { permits, type PrivateRoute } from "../dialect";
import { json, routeKey, type SimRequest, type SimResponse } from "../http";
import type { KeyRecord, KeyStore } from "../keys";
import { listAssets } from "../catalogue";
import { toPlain } from "../decimal";
import type { RequestLimiter } from "../request-limiter";
import { FillsArchive } from "./archive";
import { authenticateOkx } from "./auth";
import { fundingHoldings, okxTransfers, tradingHoldings } from "./book";
import { OKX_SCALE } from "./effects";
import { OkxParamError, okxErrors } from "./errors";
import { fills, INST_TYPES, intParam, ok } from "./fills";
import { instrumentsOf, type OkxInstType } from "./instruments";
import { accountConfig, balanceDetails, currency, spotInstruments } from "./records";
import { okxDepositRecord, okxWithdrawalRecord } from "./transfers";

const DAY = 86_400_000;

/** Complete accounts hold amounts at OKX_SCALE; legacy ones were rescaled to it (book.ts). */
function balance(req: SimRequest, key: KeyRecord): SimResponse {
  const ccy = req.query.get("ccy");
  const filter = ccy ? new Set(ccy.split(",")) : undefined;
  const details = balanceDetails(tradingHoldings(key), filter, req.now, OKX_SCALE);
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

/** asset/balances: the funding account (legacy keys: empty, everything is in trading). */
function fundingBalances(req: SimRequest, key: KeyRecord): SimResponse {
  const ccy = req.query.get("ccy");
  const filter = ccy ? new Set(ccy.split(",")) : undefined;
  return ok(
    fundingHoldings(key)
      .filter((h) => h.free !== 0n && (!filter || filter.has(h.asset)))
      .map((h) => ({ availBal: toPlain(h.free, OKX_SCALE), bal: toPlain(h.free, OKX_SCALE), ccy: h.asset, frozenBal: "0" })),
  );
}

/** deposit-history / withdrawal-history: newest first; after/before are ts cursors (ms). */
function transfers(req: SimRequest, key: KeyRecord, kind: "deposits" | "withdrawals"): SimResponse {
  const q = req.query;
  const limitRaw = q.get("limit");
  const limit = limitRaw === null || limitRaw === "" ? 100 : /^\d{1,3}$/.test(limitRaw) ? Number(limitRaw) : -1;
  if (limit < 1 || limit > 100) return okxErrors.paramError("limit");
  const after = intParam(q, "after");
  const before = intParam(q, "before");
  const ccy = q.get("ccy");
  const state = q.get("state");
  const all = okxTransfers(key)[kind];
  const rows = all
    .filter((t) => t.time <= req.now && (after === undefined || t.time < after) && (before === undefined || t.time > before) && (!ccy || t.asset === ccy))
    .map((t) => (kind === "deposits" ? okxDepositRecord(key.tradeSeed, t) : okxWithdrawalRecord(key.tradeSeed, t)))
    .filter((r) => !state || r.state === state)
    .sort((x, y) => Number(y.ts) - Number(x.ts));
  // `before` alone: the records nearest the cursor (then newest first), as the fills do.
  const page = before !== undefined && after === undefined ? rows.slice(-limit) : rows.slice(0, limit);
  return ok(page);
}

type Handler = (req: SimRequest, key: KeyRecord | undefined) => SimResponse;

export class OkxDialect {
  private readonly publicRoutes: Record<string, Handler>;
  private readonly privateRoutes: Record<string, PrivateRoute>;
  private readonly archive = new FillsArchive();

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
        const family = req.query.get("instFamily") || req.query.get("uly") || undefined;
        // OKX: OPTION needs an instrument family (or the older uly).
        if (instType === "OPTION" && !family) return okxErrors.paramEmpty("instFamily");
        const instId = req.query.get("instId");
        const all = instType === "SPOT" ? spotInstruments() : instrumentsOf(instType as Exclude<OkxInstType, "SPOT">, family);
        return ok(instId ? all.filter((i) => i["instId"] === instId) : all);
      },
      [routeKey("GET", "/api/v5/system/status")]: () => ok([]),
    };
    // Every private endpoint MyITS calls reads: OKX refuses a key without "read" (50120) on all of them.
    this.privateRoutes = {
      [routeKey("GET", "/api/v5/account/config")]: { access: "read", run: (_req, key) => ok([accountConfig(key)]) },
      [routeKey("GET", "/api/v5/account/balance")]: { access: "read", run: balance },
      [routeKey("GET", "/api/v5/asset/currencies")]: { access: "read", run: () => ok(listAssets("okx").map(currency)) },
      [routeKey("GET", "/api/v5/trade/fills")]: { access: "read", run: (req, key) => fills(req, key, 3 * DAY, false) },
      [routeKey("GET", "/api/v5/trade/fills-history")]: { access: "read", run: (req, key) => fills(req, key, 90 * DAY, true) },
      [routeKey("POST", "/api/v5/trade/fills-archive")]: { access: "read", run: (req, key) => this.archive.apply(req, key) },
      [routeKey("GET", "/api/v5/trade/fills-archive")]: { access: "read", run: (req, key) => this.archive.poll(req, key) },
      [routeKey("GET", "/api/v5/asset/balances")]: { access: "read", run: fundingBalances },
      [routeKey("GET", "/api/v5/asset/deposit-history")]: { access: "read", run: (req, key) => transfers(req, key, "deposits") },
      [routeKey("GET", "/api/v5/asset/withdrawal-history")]: { access: "read", run: (req, key) => transfers(req, key, "withdrawals") },
    };
  }

  handle(req: SimRequest): SimResponse {
    const route = routeKey(req.method, req.path);
    if (req.path.startsWith("/okx-archive/")) {
      return this.archive.download(req) ?? json(404, { code: "50000", msg: "The archive link is not valid.", data: [] });
    }
    try {
      const tooMany = json(429, { code: "50011", msg: "Too Many Requests", data: [] });
      const pub = this.publicRoutes[route];
      if (pub) return this.limiter.hit(`${req.ip} ${req.path}`, req.now).allowed ? pub(req, undefined) : tooMany;
      const priv = this.privateRoutes[route];
      if (!priv) return json(404, { code: "50000", msg: `The exchange simulator does not implement ${req.method} ${req.path}.`, data: [] });
      const auth = authenticateOkx(req, this.keys);
      if (!auth.ok) return auth.response;
      if (!permits(priv.access, auth.record)) return okxErrors.noPermission();
      // OKX limits private endpoints per key (User ID), each endpoint on its own.
      if (!this.limiter.hit(`${auth.record.key.apiKey} ${req.path}`, req.now).allowed) return tooMany;
      return priv.run(req, auth.record);
    } catch (e) {
      if (e instanceof OkxParamError) return e.response;
      throw e;
    }
  }
}
