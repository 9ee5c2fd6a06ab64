import "server-only";
import { verifyBackupArchive } from "@/lib/backups/archive/read-archive";
import type { ZipSource } from "@/lib/backups/archive/zip-reader";
import { JsonText, type BackupTrade } from "@/lib/backups/archive/types";
import { insertRecordsetOf, storedTimestamp } from "@/lib/backups/records/store-records";
import { recordEvent } from "@/lib/audit/record-event";
import { noRequestMeta, type RequestMeta } from "@/lib/auth/request-meta";
import type { Db } from "@/lib/db";
import { AppError } from "@/lib/errors";

// Restores a backup archive into one of the user's keys. Nothing is written until every
// checksum, count and row of the archive has been verified; then the trades go in in file
// order, so a later download lists them in the same order (export, wipe, import, export gives
// the same trades.csv bytes). Trades already stored are left as they are (unique per binding,
// market and exchange trade id), so importing twice changes nothing.

export const MAX_IMPORT_BYTES = 512 * 1024 * 1024;

export interface ImportBackupResult {
  rows: number;
  inserted: number;
  alreadyPresent: number;
}

export async function importBackup(
  client: Db,
  userId: string,
  bindingId: string,
  archive: Uint8Array | ZipSource | ReadableStream<Uint8Array>,
  options: { meta?: RequestMeta } = {},
): Promise<ImportBackupResult> {
  const binding = await client.exchangeBinding.findFirst({
    where: { id: bindingId, userId, status: { not: "UNBOUND" } },
    select: { id: true, exchange: true, label: true },
  });
  if (!binding) throw new AppError("NOT_FOUND", "No such key.");

  const verified = await verifyBackupArchive(archive, { maxBytes: MAX_IMPORT_BYTES, batchSize: 2000, rawAsText: true });
  if (!verified.ok) throw new AppError("BAD_REQUEST", `This backup cannot be restored: ${verified.problem}.`);
  if (verified.manifest.exchange !== binding.exchange) {
    throw new AppError(
      "BAD_REQUEST",
      `This backup holds ${verified.manifest.exchange} trades; “${binding.label}” is a ${binding.exchange} key. Choose a ${verified.manifest.exchange} key to restore into.`,
    );
  }

  let inserted = 0;
  for await (const batch of verified.trades) {
    inserted += await client.$transaction((tx) => insertRecordsetOf(tx, "trades", binding.id, recordsetOf(batch), { skipStored: true }));
  }

  const rows = verified.manifest.counts.trades;
  const meta = options.meta ?? noRequestMeta;
  await recordEvent(client, {
    userId,
    type: "backup.imported",
    bindingId: binding.id,
    data: { rows, inserted, createdAt: verified.manifest.createdAt },
    ip: meta.ip,
    userAgent: meta.userAgent,
  });
  return { rows, inserted, alreadyPresent: rows - inserted };
}

/**
 * The batch as the recordset insertRecordsetOf unpacks, each raw record spliced in as the
 * archive's text (checked to be JSON by the reader): Postgres parses it, not JavaScript, so a
 * number past 2^53 comes back digit for digit and the round trip gives the same bytes.
 */
function recordsetOf(batch: readonly BackupTrade[]): string {
  const rows = batch.map((trade) => {
    const fields = JSON.stringify({
      product: "spot",
      market: trade.market,
      exchangeTradeId: trade.tradeId,
      orderId: trade.orderId,
      side: trade.side,
      price: trade.price,
      amount: trade.amount,
      cost: trade.cost,
      fee: trade.fee,
      feeCurrency: trade.feeCurrency,
      isMaker: trade.isMaker,
      tradedAt: storedTimestamp(trade.tradedAt),
    });
    const raw = trade.raw instanceof JsonText ? trade.raw.text : JSON.stringify(trade.raw);
    return `${fields.slice(0, -1)},"raw":${raw}}`;
  });
  return `[${rows.join(",")}]`;
}
