import "server-only";
import { createHash } from "node:crypto";
import { backupArchiveChunks } from "@/lib/backups/archive/write-archive";
import { FileDigest } from "@/lib/backups/archive/file-digest";
import { tradesCsvChunks } from "@/lib/backups/archive/write-csv";
import { backupFileName } from "@/lib/backups/archive/file-name";
import { toReadableStream } from "@/lib/backups/archive/web-stream";
import { recordEvent } from "@/lib/audit/record-event";
import { noRequestMeta, type RequestMeta } from "@/lib/auth/request-meta";
import type { Db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { readAhead } from "@/lib/backups/read-ahead";
import { coverageReportSchema, withStatements } from "@/lib/backups/coverage/coverage-report";
import { partName } from "@/lib/backups/coverage/part-names";
import { storedStatements } from "@/lib/backups/statements/statements";
import { getAdapter } from "@/lib/exchanges/registry";
import { conversionBatches, incomeBatches, recordSnapshot, transferBatches } from "./record-batches";
import { tradeBatches, tradeSnapshot } from "./trade-batches";
import { taxCsvChunks } from "@/lib/backups/tax/write-tax-csv";
import type { TaxTool } from "@/lib/backups/tax/tax-csv";
import { bindingFactsSelect } from "@/lib/keys/binding-facts";

// A backup download: the binding's history streamed from Postgres into a ZIP archive (trades,
// transfers, conversions, income, the coverage report of the export behind it), or its trades
// into a plain CSV, as the browser reads it. The Backup row and its audit event are written only when
// the last byte has been handed over, so "downloaded" (which the unbind wizard's backup gate
// reads) never records a download the user broke off.

/** zip: the verifiable archive; csv: trades.csv alone; koinly / cointracker: every movement in that tax tool's import layout. */
export type BackupDownloadFormat = "zip" | "csv" | TaxTool;

export interface BackupDownload {
  fileName: string;
  contentType: string;
  /** Trades in the file. */
  rows: number;
  body: ReadableStream<Uint8Array>;
}

export interface OpenBackupDownloadOptions {
  meta?: RequestMeta;
  now?: Date;
}

export async function openBackupDownload(
  client: Db,
  userId: string,
  bindingId: string,
  format: BackupDownloadFormat,
  options: OpenBackupDownloadOptions = {},
): Promise<BackupDownload> {
  const binding = await client.exchangeBinding.findFirst({
    where: { id: bindingId, userId },
    select: {
      ...bindingFactsSelect,
      lastSyncedAt: true,
      bots: { select: { id: true, name: true, status: true, strategy: true, settings: true, createdAt: true }, orderBy: { name: "asc" } },
    },
  });
  if (!binding) throw new AppError("NOT_FOUND", "No such key.");

  const now = options.now ?? new Date();
  const snapshot = await tradeSnapshot(client, binding.id);
  const latestExport = await client.exportJob.findFirst({
    where: { bindingId: binding.id, status: "SUCCEEDED" },
    orderBy: { finishedAt: "desc" },
    select: { id: true, coverage: true },
  });
  const coverage = coverageReportSchema.safeParse(latestExport?.coverage).data ?? null;
  const complete = coverage?.complete ?? false;
  const others = await recordSnapshot(client, binding.id);
  const scope = (upToId: bigint | null) => ({ bindingId: binding.id, exchange: binding.exchange, upToId });
  // Postgres finds the next batch while this one becomes CSV.
  const trades = readAhead(tradeBatches(client, { bindingId: binding.id, exchange: binding.exchange, upToId: snapshot.upToId }));
  if (format === "koinly" || format === "cointracker") {
    const body = taxCsvChunks(format, {
      trades,
      transfers: transferBatches(client, scope(others.Transfer)),
      conversions: conversionBatches(client, scope(others.Conversion)),
      income: incomeBatches(client, scope(others.IncomeEntry)),
    });
    const recordExport = async (rows: number) => {
      const meta = options.meta ?? noRequestMeta;
      await recordEvent(client, { userId, type: "backup.tax_exported", bindingId: binding.id, data: { format, rows }, ip: meta.ip, userAgent: meta.userAgent });
    };
    return {
      fileName: backupFileName({ exchange: binding.exchange, label: binding.label, date: now, kind: format }),
      contentType: "text/csv; charset=utf-8",
      rows: snapshot.rows,
      body: toReadableStream(countedWhenComplete(body, recordExport)),
    };
  }
  const statements = format === "zip" ? await storedStatements(client, userId, binding.id, binding.exchange) : [];
  const report =
    coverage &&
    withStatements(
      coverage,
      statements.map((s) => ({ ...s, ...FileDigest.of(s.bytes).summary() })),
      getAdapter(binding.exchange).displayName,
      partName,
    );
  const chunks =
    format === "zip"
      ? backupArchiveChunks({
          trades,
          transfers: transferBatches(client, scope(others.Transfer)),
          conversions: conversionBatches(client, scope(others.Conversion)),
          income: incomeBatches(client, scope(others.IncomeEntry)),
          coverage: report ? { report, complete } : null,
          statements,
          now,
          key: {
            exchange: binding.exchange,
            label: binding.label,
            apiKeyMasked: binding.apiKeyMasked,
            status: binding.status,
            permissions: binding.permissions,
            ipRestricted: binding.ipRestricted,
            ipWhitelist: binding.ipWhitelist,
            keyCreatedAt: binding.keyCreatedAt?.toISOString() ?? null,
            keyExpiresAt: binding.keyExpiresAt?.toISOString() ?? null,
            boundAt: binding.createdAt.toISOString(),
            lastVerifiedAt: binding.lastVerifiedAt?.toISOString() ?? null,
            lastSyncedAt: binding.lastSyncedAt?.toISOString() ?? null,
          },
          bots: binding.bots.map((bot) => ({ ...bot, createdAt: bot.createdAt.toISOString() })),
        })
      : tradesCsvChunks(trades);

  const recordDownload = async (sizeBytes: number, sha256: string) => {
    await client.$transaction(async (tx) => {
      const backup = await tx.backup.create({
        data: {
          userId,
          bindingId: binding.id,
          exportJobId: latestExport?.id ?? null,
          format: format === "zip" ? "ZIP" : "CSV",
          rowCount: snapshot.rows,
          sizeBytes: BigInt(sizeBytes),
          sha256,
          rangeFrom: snapshot.from,
          rangeTo: snapshot.to,
          complete,
          createdAt: now,
          downloadedAt: new Date(),
          downloads: 1,
        },
        select: { id: true },
      });
      const meta = options.meta ?? noRequestMeta;
      await recordEvent(tx, {
        userId,
        type: "backup.downloaded",
        bindingId: binding.id,
        data: { backupId: backup.id, format, rows: snapshot.rows, bytes: sizeBytes, sha256, complete },
        ip: meta.ip,
        userAgent: meta.userAgent,
      });
    });
  };

  return {
    fileName: backupFileName({ exchange: binding.exchange, label: binding.label, date: now, kind: format }),
    contentType: format === "zip" ? "application/zip" : "text/csv; charset=utf-8",
    rows: snapshot.rows,
    body: toReadableStream(recordedWhenComplete(chunks, recordDownload)),
  };
}

async function* countedWhenComplete(chunks: AsyncIterable<{ bytes: Uint8Array; rows: number }>, record: (rows: number) => Promise<void>): AsyncGenerator<Uint8Array, void, undefined> {
  let rows = 0;
  for await (const chunk of chunks) {
    rows += chunk.rows;
    yield chunk.bytes;
  }
  await record(rows);
}

async function* recordedWhenComplete(
  chunks: AsyncIterable<Uint8Array>,
  record: (sizeBytes: number, sha256: string) => Promise<void>,
): AsyncGenerator<Uint8Array, void, undefined> {
  const hash = createHash("sha256");
  let size = 0;
  for await (const chunk of chunks) {
    hash.update(chunk);
    size += chunk.length;
    yield chunk;
  }
  await record(size, hash.digest("hex"));
}
