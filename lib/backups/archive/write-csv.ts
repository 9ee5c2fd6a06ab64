import { csvHeader, TRADES_TABLE, type CsvTable } from "./csv-tables";
import type { BackupTrade } from "./types";
import { toReadableStream } from "./web-stream";

/** Records in batches, as a database cursor returns them (a plain array of batches works too). */
export type RecordBatches<T> = AsyncIterable<readonly T[]> | Iterable<readonly T[]>;
export type TradeBatches = RecordBatches<BackupTrade>;

/**
 * Rows are gathered into chunks of about this many characters before they are encoded and
 * handed on: compressing one small chunk per row was 7x slower (docs/benchmarks.md).
 */
export const CSV_CHUNK_CHARS = 64 * 1024;

/**
 * A table's CSV as UTF-8 chunks of about 64 KiB: the header, then one row per record. Memory
 * holds one batch and one chunk at a time. `onRecord` sees every record after its row is
 * written (for counts and the time range of the manifest).
 */
export async function* csvChunks<T>(table: CsvTable<T>, batches: RecordBatches<T>, onRecord?: (record: T) => void): AsyncGenerator<Uint8Array, void, undefined> {
  const encoder = new TextEncoder();
  let text = csvHeader(table as CsvTable<unknown>);
  for await (const batch of batches) {
    for (const record of batch) {
      text += table.toRow(record);
      onRecord?.(record);
      if (text.length >= CSV_CHUNK_CHARS) {
        yield encoder.encode(text);
        text = "";
      }
    }
  }
  if (text !== "") yield encoder.encode(text);
}

/** trades.csv as chunks. */
export function tradesCsvChunks(batches: TradeBatches, onTrade?: (trade: BackupTrade) => void): AsyncGenerator<Uint8Array, void, undefined> {
  return csvChunks(TRADES_TABLE, batches, onTrade);
}

/** The plain CSV download: the same header and rows as trades.csv in a backup archive. */
export function writeTradesCsv(batches: TradeBatches): ReadableStream<Uint8Array> {
  return toReadableStream(tradesCsvChunks(batches));
}
