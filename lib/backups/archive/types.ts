import { z } from "zod";

// The backup archive format, version 2. A ZIP with, in this order:
//   key.json          binding metadata (never a secret)
//   bots.json         settings of the bots that use the key
//   coverage.json     what the backup holds and what it does not (lib/backups/coverage)
//   trades.csv        one header row, then one row per trade of any product (see csv.ts)
//   transfers.csv     deposits and withdrawals
//   conversions.csv   convert and dust conversions
//   income.csv        futures income: funding, realized P&L, commissions
//   statements/...    the exchange's own history files, as delivered (optional; listed under
//                     the manifest's "statements", not in "files")
//   manifest.json     written last: counts, time range and SHA-256 of every other file
// Version 1 (read, never written) had key.json, bots.json, trades.csv without the product and
// effects columns, and manifest.json. Pure data types: no database, no Next.js, so scripts and
// tests can use them.

export const BACKUP_FORMAT = "myits-trade-backup";
export const BACKUP_VERSION = 2;

export const FILE_NAMES = {
  trades: "trades.csv",
  transfers: "transfers.csv",
  conversions: "conversions.csv",
  income: "income.csv",
  key: "key.json",
  bots: "bots.json",
  coverage: "coverage.json",
  manifest: "manifest.json",
} as const;

/** A record's balance effects (asset -> signed exact decimal), or their JSON text from Postgres. */
export type BackupEffects = Record<string, string> | JsonText;

/** One trade as stored (TradeRecord): amounts are the exchange's exact decimal strings. */
export interface BackupTrade {
  exchange: string;
  /** spot, margin, isolated_margin, usdm, coinm, option ("spot" for version 1 archives). */
  product: string;
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
  /** {} for version 1 archives (not recorded then). */
  effects: BackupEffects;
  /** The exchange's raw record: any JSON value, or its text as Postgres gives it (JsonText). */
  raw: unknown;
}

/** A deposit or withdrawal as stored (Transfer). */
export interface BackupTransfer {
  exchange: string;
  direction: "deposit" | "withdrawal";
  transferId: string;
  asset: string;
  amount: string;
  fee: string | null;
  network: string | null;
  address: string | null;
  txId: string | null;
  status: string;
  occurredAt: Date;
  effects: BackupEffects;
  raw: unknown;
}

/** A conversion as stored (Conversion). */
export interface BackupConversion {
  exchange: string;
  kind: "convert" | "dust";
  conversionId: string;
  fromAsset: string;
  fromAmount: string;
  toAsset: string;
  toAmount: string;
  fee: string | null;
  feeAsset: string | null;
  occurredAt: Date;
  effects: BackupEffects;
  raw: unknown;
}

/** A futures income booking as stored (IncomeEntry). */
export interface BackupIncome {
  exchange: string;
  product: string;
  kind: "funding" | "realized_pnl" | "commission" | "other";
  exchangeType: string;
  incomeId: string;
  asset: string;
  amount: string;
  market: string | null;
  occurredAt: Date;
  effects: BackupEffects;
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
const csvEntry = fileEntry.extend({ rows: count });

const manifestBase = {
  format: z.literal(BACKUP_FORMAT),
  createdAt: isoMillis,
  exchange: z.string(),
  label: z.string(),
  /** min / max traded_at of the trades, or null when there are none */
  range: z.strictObject({ from: isoMillis.nullable(), to: isoMillis.nullable() }),
};

export const backupManifestV1Schema = z.strictObject({
  ...manifestBase,
  version: z.literal(1),
  counts: z.strictObject({ trades: count, bots: count }),
  files: z.strictObject({
    [FILE_NAMES.trades]: csvEntry,
    [FILE_NAMES.key]: fileEntry,
    [FILE_NAMES.bots]: fileEntry,
  }),
});

/** An exchange's history file larger than this is neither stored nor restored (a year of futures trades is far smaller). */
export const STATEMENT_MAX_BYTES = 256 * 1024 * 1024;

/** Where an exchange's history file sits in the archive. */
export const STATEMENT_PATH = /^statements\/[A-Za-z0-9._-]{1,160}$/;

const statementEntry = fileEntry.extend({
  path: z.string().regex(STATEMENT_PATH),
  /** The adapter's statement kind and the coverage part it fills. */
  kind: z.string().max(64),
  part: z.string().max(64),
  from: isoMillis,
  to: isoMillis,
  downloadId: z.string().max(200).nullable(),
});

export type ManifestStatement = z.infer<typeof statementEntry>;

export const backupManifestV2Schema = z.strictObject({
  ...manifestBase,
  version: z.literal(2),
  /** coverage.json's verdict, repeated here for tools that read only the manifest. */
  complete: z.boolean().nullable(),
  counts: z.strictObject({ trades: count, transfers: count, conversions: count, income: count, bots: count }),
  files: z.strictObject({
    [FILE_NAMES.trades]: csvEntry,
    [FILE_NAMES.transfers]: csvEntry,
    [FILE_NAMES.conversions]: csvEntry,
    [FILE_NAMES.income]: csvEntry,
    [FILE_NAMES.key]: fileEntry,
    [FILE_NAMES.bots]: fileEntry,
    [FILE_NAMES.coverage]: fileEntry,
  }),
  /** The exchange's own history files (absent when there are none). */
  statements: z.array(statementEntry).max(100).optional(),
});

export const backupManifestSchema = z.discriminatedUnion("version", [backupManifestV1Schema, backupManifestV2Schema]);

export type BackupManifestV1 = z.infer<typeof backupManifestV1Schema>;
export type BackupManifestV2 = z.infer<typeof backupManifestV2Schema>;
export type BackupManifest = z.infer<typeof backupManifestSchema>;
/** Every file name a manifest of either version can list. */
export type ManifestFileName = keyof BackupManifestV1["files"] | keyof BackupManifestV2["files"];
/** The CSV files of a version 2 archive, by record kind. */
export type RecordFileName = typeof FILE_NAMES.trades | typeof FILE_NAMES.transfers | typeof FILE_NAMES.conversions | typeof FILE_NAMES.income;
