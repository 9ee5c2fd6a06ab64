import { TRADE_CSV_HEADER, tradeToCsvRow } from "./csv";
import type { BackupTrade } from "./types";
import { toReadableStream } from "./web-stream";

/** Trades in batches, as a database cursor returns them (a plain array of batches works too). */
export type TradeBatches = AsyncIterable<readonly BackupTrade[]> | Iterable<readonly BackupTrade[]>;

/**
 * Rows are gathered into chunks of about this many characters before they are encoded and
 * handed on: compressing one small chunk per row was 7x slower (ENVIRONMENT.md).
 */
export const CSV_CHUNK_CHARS = 64 * 1024;

/**
 * trades.csv as UTF-8 chunks of about 64 KiB: the header, then one row per trade. Memory holds
 * one batch and one chunk at a time. `onTrade` sees every trade after its row is written
 * (for counts and the time range of the manifest).
 */
export async function* tradesCsvChunks(
  batches: TradeBatches,
  onTrade?: (trade: BackupTrade) => void,
): AsyncGenerator<Uint8Array, void, undefined> {
  const encoder = new TextEncoder();
  let text = TRADE_CSV_HEADER;
  for await (const batch of batches) {
    for (const trade of batch) {
      text += tradeToCsvRow(trade);
      onTrade?.(trade);
      if (text.length >= CSV_CHUNK_CHARS) {
        yield encoder.encode(text);
        text = "";
      }
    }
  }
  if (text !== "") yield encoder.encode(text);
}

/** The plain CSV download: the same header and rows as trades.csv in a backup archive. */
export function writeTradesCsv(batches: TradeBatches): ReadableStream<Uint8Array> {
  return toReadableStream(tradesCsvChunks(batches));
}
