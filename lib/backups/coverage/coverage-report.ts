import { z } from "zod";

// The coverage report: what a backup holds and, as honestly as the exchange lets us say it,
// what it does not. It goes into the archive as coverage.json, is shown on the backups page
// before a download, and decides the unbind wizard's backup gate. Pure data: no database here.
//
// - parts: per product (and market) and per other record stream, the rows and the time range.
// - limits: what the exchange's retention cuts off (the API no longer serves it).
// - gaps: what MyITS did not read: markets not asked about, requests that failed for good.
// - delisted / unavailable: markets the exchange no longer answers for; parts the account lacks.
// - reconciliation: per asset, the balance now beside the sum of every recorded movement.
// complete = no gaps and every reconciled asset adds up: the backup holds everything the
// exchange still gives. Limits, delisted markets and unavailable parts do not make it
// incomplete (nothing more can be had), but they are listed.

export const COVERAGE_VERSION = 1;

const isoMillis = z.iso.datetime({ precision: 3 });
const decimal = z.string().regex(/^-?\d+(\.\d+)?$/);

const rangeShape = { rows: z.number().int().nonnegative(), from: isoMillis.nullable(), to: isoMillis.nullable() };

export const coverageReportSchema = z.strictObject({
  version: z.literal(COVERAGE_VERSION),
  exchange: z.string(),
  generatedAt: isoMillis,
  exportJobId: z.string().nullable(),
  /** Every market was asked about (not only those the account pointed to). */
  fullScan: z.boolean(),
  complete: z.boolean(),
  /** One sentence for the page: what the backup holds and whether anything is missing. */
  summary: z.string(),
  parts: z.array(
    z.strictObject({
      part: z.string(),
      ...rangeShape,
      /** Trades: per market. */
      markets: z.array(z.strictObject({ market: z.string(), ...rangeShape })).optional(),
    }),
  ),
  limits: z.array(z.strictObject({ part: z.string(), availableFrom: isoMillis, message: z.string() })),
  gaps: z.array(
    z.strictObject({
      kind: z.enum(["not_checked", "failed"]),
      part: z.string(),
      market: z.string().nullable(),
      markets: z.number().int().nonnegative().nullable(),
      from: isoMillis.nullable(),
      to: isoMillis.nullable(),
      message: z.string(),
    }),
  ),
  delisted: z.array(z.strictObject({ part: z.string(), market: z.string(), message: z.string() })),
  unavailable: z.array(z.strictObject({ part: z.string(), message: z.string() })),
  /** The exchange's own history files in the archive (statements/...), for parts its API cuts off. */
  statements: z
    .array(z.strictObject({ part: z.string(), from: isoMillis, to: isoMillis, file: z.string(), sha256: z.string(), bytes: z.number().int().nonnegative(), message: z.string() }))
    .optional(),
  reconciliation: z.strictObject({
    /** False when the exchange's balances could not be read (then nothing is claimed). */
    checked: z.boolean(),
    message: z.string(),
    assets: z.array(z.strictObject({ asset: z.string(), balance: decimal, recorded: decimal, difference: decimal })),
  }),
});

export type CoverageReport = z.infer<typeof coverageReportSchema>;
export type CoverageGap = CoverageReport["gaps"][number];

/** The parts of the report a person must accept before a backup with them gates an unbind. */
export function namedGaps(report: CoverageReport): string[] {
  const gaps = report.gaps.map((g) => g.message);
  for (const asset of report.reconciliation.assets) {
    if (asset.difference !== "0") {
      gaps.push(`${asset.asset}: the balance (${asset.balance}) and the recorded movements (${asset.recorded}) differ by ${asset.difference}.`);
    }
  }
  return gaps;
}

export interface StatementInReport {
  part: string;
  from: Date;
  to: Date;
  path: string;
  sha256: string;
  bytes: number;
}

/**
 * The report of a backup that also carries the exchange's own history files: each is named with
 * the window it covers. They do not change `complete` or the counts: their rows are in the
 * exchange's layout, not read into the CSVs.
 */
export function withStatements(report: CoverageReport, statements: readonly StatementInReport[], exchangeName: string, partTitle: (part: string) => string): CoverageReport {
  if (statements.length === 0) return report;
  const day = (d: Date) => d.toISOString().slice(0, 10);
  return {
    ...report,
    statements: statements.map((s) => ({
      part: s.part,
      from: s.from.toISOString(),
      to: s.to.toISOString(),
      file: s.path,
      sha256: s.sha256,
      bytes: s.bytes,
      message: `${partTitle(s.part)} from ${day(s.from)} to ${day(s.to)}: ${exchangeName}'s own history file, in ${s.path} as ${exchangeName} delivered it (its rows are in ${exchangeName}'s layout, not in the CSVs or the counts above).`,
    })),
  };
}
