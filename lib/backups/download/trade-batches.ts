import "server-only";
import { JsonText, type BackupTrade } from "@/lib/backups/archive/types";
import type { Db } from "@/lib/db";

// A binding's trades as batches in a stable order (time, then insertion), read by keyset
// pagination so memory holds one batch however many trades there are. The snapshot bound
// (`upToId`) keeps trades that an export inserts meanwhile out of this file: the archive's
// row count and the rows in it always agree.

// A download holds two batches (one being written, the next read ahead); with the keyset
// index each query is a short index range scan, so small batches cost little (1000, 5000 and
// 250 all measured the same rows/s).
export const TRADE_BATCH_SIZE = 1000;

interface TradeRow {
  id: bigint;
  product: string;
  market: string;
  exchangeTradeId: string;
  orderId: string | null;
  side: string;
  price: string;
  amount: string;
  cost: string | null;
  fee: string | null;
  feeCurrency: string | null;
  isMaker: boolean | null;
  tradedAt: Date;
  /** jsonb as text (see JsonText). */
  effects: string;
  raw: string;
}

export interface TradeSnapshot {
  /** Highest TradeRecord id included; null when the binding has no trades. */
  upToId: bigint | null;
  rows: number;
  from: Date | null;
  to: Date | null;
}

export async function tradeSnapshot(client: Db, bindingId: string): Promise<TradeSnapshot> {
  const [row] = await client.$queryRaw<Array<{ upToId: bigint | null; rows: bigint; from: Date | null; to: Date | null }>>`
    SELECT max("id") AS "upToId", count(*) AS "rows", min("tradedAt") AS "from", max("tradedAt") AS "to"
    FROM "TradeRecord" WHERE "bindingId" = ${bindingId}`;
  return { upToId: row?.upToId ?? null, rows: Number(row?.rows ?? 0), from: row?.from ?? null, to: row?.to ?? null };
}

export async function* tradeBatches(
  client: Db,
  input: { bindingId: string; exchange: string; upToId: bigint | null; batchSize?: number },
): AsyncGenerator<BackupTrade[], void, undefined> {
  if (input.upToId === null) return;
  const limit = input.batchSize ?? TRADE_BATCH_SIZE;
  let after: { tradedAt: Date; id: bigint } | null = null;
  for (;;) {
    const rows: TradeRow[] = after
      ? await client.$queryRaw<TradeRow[]>`
          SELECT "id", "product", "market", "exchangeTradeId", "orderId", "side", "price", "amount", "cost", "fee", "feeCurrency", "isMaker", "tradedAt", "effects"::text AS "effects", "raw"::text AS "raw"
          FROM "TradeRecord"
          WHERE "bindingId" = ${input.bindingId} AND "id" <= ${input.upToId}
            AND ("tradedAt", "id") > (${after.tradedAt}, ${after.id})
          ORDER BY "tradedAt", "id" LIMIT ${limit}`
      : await client.$queryRaw<TradeRow[]>`
          SELECT "id", "product", "market", "exchangeTradeId", "orderId", "side", "price", "amount", "cost", "fee", "feeCurrency", "isMaker", "tradedAt", "effects"::text AS "effects", "raw"::text AS "raw"
          FROM "TradeRecord"
          WHERE "bindingId" = ${input.bindingId} AND "id" <= ${input.upToId}
          ORDER BY "tradedAt", "id" LIMIT ${limit}`;
    if (rows.length === 0) return;
    yield rows.map((row) => toBackupTrade(row, input.exchange));
    const last = rows[rows.length - 1]!;
    after = { tradedAt: last.tradedAt, id: last.id };
    if (rows.length < limit) return;
  }
}

function toBackupTrade(row: TradeRow, exchange: string): BackupTrade {
  return {
    exchange,
    product: row.product,
    market: row.market,
    tradeId: row.exchangeTradeId,
    orderId: row.orderId,
    // The CSV writer refuses anything but buy/sell: a corrupt row fails the download loudly.
    side: row.side as BackupTrade["side"],
    price: row.price,
    amount: row.amount,
    cost: row.cost,
    fee: row.fee,
    feeCurrency: row.feeCurrency,
    isMaker: row.isMaker,
    tradedAt: row.tradedAt,
    effects: new JsonText(row.effects),
    raw: new JsonText(row.raw),
  };
}
