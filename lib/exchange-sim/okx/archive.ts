// OKX's fills archive: fills older than fills-history's 3 months, up to 2 years, per quarter,
// delivered asynchronously. POST trade/fills-archive {year, quarter} applies for a quarter;
// GET trade/fills-archive?year&quarter polls it: state "ongoing" on the first poll after the
// application, then "finished" with fileHref, a link (no signature needed, as OKX's pre-signed
// links) to a ZIP holding one CSV of every fill of that quarter, every instType, oldest first.
// The current quarter and quarters ending more than 2 years ago are refused (51000).

import { strToU8, zipSync } from "fflate";
import { type SimRequest, type SimResponse } from "../http";
import type { KeyRecord } from "../keys";
import { hashInts, hashString } from "../hash";
import { walkTrades } from "../walk";
import { okxError } from "./errors";
import { ok } from "./fills";
import { okxProductTrade } from "./product-records";

const YEAR_MS = 365 * 86_400_000;

/** The CSV's columns: the fields of a fills-history item, in this order. */
export const ARCHIVE_COLUMNS = [
  "instType", "instId", "tradeId", "ordId", "clOrdId", "billId", "tag", "fillPx", "fillSz", "fillIdxPx", "fillPnl",
  "fillPxVol", "fillPxUsd", "fillMarkVol", "fillFwdPx", "fillMarkPx", "side", "posSide", "execType", "feeCcy", "fee",
  "feeRate", "subType", "tradeQuoteCcy", "fillTime", "ts",
] as const;

interface Application {
  polls: number;
}

function quarterRange(year: number, quarter: number): { start: number; end: number } {
  return { start: Date.UTC(year, (quarter - 1) * 3, 1), end: Date.UTC(year, quarter * 3, 1) };
}

function parseQuarter(year: unknown, quarter: unknown, now: number): { year: number; quarter: number } | SimResponse {
  if (typeof year !== "string" || !/^\d{4}$/.test(year)) return okxError(400, "51000", "Parameter year error");
  const q = typeof quarter === "string" ? /^Q([1-4])$/.exec(quarter) : null;
  if (!q) return okxError(400, "51000", "Parameter quarter error");
  const r = { year: Number(year), quarter: Number(q[1]) };
  const { end } = quarterRange(r.year, r.quarter);
  // "the past 2 years except the current quarter"
  if (end > now || end <= now - 2 * YEAR_MS) return okxError(400, "51000", "Parameter quarter error");
  return r;
}

function csvOf(key: KeyRecord, start: number, end: number): string {
  const rows: { billId: bigint; line: string }[] = [];
  for (const p of key.products) {
    const h = key.historyOf(p)!;
    walkTrades(h, h.indexAtOrAfter(start), h.indexAtOrAfter(end), (t) => {
      const raw = okxProductTrade(h, t).raw as Record<string, unknown>;
      rows.push({ billId: BigInt(String(raw.billId)), line: ARCHIVE_COLUMNS.map((c) => String(raw[c] ?? "")).join(",") });
    });
  }
  rows.sort((a, b) => (a.billId < b.billId ? -1 : a.billId > b.billId ? 1 : 0));
  return `${ARCHIVE_COLUMNS.join(",")}\n${rows.map((r) => `${r.line}\n`).join("")}`;
}

export class FillsArchive {
  /** token -> what it downloads */
  private readonly files = new Map<string, { key: KeyRecord; year: number; quarter: number }>();

  private applications(key: KeyRecord): Map<string, Application> {
    return key.memo("okx-archive", () => new Map<string, Application>());
  }

  apply(req: SimRequest, key: KeyRecord): SimResponse {
    let body: Record<string, unknown>;
    try {
      body = req.body ? (JSON.parse(req.body) as Record<string, unknown>) : {};
    } catch {
      return okxError(400, "50002", "Json data format error");
    }
    const r = parseQuarter(body.year, body.quarter, req.now);
    if ("status" in r) return r;
    this.applications(key).set(`${r.year}Q${r.quarter}`, { polls: 0 });
    return ok([{ result: "true", ts: String(req.now) }]);
  }

  poll(req: SimRequest, key: KeyRecord): SimResponse {
    const r = parseQuarter(req.query.get("year") ?? undefined, req.query.get("quarter") ?? undefined, req.now);
    if ("status" in r) return r;
    const app = this.applications(key).get(`${r.year}Q${r.quarter}`);
    if (!app) return ok([]); // never applied for
    app.polls++;
    if (app.polls === 1) return ok([{ fileHref: "", state: "ongoing", ts: String(req.now) }]);
    const token = `${(hashInts(key.tradeSeed, hashString(key.key.apiKey), r.year, r.quarter) >>> 0).toString(16).padStart(8, "0")}${key.ordinal}`;
    this.files.set(token, { key, year: r.year, quarter: r.quarter });
    const host = req.headers["host"] ?? "127.0.0.1";
    return ok([{ fileHref: `http://${host}/okx-archive/${token}/fills-${r.year}-Q${r.quarter}.zip`, state: "finished", ts: String(req.now) }]);
  }

  /** GET /okx-archive/<token>/<name>.zip */
  download(req: SimRequest): SimResponse | undefined {
    const m = /^\/okx-archive\/([0-9a-f]+\d*)\/(fills-\d{4}-Q[1-4])\.zip$/.exec(req.path);
    const file = m ? this.files.get(m[1]!) : undefined;
    if (!m || !file) return undefined;
    const { start, end } = quarterRange(file.year, file.quarter);
    const zip = zipSync({ [`${m[2]}.csv`]: [strToU8(csvOf(file.key, start, end)), { mtime: new Date(end) }] });
    return { status: 200, headers: { "content-type": "application/zip", "content-disposition": `attachment; filename="${m[2]}.zip"` }, body: zip };
  }
}
