import { setImmediate as nextTurn } from "node:timers/promises";
import { CsvFormatError } from "./csv";
import { CONVERSIONS_TABLE, CsvTableReader, INCOME_TABLE, TRADES_TABLE, TRANSFERS_TABLE, type CsvTable } from "./csv-tables";
import { FileDigest } from "./file-digest";
import {
  backupManifestSchema,
  FILE_NAMES,
  type BackupConversion,
  type BackupIncome,
  type BackupManifest,
  type BackupTrade,
  type BackupTransfer,
  type ManifestFileName,
  type ManifestStatement,
  type RecordFileName,
  STATEMENT_MAX_BYTES,
} from "./types";
import { inflateEntry, memoryZipSource, readZipDirectory, ZipFormatError, type ZipEntry, type ZipSource } from "./zip-reader";

// Verifies a backup archive before anything is restored from it, and then hands the trades
// back with exactly the strings that were written.
//
// Memory: a ZIP is read from its end (the central directory): that is what tells a complete
// archive from a truncated one, so the reader needs random access. Give it a file (a ZipSource
// from openZipFile: an upload spooled to disk) and the archive is read in slices, never held;
// bytes or a stream are held in memory, bounded by maxBytes. Nothing decompressed is held:
// trades.csv is inflated in slices, hashed and parsed on the fly, once to verify and once more
// each time `trades` is iterated; the JSON files are held whole, each under a small cap.
//
// Zip bombs: before anything is inflated, every file's size in the ZIP directory must be the
// size the manifest declares, the files held whole must be small, the sizes together must stay
// under maxInflatedBytes, and no large file may claim a compression ratio beyond maxRatio. The
// inflater then stops at the directory's size, so what a file claims is all it can produce.
//
// What is checked, in order: the ZIP structure (end record, directory, local headers); the
// manifest (present, JSON, schema, version 1 or 2); the set of files (exactly the manifest's,
// no more, no fewer); for each file its CRC-32 and size against the ZIP directory, then its
// byte size and SHA-256 against the manifest; every row of every CSV parses into its record;
// the row counts, bot count and trades' time range agree with the manifest. Every byte of every file's content is
// covered; ZIP bookkeeping that carries no content (file attributes, version fields) is not.
// The manifest proves integrity, not authorship: someone who edits a file can recompute it.

export interface VerifiedBackup {
  ok: true;
  manifest: BackupManifest;
  /** key.json as written (binding metadata) */
  key: Record<string, unknown>;
  /** bots.json as written */
  bots: unknown[];
  /** coverage.json as written (version 2), null for version 1 archives. */
  coverage: unknown;
  /**
   * The records in batches, in file order. Each can be iterated more than once; each pass
   * inflates the archive again and throws at the end if the content no longer matches the
   * manifest. A version 1 archive has no transfers, conversions or income.
   */
  trades: AsyncIterable<BackupTrade[]>;
  transfers: AsyncIterable<BackupTransfer[]>;
  conversions: AsyncIterable<BackupConversion[]>;
  income: AsyncIterable<BackupIncome[]>;
  /** The exchange's own history files (version 2 archives that hold some), verified like every file. */
  statements: VerifiedStatement[];
}

export interface VerifiedStatement extends Omit<ManifestStatement, "from" | "to"> {
  from: Date;
  to: Date;
  /** The file, inflated whole and checked against the manifest again. */
  read(): Promise<Uint8Array>;
}

export interface RefusedBackup {
  ok: false;
  /** What is wrong, naming the file: safe to show to the user. */
  problem: string;
}

export interface VerifyOptions {
  /** Refuse larger archives (default 1 GiB). */
  maxBytes?: number;
  /** Refuse archives whose files add up to more than this once inflated (default 8 GiB). */
  maxInflatedBytes?: number;
  /**
   * Refuse a file over 1 MiB that claims to inflate to more than this many times its
   * compressed size (default 100; real backups compress about 10 times).
   */
  maxRatio?: number;
  /** Trades per batch of `trades` (default 1000). */
  batchSize?: number;
  /** JSON columns (raw, effects) as JsonText (see CsvReadOptions). */
  rawAsText?: boolean;
}

class BackupProblem extends Error {}

const MANIFEST_MAX_BYTES = 1024 * 1024;
/** Files parsed whole (key.json, bots.json, ...): far above any real one, far below harm. */
const WHOLE_FILE_MAX_BYTES = 16 * 1024 * 1024;
/** Smaller files may compress better than maxRatio (a run of zeros): they cannot do harm. */
const RATIO_FLOOR_BYTES = 1024 * 1024;
/** Verifying a large archive takes seconds of CPU: let other requests through this often. */
const YIELD_EVERY_BYTES = 2 * 1024 * 1024;
const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

interface Limits {
  maxInflatedBytes: number;
  maxRatio: number;
}

export async function verifyBackupArchive(
  source: Uint8Array | ZipSource | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>,
  options: VerifyOptions = {},
): Promise<VerifiedBackup | RefusedBackup> {
  const { maxBytes = GiB, maxInflatedBytes = 8 * GiB, maxRatio = 100, batchSize = 1000, rawAsText = false } = options;
  try {
    const archive = isZipSource(source) ? source : memoryZipSource(await collect(source, maxBytes));
    if (archive.size > maxBytes) throw new BackupProblem(`the archive is larger than ${maxBytes} bytes`);
    return { ok: true, ...(await verify(archive, { maxInflatedBytes, maxRatio }, batchSize, rawAsText)) };
  } catch (error) {
    if (error instanceof BackupProblem || error instanceof ZipFormatError) return { ok: false, problem: error.message };
    throw error;
  }
}

function isZipSource(source: unknown): source is ZipSource {
  return typeof source === "object" && source !== null && !(source instanceof Uint8Array) && typeof (source as ZipSource).read === "function" && typeof (source as ZipSource).size === "number";
}

async function verify(archive: ZipSource, limits: Limits, batchSize: number, rawAsText: boolean): Promise<Omit<VerifiedBackup, "ok">> {
  const entries = new Map<string, ZipEntry>();
  for (const entry of await readZipDirectory(archive)) {
    if (entries.has(entry.name)) throw new BackupProblem(`${entry.name} appears twice in the archive`);
    entries.set(entry.name, entry);
  }

  const manifestEntry = entries.get(FILE_NAMES.manifest);
  if (!manifestEntry) throw new BackupProblem(`${FILE_NAMES.manifest} is missing: this is not a MyITS backup, or it is incomplete`);
  if (manifestEntry.size > MANIFEST_MAX_BYTES) throw new BackupProblem(`${FILE_NAMES.manifest} is too large to be a manifest`);
  const manifest = parseManifest(await readWhole(archive, manifestEntry, MANIFEST_MAX_BYTES));

  const statementList = manifest.version === 2 ? (manifest.statements ?? []) : [];
  const listed = [...Object.keys(manifest.files), ...statementList.map((s) => s.path)];
  if (new Set(listed).size !== listed.length) throw new BackupProblem(`${FILE_NAMES.manifest} lists a file twice`);
  for (const name of listed) {
    if (!entries.has(name)) throw new BackupProblem(`${name} is listed in the manifest but missing from the archive`);
  }
  for (const name of entries.keys()) {
    if (name !== FILE_NAMES.manifest && !listed.includes(name)) {
      throw new BackupProblem(`unexpected file "${name}" in the archive (not listed in the manifest)`);
    }
  }
  const entry = (name: ManifestFileName) => entries.get(name)!;
  checkDeclaredSizes(manifest, entries, limits);

  const keyBytes = await readWhole(archive, entry(FILE_NAMES.key));
  checkAgainstManifest(manifest, FILE_NAMES.key, FileDigest.of(keyBytes));
  const key = parseJson(keyBytes, FILE_NAMES.key);
  if (typeof key !== "object" || key === null || Array.isArray(key)) throw new BackupProblem(`${FILE_NAMES.key} is not a JSON object`);

  const botsBytes = await readWhole(archive, entry(FILE_NAMES.bots));
  checkAgainstManifest(manifest, FILE_NAMES.bots, FileDigest.of(botsBytes));
  const bots = parseJson(botsBytes, FILE_NAMES.bots);
  if (!Array.isArray(bots)) throw new BackupProblem(`${FILE_NAMES.bots} is not a JSON array`);
  if (bots.length !== manifest.counts.bots) {
    throw new BackupProblem(`${FILE_NAMES.bots} has ${bots.length} bots, the manifest says ${manifest.counts.bots}`);
  }

  let coverage: unknown = null;
  if (manifest.version === 2) {
    const coverageBytes = await readWhole(archive, entry(FILE_NAMES.coverage));
    checkAgainstManifest(manifest, FILE_NAMES.coverage, FileDigest.of(coverageBytes));
    coverage = parseJson(coverageBytes, FILE_NAMES.coverage);
  }

  const tables = recordTables(manifest);
  for (const { table, layout, count } of tables) {
    await verifyTable(archive, entry(table.file as RecordFileName), manifest, table, layout, count);
  }

  for (const statement of statementList) await verifyStatement(archive, entries.get(statement.path)!, statement);
  const statements = statementList.map((statement) => ({
    ...statement,
    from: new Date(statement.from),
    to: new Date(statement.to),
    read: async () => {
      const bytes = await readWhole(archive, entries.get(statement.path)!, STATEMENT_MAX_BYTES);
      checkDigest(statement.path, FileDigest.of(bytes), statement);
      return bytes;
    },
  }));

  const records = <T>(table: CsvTable<T>): AsyncIterable<T[]> => {
    const found = tables.find((t) => t.table === table);
    if (!found) return { [Symbol.asyncIterator]: async function* () {} };
    const fileEntry = entry(table.file as RecordFileName);
    return { [Symbol.asyncIterator]: () => recordBatches(archive, fileEntry, manifest, table, found.layout, batchSize, rawAsText) };
  };
  return {
    manifest,
    key: key as Record<string, unknown>,
    bots,
    coverage,
    trades: records(TRADES_TABLE),
    transfers: records(TRANSFERS_TABLE),
    conversions: records(CONVERSIONS_TABLE),
    income: records(INCOME_TABLE),
    statements,
  };
}

async function verifyStatement(archive: ZipSource, entry: ZipEntry, statement: ManifestStatement): Promise<void> {
  if (entry.size > STATEMENT_MAX_BYTES) throw new BackupProblem(`${statement.path} is ${formatBytes(entry.size)}, more than the ${formatBytes(STATEMENT_MAX_BYTES)} an exchange's history file can be in a backup`);
  const digest = new FileDigest();
  for await (const chunk of inflateEntry(archive, entry)) digest.update(chunk);
  checkDigest(statement.path, digest, statement);
}

interface TableInArchive {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- one list of tables of different record types
  table: CsvTable<any>;
  /** Index into table.layouts. */
  layout: number;
  /** Rows the manifest counts. */
  count: number;
}

/** The CSV files an archive of this version holds, with the layout each is read in. */
function recordTables(manifest: BackupManifest): TableInArchive[] {
  if (manifest.version === 1) return [{ table: TRADES_TABLE, layout: 1, count: manifest.counts.trades }];
  return [
    { table: TRADES_TABLE, layout: 0, count: manifest.counts.trades },
    { table: TRANSFERS_TABLE, layout: 0, count: manifest.counts.transfers },
    { table: CONVERSIONS_TABLE, layout: 0, count: manifest.counts.conversions },
    { table: INCOME_TABLE, layout: 0, count: manifest.counts.income },
  ];
}

/**
 * Refuses a zip bomb before a byte is inflated: each file's size in the ZIP directory must be
 * what the manifest declares (the inflater then stops there), and what they claim together
 * must be plausible for a backup.
 */
function checkDeclaredSizes(manifest: BackupManifest, entries: Map<string, ZipEntry>, limits: Limits): void {
  let total = 0;
  const declared: [string, { bytes: number }][] = [
    ...Object.entries(manifest.files),
    ...(manifest.version === 2 ? (manifest.statements ?? []) : []).map((s) => [s.path, s] as [string, { bytes: number }]),
  ];
  for (const [name, listed] of declared) {
    const entry = entries.get(name)!;
    if (entry.size !== listed.bytes) throw new BackupProblem(`${name} is ${entry.size} bytes, the manifest says ${listed.bytes}`);
    total += entry.size;
    if (entry.size > RATIO_FLOOR_BYTES && entry.size > limits.maxRatio * entry.compressedSize) {
      throw new BackupProblem(
        `${name} would inflate to ${formatBytes(entry.size)} from ${formatBytes(entry.compressedSize)} ` +
          `(${Math.round(entry.size / Math.max(1, entry.compressedSize))} times; a backup compresses about 10 times): ` +
          "refused as a likely ZIP bomb",
      );
    }
  }
  if (total > limits.maxInflatedBytes) {
    throw new BackupProblem(`the archive would inflate to ${formatBytes(total)}, more than the ${formatBytes(limits.maxInflatedBytes)} a restore accepts`);
  }
}

function formatBytes(bytes: number): string {
  if (bytes >= GiB) return `${(bytes / GiB).toFixed(1)} GiB`;
  if (bytes >= MiB) return `${(bytes / MiB).toFixed(1)} MiB`;
  return `${bytes} bytes`;
}

async function verifyTable<T>(archive: ZipSource, entry: ZipEntry, manifest: BackupManifest, table: CsvTable<T>, layout: number, counted: number): Promise<void> {
  const name = table.file as RecordFileName;
  const digest = new FileDigest();
  const reader = new CsvTableReader(table, { layouts: [layout] });
  const isTrades = name === FILE_NAMES.trades;
  let rowProblem: CsvFormatError | null = null;
  let rows = 0;
  let from: Date | null = null;
  let to: Date | null = null;
  const tally = (read: () => T[]) => {
    if (rowProblem) return; // keep hashing: a changed byte should be reported as such
    try {
      for (const record of read()) {
        rows += 1;
        if (!isTrades) continue;
        const time = table.time(record);
        if (from === null || time < from) from = time;
        if (to === null || time > to) to = time;
      }
    } catch (error) {
      if (!(error instanceof CsvFormatError)) throw error;
      rowProblem = error;
    }
  };

  let sinceYield = 0;
  for await (const chunk of inflateEntry(archive, entry)) {
    digest.update(chunk);
    tally(() => reader.push(chunk));
    sinceYield += chunk.length;
    if (sinceYield >= YIELD_EVERY_BYTES) {
      sinceYield = 0;
      await nextTurn();
    }
  }
  tally(() => reader.end());
  checkAgainstManifest(manifest, name, digest);

  const problem = rowProblem as CsvFormatError | null;
  if (problem) throw new BackupProblem(`${name}, ${problem.message}`);
  const listed = (manifest.files as Record<string, { rows?: number }>)[name]?.rows;
  if (rows !== listed) throw new BackupProblem(`${name} has ${rows} rows, the manifest says ${listed}`);
  if (counted !== rows) throw new BackupProblem(`${FILE_NAMES.manifest} counts ${counted} rows of ${name}, the file has ${rows}`);
  if (!isTrades) return;
  const range = { from: (from as Date | null)?.toISOString() ?? null, to: (to as Date | null)?.toISOString() ?? null };
  if (range.from !== manifest.range.from || range.to !== manifest.range.to) {
    throw new BackupProblem(
      `${FILE_NAMES.manifest} gives the time range ${manifest.range.from} to ${manifest.range.to}, the trades span ${range.from} to ${range.to}`,
    );
  }
}

async function* recordBatches<T>(
  archive: ZipSource,
  entry: ZipEntry,
  manifest: BackupManifest,
  table: CsvTable<T>,
  layout: number,
  batchSize: number,
  rawAsText: boolean,
): AsyncGenerator<T[], void, undefined> {
  const digest = new FileDigest();
  const reader = new CsvTableReader(table, { jsonAsText: rawAsText, layouts: [layout] });
  let batch: T[] = [];
  const take = function* (records: T[]): Generator<T[], void, undefined> {
    for (const record of records) {
      batch.push(record);
      if (batch.length >= batchSize) {
        yield batch;
        batch = [];
      }
    }
  };
  for await (const chunk of inflateEntry(archive, entry)) {
    digest.update(chunk);
    yield* take(reader.push(chunk));
  }
  yield* take(reader.end());
  // The bytes were verified before; if they changed since, fail before the last batch so a
  // restore inside a transaction rolls back.
  checkAgainstManifest(manifest, table.file as RecordFileName, digest);
  if (batch.length > 0) yield batch;
}

function checkAgainstManifest(manifest: BackupManifest, name: ManifestFileName, digest: FileDigest): void {
  checkDigest(name, digest, (manifest.files as Record<string, { sha256: string; bytes: number }>)[name]!);
}

function checkDigest(name: string, digest: FileDigest, listed: { sha256: string; bytes: number }): void {
  const { sha256, bytes } = digest.summary();
  if (bytes !== listed.bytes) throw new BackupProblem(`${name} is ${bytes} bytes, the manifest says ${listed.bytes}`);
  if (sha256 !== listed.sha256) {
    throw new BackupProblem(`${name} does not match its SHA-256 in the manifest (the file or the manifest was changed)`);
  }
}

function parseManifest(bytes: Uint8Array): BackupManifest {
  const json = parseJson(bytes, FILE_NAMES.manifest);
  const parsed = backupManifestSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.join(".")}: ` : "";
  throw new BackupProblem(`${FILE_NAMES.manifest} is not a valid version 1 or 2 backup manifest (${where}${issue?.message ?? "invalid"})`);
}

function parseJson(bytes: Uint8Array, name: string): unknown {
  try {
    return JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    throw new BackupProblem(`${name} is not valid UTF-8 JSON`);
  }
}

async function readWhole(archive: ZipSource, entry: ZipEntry, maxBytes = WHOLE_FILE_MAX_BYTES): Promise<Uint8Array> {
  if (entry.size > maxBytes) {
    throw new BackupProblem(`${entry.name} is ${formatBytes(entry.size)}, more than the ${formatBytes(maxBytes)} such a file can be in a backup`);
  }
  const chunks: Uint8Array[] = [];
  for await (const chunk of inflateEntry(archive, entry)) chunks.push(chunk);
  return concat(chunks);
}

async function collect(source: Uint8Array | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>, maxBytes: number): Promise<Uint8Array> {
  if (source instanceof Uint8Array) {
    if (source.length > maxBytes) throw new BackupProblem(`the archive is larger than ${maxBytes} bytes`);
    return source;
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  const add = (chunk: Uint8Array) => {
    total += chunk.length;
    if (total > maxBytes) throw new BackupProblem(`the archive is larger than ${maxBytes} bytes`);
    chunks.push(chunk);
  };
  if (source instanceof ReadableStream) {
    const reader = source.getReader();
    try {
      for (let next = await reader.read(); !next.done; next = await reader.read()) add(next.value);
    } finally {
      await reader.cancel().catch(() => undefined);
    }
  } else {
    for await (const chunk of source) add(chunk);
  }
  return concat(chunks);
}

function concat(chunks: Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}
