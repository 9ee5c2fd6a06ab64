import "server-only";
import { Prisma } from "@/generated/prisma/client";
import { verifyBackupArchive } from "@/lib/backups/archive/read-archive";
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
  archive: Uint8Array | ReadableStream<Uint8Array>,
  options: { meta?: RequestMeta } = {},
): Promise<ImportBackupResult> {
  const binding = await client.exchangeBinding.findFirst({
    where: { id: bindingId, userId, status: { not: "UNBOUND" } },
    select: { id: true, exchange: true, label: true },
  });
  if (!binding) throw new AppError("NOT_FOUND", "No such key.");

  const verified = await verifyBackupArchive(archive, { maxBytes: MAX_IMPORT_BYTES, batchSize: 2000 });
  if (!verified.ok) throw new AppError("BAD_REQUEST", `This backup cannot be restored: ${verified.problem}.`);
  if (verified.manifest.exchange !== binding.exchange) {
    throw new AppError(
      "BAD_REQUEST",
      `This backup holds ${verified.manifest.exchange} trades; “${binding.label}” is a ${binding.exchange} key. Choose a ${verified.manifest.exchange} key to restore into.`,
    );
  }

  let inserted = 0;
  for await (const batch of verified.trades) {
    const created = await client.tradeRecord.createMany({
      data: batch.map((trade) => ({
        bindingId: binding.id,
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
        tradedAt: trade.tradedAt,
        raw: trade.raw === null ? Prisma.JsonNull : (trade.raw as Prisma.InputJsonValue),
      })),
      skipDuplicates: true,
    });
    inserted += created.count;
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
