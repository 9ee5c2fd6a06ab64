import "server-only";
import { Precise } from "ccxt";
import type { Db, Tx } from "@/lib/db";
import { getAdapter } from "@/lib/exchanges/registry";
import type { CoverageNote, ExportCapabilities } from "@/lib/exchanges/types";
import { COVERAGE_VERSION, namedGaps, type CoverageGap, type CoverageReport } from "./coverage-report";
import { partName } from "./part-names";

// Makes a binding's coverage report (coverage-report.ts) from what Postgres holds and what the
// export learnt: the rows per part and market, the adapter's notes, and the balances it read.
// Run when an export succeeds; the report is kept on the job and goes into every backup made
// from it.

export interface CoverageInput {
  bindingId: string;
  exchange: string;
  exportJobId: string | null;
  fullScan: boolean;
  capabilities: ExportCapabilities;
  notes: readonly CoverageNote[];
  /** The balances the export read (asset -> exact decimal); null when it read none. */
  balances: Record<string, string> | null;
  now: Date;
}

interface RangeRow {
  part: string;
  market: string | null;
  rows: bigint | number;
  from: Date | null;
  to: Date | null;
}

// Trades per product and market; the other streams per table. Each table is read through its
// (bindingId, time, id) index.
const RANGES = `
  SELECT "product" AS part, "market" AS market, count(*) AS rows, min("tradedAt") AS "from", max("tradedAt") AS "to"
    FROM "TradeRecord" WHERE "bindingId" = $1 GROUP BY "product", "market"
  UNION ALL
  SELECT 'transfers', NULL, count(*), min("occurredAt"), max("occurredAt") FROM "Transfer" WHERE "bindingId" = $1
  UNION ALL
  SELECT 'conversions', NULL, count(*), min("occurredAt"), max("occurredAt") FROM "Conversion" WHERE "bindingId" = $1
  UNION ALL
  SELECT 'income', NULL, count(*), min("occurredAt"), max("occurredAt") FROM "IncomeEntry" WHERE "bindingId" = $1`;

// Every recorded movement, added up per asset by Postgres in exact numeric arithmetic.
const RECORDED = `
  SELECT asset, sum(delta::numeric)::text AS total FROM (
    SELECT e.key AS asset, e.value AS delta FROM "TradeRecord" r, jsonb_each_text(r."effects") e WHERE r."bindingId" = $1
    UNION ALL SELECT e.key, e.value FROM "Transfer" r, jsonb_each_text(r."effects") e WHERE r."bindingId" = $1
    UNION ALL SELECT e.key, e.value FROM "Conversion" r, jsonb_each_text(r."effects") e WHERE r."bindingId" = $1
    UNION ALL SELECT e.key, e.value FROM "IncomeEntry" r, jsonb_each_text(r."effects") e WHERE r."bindingId" = $1
  ) movements GROUP BY asset`;

export async function buildCoverage(client: Db | Tx, input: CoverageInput): Promise<CoverageReport> {
  const [ranges, recorded] = await Promise.all([
    client.$queryRawUnsafe<RangeRow[]>(RANGES, input.bindingId),
    input.balances ? client.$queryRawUnsafe<Array<{ asset: string; total: string }>>(RECORDED, input.bindingId) : Promise.resolve([]),
  ]);
  return assembleCoverage(input, ranges, recorded);
}

/** The report from the query results. Pure: tests call it directly. */
export function assembleCoverage(input: CoverageInput, ranges: readonly RangeRow[], recorded: ReadonlyArray<{ asset: string; total: string }>): CoverageReport {
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  const wanted = [...input.capabilities.products, ...input.capabilities.records];
  const parts = wanted.map((part) => {
    const rows = ranges.filter((r) => r.part === part && Number(r.rows) > 0);
    const from = rows.reduce<Date | null>((min, r) => (r.from && (!min || r.from < min) ? r.from : min), null);
    const to = rows.reduce<Date | null>((max, r) => (r.to && (!max || r.to > max) ? r.to : max), null);
    const markets = rows
      .filter((r) => r.market !== null)
      .map((r) => ({ market: r.market!, rows: Number(r.rows), from: iso(r.from), to: iso(r.to) }))
      .sort((a, b) => a.market.localeCompare(b.market));
    return {
      part,
      rows: rows.reduce((sum, r) => sum + Number(r.rows), 0),
      from: iso(from),
      to: iso(to),
      ...(input.capabilities.products.includes(part as never) ? { markets } : {}),
    };
  });

  const notes = dedupeNotes(input.notes);
  const report: CoverageReport = {
    version: COVERAGE_VERSION,
    exchange: input.exchange,
    generatedAt: input.now.toISOString(),
    exportJobId: input.exportJobId,
    fullScan: input.fullScan,
    complete: false,
    summary: "",
    parts,
    limits: notes.flatMap((n) => (n.kind === "retention" ? [{ part: n.part, availableFrom: new Date(n.availableFrom).toISOString(), message: n.message }] : [])),
    gaps: notes.flatMap((n): CoverageGap[] =>
      n.kind === "not_checked"
        ? [{ kind: n.kind, part: n.part, market: null, markets: n.markets, from: null, to: null, message: n.message }]
        : n.kind === "failed"
          ? [{ kind: n.kind, part: n.part, market: n.market, markets: null, from: n.from === null ? null : new Date(n.from).toISOString(), to: n.to === null ? null : new Date(n.to).toISOString(), message: n.message }]
          : [],
    ),
    delisted: notes.flatMap((n) => (n.kind === "delisted" ? [{ part: n.part, market: n.market, message: n.message }] : [])),
    unavailable: notes.flatMap((n) => (n.kind === "unavailable" ? [{ part: n.part, message: n.message }] : [])),
    reconciliation: reconcile(input.balances, recorded),
  };
  report.complete = namedGaps(report).length === 0;
  report.summary = summarise(report);
  return report;
}

function reconcile(balances: Record<string, string> | null, recorded: ReadonlyArray<{ asset: string; total: string }>): CoverageReport["reconciliation"] {
  if (!balances) {
    return { checked: false, message: "The exchange's balances were not read, so the records could not be checked against them.", assets: [] };
  }
  const sums = new Map(recorded.map((r) => [r.asset, canonical(r.total)]));
  const assets = [...new Set([...Object.keys(balances), ...sums.keys()])].sort().map((asset) => {
    const balance = canonical(balances[asset] ?? "0");
    const total = sums.get(asset) ?? "0";
    return { asset, balance, recorded: total, difference: canonical(Precise.stringSub(balance, total) ?? "0") };
  });
  const off = assets.filter((a) => a.difference !== "0");
  return {
    checked: true,
    message:
      off.length === 0
        ? `Every asset's balance equals the sum of its recorded movements (${assets.length} assets).`
        : `${off.length} of ${assets.length} assets do not add up: movements are missing from the backup, or older than the exchange keeps.`,
    assets,
  };
}

/** The exchange as the pages name it (its display name); its id where no adapter knows it. */
function exchangeName(exchangeId: string): string {
  try {
    return getAdapter(exchangeId).displayName;
  } catch {
    return exchangeId;
  }
}

function summarise(report: CoverageReport): string {
  const rows = report.parts.reduce((sum, p) => sum + p.rows, 0);
  const held = report.parts.filter((p) => p.rows > 0).map((p) => partName(p.part).toLowerCase());
  const holds = `${rows.toLocaleString("en-US")} records${held.length ? ` (${held.join(", ")})` : ""}`;
  if (report.complete) {
    const limited = report.limits.length > 0 ? "; older history the exchange no longer serves is listed" : "";
    return `Complete as far as ${exchangeName(report.exchange)} allows: ${holds}${limited}.`;
  }
  return `Not complete: ${holds}; ${namedGaps(report).length} gaps are listed below.`;
}

/** A note the adapter repeated (several runs of one job) counts once. */
function dedupeNotes(notes: readonly CoverageNote[]): CoverageNote[] {
  const seen = new Set<string>();
  return notes.filter((n) => {
    const key = JSON.stringify(n);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** A numeric's text without trailing zeros ("1.50000000" -> "1.5", "-0" -> "0"). */
function canonical(value: string): string {
  const sum = Precise.stringAdd(value, "0") ?? value;
  return sum === "-0" ? "0" : sum;
}
