import type { BackupConversion, BackupIncome, BackupTrade, BackupTransfer } from "@/lib/backups/archive/types";
import { CSV_CHUNK_CHARS, type RecordBatches } from "@/lib/backups/archive/write-csv";
import { taxCsvHeader, taxCsvRow, type TaxTool } from "./tax-csv";
import { conversionMovement, incomeMovement, tradeMovement, transferMovement, type TaxMovement } from "./tax-rows";

// A tax tool's CSV streamed from the record batches (one batch and one ~64 KiB chunk held at a
// time): trades, then transfers, conversions and income. Each chunk says how many rows it holds.

export interface TaxSources {
  trades: RecordBatches<BackupTrade>;
  transfers: RecordBatches<BackupTransfer>;
  conversions: RecordBatches<BackupConversion>;
  income: RecordBatches<BackupIncome>;
}

export async function* taxCsvChunks(tool: TaxTool, sources: TaxSources): AsyncGenerator<{ bytes: Uint8Array; rows: number }, void, undefined> {
  const encoder = new TextEncoder();
  let text = taxCsvHeader(tool);
  let rows = 0;
  async function* each<T>(batches: RecordBatches<T>, movement: (record: T) => TaxMovement | null) {
    for await (const batch of batches) {
      for (const record of batch) {
        const m = movement(record);
        if (!m) continue;
        text += taxCsvRow(tool, m);
        rows += 1;
        if (text.length >= CSV_CHUNK_CHARS) {
          yield { bytes: encoder.encode(text), rows };
          text = "";
          rows = 0;
        }
      }
    }
  }
  yield* each(sources.trades, tradeMovement);
  yield* each(sources.transfers, transferMovement);
  yield* each(sources.conversions, conversionMovement);
  yield* each(sources.income, incomeMovement);
  if (text !== "") yield { bytes: encoder.encode(text), rows };
}
