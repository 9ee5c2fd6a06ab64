// Binance's asynchronous futures history downloads, as its API documents them:
//   GET {fapi,dapi}/v1/trade/asyn    startTime and endTime mandatory, at most a year apart;
//                                    {avgCostTimestampOfLast30d, downloadId}; 5 a month per account
//   GET {fapi,dapi}/v1/trade/asyn/id {downloadId, status: processing|completed, url, s3Link,
//                                    notified, expirationTimestamp (-1 while processing), isExpired}
//   GET fapi/v1/income/asyn and /id  the same for the USDⓈ-M income, with a quota of its own
// The first poll after a request answers "processing", the next ones "completed" with a link
// (no signature needed, as Binance's pre-signed links) that stays valid for 24 hours.
// Two things Binance does not document, so the simulator chooses them: the code of the refusal
// past the monthly quota (-4201 here), and the file's layout: a ZIP with one CSV of every trade
// (or income row) of the window, oldest first, whose columns are userTrades' (or income's)
// fields (the real file is the website's export, with columns of its own). MyITS stores the file as delivered and parses
// nothing in it, so neither choice shapes what the dashboard claims.

import { strToU8, zipSync } from "fflate";
import { json, routeKey, type SimRequest, type SimResponse } from "../http";
import type { KeyRecord } from "../keys";
import { hashInts, hashString } from "../hash";
import { walkTrades } from "../walk";
import { hasFuturesAccount } from "./accounts";
import { binanceBook } from "./book";
import type { FuturesProduct } from "./book";
import { binanceError, intParam, missingParam, windowTooLong } from "./errors";
import { binanceProductTrade } from "./product-records";
import { DAY, HOUR, need, type Route } from "./route";

const YEAR = 365 * DAY;
const LINK_LIFETIME = DAY;
export const STATEMENTS_PER_MONTH = 5;

/** The CSV's columns: the fields of a userTrades item, in this order. */
const TRADE_COLUMNS = ["symbol", "id", "orderId", "side", "price", "qty", "realizedPnl", "quoteQty", "baseQty", "commission", "commissionAsset", "time", "positionSide", "buyer", "maker", "pair", "marginAsset"] as const;
/** The income file's: the fields of an income item. */
const INCOME_COLUMNS = ["symbol", "incomeType", "income", "asset", "info", "time", "tranId", "tradeId"] as const;

type History = "trades" | "income";

interface Application {
  product: FuturesProduct;
  history: History;
  start: number;
  end: number;
  polls: number;
  token: string;
}

interface Ledger {
  byId: Map<string, Application>;
  /** Requests per history and calendar month ("trades 2026-12") */
  perMonth: Map<string, number>;
}

export class BinanceStatements {
  /** token -> the application it downloads */
  private readonly files = new Map<string, { key: KeyRecord; application: Application }>();

  private ledger(key: KeyRecord): Ledger {
    return key.memo("binance-statements", () => ({ byId: new Map(), perMonth: new Map() }));
  }

  routes(): Record<string, Route> {
    const routes: Record<string, Route> = {};
    for (const [path, product, history, weights] of [
      ["/fapi/v1/trade/asyn", "usdm", "trades", { request: 1000, poll: 10 }],
      ["/dapi/v1/trade/asyn", "coinm", "trades", { request: 5, poll: 5 }],
      ["/fapi/v1/income/asyn", "usdm", "income", { request: 1000, poll: 10 }],
    ] as const) {
      routes[routeKey("GET", path)] = { weight: weights.request, access: "read", run: (req, key) => this.request(product, history, req, need(key)) };
      routes[routeKey("GET", `${path}/id`)] = { weight: weights.poll, access: "read", run: (req, key) => this.poll(history, req, need(key)) };
    }
    return routes;
  }

  private request(product: FuturesProduct, history: History, req: SimRequest, key: KeyRecord): SimResponse {
    if (!hasFuturesAccount(key)) return binanceError("keyIpOrPermission");
    const start = intParam(req.query, "startTime");
    const end = intParam(req.query, "endTime");
    if (start === undefined) return missingParam("startTime");
    if (end === undefined) return missingParam("endTime");
    if (end - start > YEAR || end <= start) return windowTooLong(YEAR / HOUR);
    const ledger = this.ledger(key);
    const month = `${history} ${new Date(req.now).toISOString().slice(0, 7)}`;
    const used = ledger.perMonth.get(month) ?? 0;
    if (used >= STATEMENTS_PER_MONTH) return json(400, { code: -4201, msg: "The number of downloads this month has reached the limit." });
    ledger.perMonth.set(month, used + 1);
    const downloadId = String(BigInt(546_975_389_218_332_672n) + BigInt(hashInts(key.tradeSeed, start, end, used) >>> 0) * 1000n + BigInt(key.ordinal));
    const token = `${(hashInts(hashString(key.key.apiKey), start, end, used) >>> 0).toString(16).padStart(8, "0")}${key.ordinal}`;
    ledger.byId.set(downloadId, { product, history, start, end, polls: 0, token });
    return json(200, { avgCostTimestampOfLast30d: 2000, downloadId });
  }

  private poll(history: History, req: SimRequest, key: KeyRecord): SimResponse {
    const downloadId = req.query.get("downloadId");
    if (!downloadId) return missingParam("downloadId");
    const application = this.ledger(key).byId.get(downloadId);
    if (!application || application.history !== history) return json(400, { code: -1100, msg: "Illegal characters found in parameter 'downloadId'." });
    application.polls += 1;
    if (application.polls === 1) {
      return json(200, { downloadId, status: "processing", url: "", s3Link: null, notified: false, expirationTimestamp: -1, isExpired: null });
    }
    this.files.set(application.token, { key, application });
    const host = req.headers["host"] ?? "127.0.0.1";
    const url = `http://${host}/binance-statements/${application.token}/${fileBase(application)}.zip`;
    return json(200, { downloadId, status: "completed", url, s3Link: null, notified: true, expirationTimestamp: req.now + LINK_LIFETIME, isExpired: null });
  }

  /** GET /binance-statements/<token>/<name>.zip, or undefined for any other path. */
  download(req: SimRequest): SimResponse | undefined {
    const m = /^\/binance-statements\/([0-9a-f]+\d*)\/([A-Za-z0-9-]+)\.zip$/.exec(req.path);
    const file = m ? this.files.get(m[1]!) : undefined;
    if (!m || !file || fileBase(file.application) !== m[2]) return undefined;
    const { key, application } = file;
    const columns = application.history === "trades" ? TRADE_COLUMNS : INCOME_COLUMNS;
    const rows: string[] = [];
    const add = (raw: Record<string, unknown>) => rows.push(columns.map((c) => String(raw[c] ?? "")).join(","));
    if (application.history === "income") {
      const inWindow = key.complete ? binanceBook(key).income[application.product].filter((e) => e.time >= application.start && e.time <= application.end) : [];
      for (const entry of inWindow) add(entry.raw);
    } else {
      const h = key.historyOf(application.product);
      if (h) walkTrades(h, h.indexAtOrAfter(application.start), h.indexAtOrAfter(application.end + 1), (t) => add(binanceProductTrade(h, t).raw as Record<string, unknown>));
    }
    const csv = `${columns.join(",")}\n${rows.map((r) => `${r}\n`).join("")}`;
    const zip = zipSync({ [`${m[2]}.csv`]: [strToU8(csv), { mtime: new Date(application.end) }] });
    return { status: 200, headers: { "content-type": "application/zip", "content-disposition": `attachment; filename="${m[2]}.zip"` }, body: zip };
  }
}

function fileBase(a: Application): string {
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return `${a.product}-${a.history}-${day(a.start)}-${day(a.end)}`;
}
