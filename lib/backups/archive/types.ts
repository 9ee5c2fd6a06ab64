import { z } from "zod";

// The backup archive format (version 1). A ZIP with, in this order:
//   key.json       binding metadata (never a secret)
//   bots.json      settings of the bots that use the key
//   trades.csv     one header row, then one row per trade (see csv.ts)
//   manifest.json  written last: counts, time range and SHA-256 of every other file
// Pure data types: no database, no Next.js, so scripts and tests can use them.

export const BACKUP_FORMAT = "myits-trade-backup";
export const BACKUP_VERSION = 1;

export const FILE_NAMES = {
  trades: "trades.csv",
  key: "key.json",
  bots: "bots.json",
  manifest: "manifest.json",
} as const;

/** One trade as stored (TradeRecord): amounts are the exchange's exact decimal strings. */
export interface BackupTrade {
  exchange: string;
  market: string;
  tradeId: string;
  orderId: string | null;
  side: "buy" | "sell";
  price: string;
  amount: string;
  cost: string | null;
  fee: string | null;
  feeCurrency: string | null;
  isMaker: boolean | null;
  tradedAt: Date;
  /** The exchange's raw record: any JSON value, or its text as Postgres gives it (JsonText). */
  raw: unknown;
}

/**
 * A JSON value as text that is already valid JSON (Postgres's jsonb output), written to the CSV
 * as it is. Reading backups of millions of trades, parsing each record into objects only to
 * print it again was most of the work and garbage; and the text keeps numbers beyond 2^53
 * that JSON.parse would round.
 */
export class JsonText {
  constructor(readonly text: string) {}
}

/**
 * Binding metadata written to key.json: exchange, label, masked key, permissions snapshot,
 * created/verified dates, anything else the caller finds useful. Never a secret: the writer
 * refuses any property named like one (see assertNoSecrets).
 */
export interface BackupKeyInfo {
  exchange: string;
  label: string;
  apiKeyMasked: string;
  [field: string]: unknown;
}

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, "must be a lowercase hex SHA-256");
const count = z.number().int().nonnegative();
const isoMillis = z.iso.datetime({ precision: 3 });

const fileEntry = z.strictObject({ sha256: sha256Hex, bytes: count });

export const backupManifestSchema = z.strictObject({
  format: z.literal(BACKUP_FORMAT),
  version: z.literal(BACKUP_VERSION),
  createdAt: isoMillis,
  exchange: z.string(),
  label: z.string(),
  /** min / max traded_at of the trades, or null when there are none */
  range: z.strictObject({ from: isoMillis.nullable(), to: isoMillis.nullable() }),
  counts: z.strictObject({ trades: count, bots: count }),
  files: z.strictObject({
    [FILE_NAMES.trades]: fileEntry.extend({ rows: count }),
    [FILE_NAMES.key]: fileEntry,
    [FILE_NAMES.bots]: fileEntry,
  }),
});

export type BackupManifest = z.infer<typeof backupManifestSchema>;
export type ManifestFileName = keyof BackupManifest["files"];
