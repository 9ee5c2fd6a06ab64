import { Zip, ZipDeflate } from "fflate";
import { FileDigest } from "./file-digest";
import { NativeZipDeflate } from "./native-deflate";
import { OnceIterator } from "./once-iterator";
import { secretFreeJson } from "./secret-free-json";
import { CONVERSIONS_TABLE, INCOME_TABLE, TRADES_TABLE, TRANSFERS_TABLE, type CsvTable } from "./csv-tables";
import {
  BACKUP_FORMAT,
  BACKUP_VERSION,
  FILE_NAMES,
  STATEMENT_PATH,
  type BackupConversion,
  type BackupIncome,
  type BackupKeyInfo,
  type BackupManifestV2,
  type BackupTransfer,
  type ManifestStatement,
  type RecordFileName,
} from "./types";
import { toReadableStream } from "./web-stream";
import { CSV_CHUNK_CHARS, csvChunks, type RecordBatches, type TradeBatches } from "./write-csv";

// Streams a backup archive (see types.ts for the layout) with flat memory: records arrive in
// batches from a cursor, become ~64 KiB CSV chunks, are hashed and counted on the way, and go
// through a streaming deflate; each compressed piece is handed on as soon as it exists.
// Nothing holds a whole CSV. The manifest is written last because it needs the checksums.
// The CSVs (trades.csv is nearly all of the work) are deflated by Node's zlib off the main
// thread (native-deflate.ts); the small JSON files by fflate.
//
// fflate writes no ZIP64 records, so an archive (or trades.csv inside it) must stay under
// 4 GiB; the writer fails loudly rather than produce a corrupt file (about 14M trades).

export interface BackupArchiveInput {
  trades: TradeBatches;
  /** Default: none (the file is written with its header only). */
  transfers?: RecordBatches<BackupTransfer>;
  conversions?: RecordBatches<BackupConversion>;
  income?: RecordBatches<BackupIncome>;
  /**
   * coverage.json: the coverage report of the export behind the backup (lib/backups/coverage),
   * or null (the default) when no export finished; `complete` is its verdict for the manifest.
   */
  coverage?: { report: unknown; complete: boolean } | null;
  /** The exchange's own history files (statements/...), written as they are, in this order. */
  statements?: readonly ArchiveStatement[];
  /** key.json; exchange and label also go into the manifest and the file name. */
  key: BackupKeyInfo;
  /** bots.json: the settings of the bots that use the key. */
  bots: readonly unknown[];
  /** createdAt of the manifest and the modification time of the files in the ZIP. */
  now: Date;
}

export interface ArchiveStatement extends Omit<ManifestStatement, "sha256" | "bytes" | "from" | "to"> {
  from: Date;
  to: Date;
  bytes: Uint8Array;
}

export class ArchiveTooLargeError extends Error {
  constructor(what: string) {
    super(`${what} would exceed 4 GiB, which a ZIP without ZIP64 cannot hold; split the backup by time range`);
    this.name = "ArchiveTooLargeError";
  }
}

const ZIP32_LIMIT = 0xffffffff;
const DEFLATE_LEVEL = 6;
/** How much CSV zlib may hold uncompressed: a few chunks, so the main thread keeps writing. */
const DEFLATE_BACKLOG = 4 * CSV_CHUNK_CHARS;

/** A web stream of the archive, for a route handler; cancel() stops the trades iterator. */
export function writeBackupArchive(input: BackupArchiveInput): ReadableStream<Uint8Array> {
  return toReadableStream(backupArchiveChunks(input));
}

/**
 * The archive as chunks. Throws at once (before any byte) if key.json would contain a
 * secret-like property or the JSON is invalid; later errors (a failing cursor, a bad trade)
 * surface from the iterator.
 */
export function backupArchiveChunks(input: BackupArchiveInput): AsyncGenerator<Uint8Array, void, undefined> {
  const encoder = new TextEncoder();
  const keyJson = encoder.encode(secretFreeJson(input.key, FILE_NAMES.key));
  const botsJson = encoder.encode(JSON.stringify(input.bots, null, 2) + "\n");
  const coverageJson = encoder.encode(JSON.stringify(input.coverage?.report ?? null, null, 2) + "\n");
  const paths = new Set<string>();
  for (const { path } of input.statements ?? []) {
    if (!STATEMENT_PATH.test(path) || paths.has(path)) throw new TypeError(`statement path ${JSON.stringify(path)} is invalid or repeated`);
    paths.add(path);
  }
  const year = input.now.getFullYear(); // ZIP dates are local time, 1980 to 2099
  if (!(year >= 1980 && year <= 2099)) throw new TypeError("now must be a date between 1980 and 2099");
  return archiveChunks(input, keyJson, botsJson, coverageJson);
}

async function* archiveChunks(
  input: BackupArchiveInput,
  keyJson: Uint8Array,
  botsJson: Uint8Array,
  coverageJson: Uint8Array,
): AsyncGenerator<Uint8Array, void, undefined> {
  const encoder = new TextEncoder();
  const ready: Uint8Array[] = [];
  let failure: Error | null = null;
  let emitted = 0;
  const zip = new Zip((error, chunk) => {
    if (error) failure ??= error;
    else ready.push(chunk);
  });
  // fflate calls back synchronously: after each push, hand on what it produced.
  function* flush(): Generator<Uint8Array, void, undefined> {
    if (failure) throw failure;
    for (const chunk of ready.splice(0)) {
      emitted += chunk.length;
      if (emitted > ZIP32_LIMIT) throw new ArchiveTooLargeError("the archive");
      yield chunk;
    }
  }
  const addFile = (name: string): ZipDeflate => {
    const file = new ZipDeflate(name, { level: DEFLATE_LEVEL });
    file.mtime = input.now;
    zip.add(file);
    return file;
  };

  // Each CSV: its rows through zlib, counted and hashed. The sources are taken up front, so the
  // finally below closes every one (database cursors), whether the client aborted (cancel ->
  // return) before or while it was read, or something failed.
  const sources = {
    trades: new OnceIterator(input.trades),
    transfers: new OnceIterator(input.transfers ?? []),
    conversions: new OnceIterator(input.conversions ?? []),
    income: new OnceIterator(input.income ?? []),
  };
  let deflating: NativeZipDeflate | null = null;
  async function* csvFile<T>(table: CsvTable<T>, source: OnceIterator<readonly T[]>, onRecord: (record: T) => void) {
    const file = new NativeZipDeflate(table.file, input.now, { level: DEFLATE_LEVEL, highWaterMark: DEFLATE_BACKLOG });
    deflating = file;
    zip.add(file);
    const digest = new FileDigest();
    let rows = 0;
    for await (const chunk of csvChunks(table, source, (record) => {
      rows += 1;
      onRecord(record);
    })) {
      digest.update(chunk);
      if (digest.bytes > ZIP32_LIMIT) throw new ArchiveTooLargeError(table.file);
      await file.push(chunk);
      yield* flush();
    }
    await file.end();
    deflating = null;
    yield* flush();
    files[table.file as RecordFileName] = { ...digest.summary(), rows };
  }
  const files = {} as Record<RecordFileName, { sha256: string; bytes: number; rows: number }>;
  try {
    addFile(FILE_NAMES.key).push(keyJson, true);
    addFile(FILE_NAMES.bots).push(botsJson, true);
    addFile(FILE_NAMES.coverage).push(coverageJson, true);
    yield* flush();

    const seen = { from: null as Date | null, to: null as Date | null };
    yield* csvFile(TRADES_TABLE, sources.trades, (trade) => {
      if (seen.from === null || trade.tradedAt < seen.from) seen.from = trade.tradedAt;
      if (seen.to === null || trade.tradedAt > seen.to) seen.to = trade.tradedAt;
    });
    const ignore = () => undefined;
    yield* csvFile(TRANSFERS_TABLE, sources.transfers, ignore);
    yield* csvFile(CONVERSIONS_TABLE, sources.conversions, ignore);
    yield* csvFile(INCOME_TABLE, sources.income, ignore);

    const statements: ManifestStatement[] = [];
    for (const statement of input.statements ?? []) {
      addFile(statement.path).push(statement.bytes, true);
      yield* flush();
      statements.push({
        path: statement.path,
        kind: statement.kind,
        part: statement.part,
        from: statement.from.toISOString(),
        to: statement.to.toISOString(),
        downloadId: statement.downloadId,
        ...FileDigest.of(statement.bytes).summary(),
      });
    }

    const manifest: BackupManifestV2 = {
      format: BACKUP_FORMAT,
      version: BACKUP_VERSION,
      createdAt: input.now.toISOString(),
      exchange: input.key.exchange,
      label: input.key.label,
      range: { from: seen.from?.toISOString() ?? null, to: seen.to?.toISOString() ?? null },
      complete: input.coverage?.complete ?? null,
      counts: {
        trades: files[FILE_NAMES.trades].rows,
        transfers: files[FILE_NAMES.transfers].rows,
        conversions: files[FILE_NAMES.conversions].rows,
        income: files[FILE_NAMES.income].rows,
        bots: input.bots.length,
      },
      files: {
        ...files,
        [FILE_NAMES.key]: FileDigest.of(keyJson).summary(),
        [FILE_NAMES.bots]: FileDigest.of(botsJson).summary(),
        [FILE_NAMES.coverage]: FileDigest.of(coverageJson).summary(),
      },
      ...(statements.length > 0 ? { statements } : {}),
    };
    addFile(FILE_NAMES.manifest).push(encoder.encode(JSON.stringify(manifest, null, 2) + "\n"), true);
    zip.end();
    yield* flush();
  } finally {
    (deflating as NativeZipDeflate | null)?.terminate();
    for (const source of Object.values(sources)) await source.return();
  }
}
