import "server-only";
import { verifyBackupArchive } from "@/lib/backups/archive/read-archive";
import type { ZipSource } from "@/lib/backups/archive/zip-reader";
import { JsonText, type BackupConversion, type BackupIncome, type BackupTrade, type BackupTransfer } from "@/lib/backups/archive/types";
import { insertRecordsetOf, storedTimestamp } from "@/lib/backups/records/store-records";
import { recordEvent } from "@/lib/audit/record-event";
import { noRequestMeta, type RequestMeta } from "@/lib/auth/request-meta";
import type { Db } from "@/lib/db";
import { AppError } from "@/lib/errors";

// Restores a backup archive (format 1 or 2) into one of the user's keys. Nothing is written
// until every checksum, count and row of the archive has been verified; then the records go in
// in file order, so a later download lists them in the same order (export, wipe, import,
// export gives the same CSV bytes). Records already stored are left as they are (unique per
// binding and exchange id), so importing twice changes nothing.

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
    inserted += await client.$transaction((tx) => insertRecordsetOf(tx, "trades", binding.id, recordsetOf(batch, tradeFields), { skipStored: true }));
  }
  // Transfers, conversions and income (version 2 archives): not counted in `inserted`, which
  // says how many trades were new.
  for await (const batch of verified.transfers) {
    await client.$transaction((tx) => insertRecordsetOf(tx, "transfers", binding.id, recordsetOf(batch, transferFields), { skipStored: true }));
  }
  for await (const batch of verified.conversions) {
    await client.$transaction((tx) => insertRecordsetOf(tx, "conversions", binding.id, recordsetOf(batch, conversionFields), { skipStored: true }));
  }
  for await (const batch of verified.income) {
    await client.$transaction((tx) => insertRecordsetOf(tx, "income", binding.id, recordsetOf(batch, incomeFields), { skipStored: true }));
  }

  // The exchange's own history files: kept as they are; one already stored for the window stays.
  for (const statement of verified.statements) {
    const bytes = await statement.read();
    const window = { bindingId: binding.id, kind: statement.kind, rangeFrom: statement.from, rangeTo: statement.to };
    const stored = await client.exchangeStatement.findUnique({ where: { bindingId_kind_rangeFrom_rangeTo: window }, select: { status: true } });
    if (stored?.status === "STORED") continue;
    const data = {
      part: statement.part,
      status: "STORED" as const,
      downloadId: statement.downloadId,
      fileName: statement.path.slice("statements/".length),
      content: Buffer.from(bytes),
      sizeBytes: statement.bytes,
      sha256: statement.sha256,
      storedAt: new Date(),
      error: null,
    };
    await client.exchangeStatement.upsert({ where: { bindingId_kind_rangeFrom_rangeTo: window }, create: { userId, ...window, ...data }, update: data });
  }

  const rows = verified.manifest.counts.trades;
  const meta = options.meta ?? noRequestMeta;
  await recordEvent(client, {
    userId,
    type: "backup.imported",
    bindingId: binding.id,
    data: { rows, inserted, statements: verified.statements.length, createdAt: verified.manifest.createdAt },
    ip: meta.ip,
    userAgent: meta.userAgent,
  });
  return { rows, inserted, alreadyPresent: rows - inserted };
}

/**
 * The batch as the recordset insertRecordsetOf unpacks, each JSON column (effects, raw) spliced
 * in as the archive's text (checked to be JSON by the reader): Postgres parses it, not
 * JavaScript, so a number past 2^53 comes back digit for digit and the round trip gives the
 * same bytes.
 */
function recordsetOf<T extends { effects: unknown; raw: unknown }>(batch: readonly T[], fields: (record: T) => Record<string, unknown>): string {
  const rows = batch.map((record) => {
    const plain = JSON.stringify(fields(record));
    return `${plain.slice(0, -1)},"effects":${jsonText(record.effects)},"raw":${jsonText(record.raw)}}`;
  });
  return `[${rows.join(",")}]`;
}

function jsonText(value: unknown): string {
  return value instanceof JsonText ? value.text : JSON.stringify(value);
}

const tradeFields = (trade: BackupTrade) => ({
  product: trade.product,
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

const transferFields = (t: BackupTransfer) => ({
  direction: t.direction,
  exchangeId: t.transferId,
  asset: t.asset,
  amount: t.amount,
  fee: t.fee,
  network: t.network,
  address: t.address,
  txId: t.txId,
  status: t.status,
  occurredAt: storedTimestamp(t.occurredAt),
});

const conversionFields = (c: BackupConversion) => ({
  kind: c.kind,
  exchangeId: c.conversionId,
  fromAsset: c.fromAsset,
  fromAmount: c.fromAmount,
  toAsset: c.toAsset,
  toAmount: c.toAmount,
  fee: c.fee,
  feeAsset: c.feeAsset,
  occurredAt: storedTimestamp(c.occurredAt),
});

const incomeFields = (i: BackupIncome) => ({
  product: i.product,
  kind: i.kind,
  exchangeType: i.exchangeType,
  exchangeId: i.incomeId,
  asset: i.asset,
  amount: i.amount,
  market: i.market,
  occurredAt: storedTimestamp(i.occurredAt),
});
