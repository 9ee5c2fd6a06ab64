import "server-only";
import { JsonText, type BackupConversion, type BackupIncome, type BackupTransfer } from "@/lib/backups/archive/types";
import type { Db } from "@/lib/db";

// A binding's transfers, conversions and income as batches in a stable order (time, then
// insertion), by keyset pagination on each table's (bindingId, occurredAt, id) index, like
// trade-batches.ts for trades. Far fewer rows than trades: one generic reader serves all three.

const BATCH_SIZE = 1000;

interface Spec<T> {
  table: "Transfer" | "Conversion" | "IncomeEntry";
  columns: string[];
  toRecord(row: Record<string, unknown>, exchange: string): T;
}

const text = (row: Record<string, unknown>, key: string) => row[key] as string;
const optional = (row: Record<string, unknown>, key: string) => (row[key] ?? null) as string | null;
const json = (row: Record<string, unknown>, key: string) => new JsonText(row[key] as string);

const TRANSFERS: Spec<BackupTransfer> = {
  table: "Transfer",
  columns: ["direction", "exchangeId", "asset", "amount", "fee", "network", "address", "txId", "status"],
  toRecord: (row, exchange) => ({
    exchange,
    direction: text(row, "direction") as BackupTransfer["direction"],
    transferId: text(row, "exchangeId"),
    asset: text(row, "asset"),
    amount: text(row, "amount"),
    fee: optional(row, "fee"),
    network: optional(row, "network"),
    address: optional(row, "address"),
    txId: optional(row, "txId"),
    status: text(row, "status"),
    occurredAt: row.occurredAt as Date,
    effects: json(row, "effects"),
    raw: json(row, "raw"),
  }),
};

const CONVERSIONS: Spec<BackupConversion> = {
  table: "Conversion",
  columns: ["kind", "exchangeId", "fromAsset", "fromAmount", "toAsset", "toAmount", "fee", "feeAsset"],
  toRecord: (row, exchange) => ({
    exchange,
    kind: text(row, "kind") as BackupConversion["kind"],
    conversionId: text(row, "exchangeId"),
    fromAsset: text(row, "fromAsset"),
    fromAmount: text(row, "fromAmount"),
    toAsset: text(row, "toAsset"),
    toAmount: text(row, "toAmount"),
    fee: optional(row, "fee"),
    feeAsset: optional(row, "feeAsset"),
    occurredAt: row.occurredAt as Date,
    effects: json(row, "effects"),
    raw: json(row, "raw"),
  }),
};

const INCOME: Spec<BackupIncome> = {
  table: "IncomeEntry",
  columns: ["product", "kind", "exchangeType", "exchangeId", "asset", "amount", "market"],
  toRecord: (row, exchange) => ({
    exchange,
    product: text(row, "product"),
    kind: text(row, "kind") as BackupIncome["kind"],
    exchangeType: text(row, "exchangeType"),
    incomeId: text(row, "exchangeId"),
    asset: text(row, "asset"),
    amount: text(row, "amount"),
    market: optional(row, "market"),
    occurredAt: row.occurredAt as Date,
    effects: json(row, "effects"),
    raw: json(row, "raw"),
  }),
};

/** The highest id of each table when a download starts: rows added meanwhile stay out of it. */
export async function recordSnapshot(client: Db, bindingId: string): Promise<Record<Spec<unknown>["table"], bigint | null>> {
  const [row] = await client.$queryRaw<Array<{ transfers: bigint | null; conversions: bigint | null; income: bigint | null }>>`
    SELECT (SELECT max("id") FROM "Transfer" WHERE "bindingId" = ${bindingId}) AS "transfers",
           (SELECT max("id") FROM "Conversion" WHERE "bindingId" = ${bindingId}) AS "conversions",
           (SELECT max("id") FROM "IncomeEntry" WHERE "bindingId" = ${bindingId}) AS "income"`;
  return { Transfer: row?.transfers ?? null, Conversion: row?.conversions ?? null, IncomeEntry: row?.income ?? null };
}

async function* batchesOf<T>(client: Db, spec: Spec<T>, input: { bindingId: string; exchange: string; upToId: bigint | null }): AsyncGenerator<T[], void, undefined> {
  if (input.upToId === null) return;
  const select = `SELECT "id", ${spec.columns.map((c) => `"${c}"`).join(", ")}, "occurredAt", "effects"::text AS "effects", "raw"::text AS "raw" FROM "${spec.table}"`;
  let after: { occurredAt: Date; id: bigint } | null = null;
  for (;;) {
    const rows: Array<Record<string, unknown>> = after
      ? await client.$queryRawUnsafe(
          `${select} WHERE "bindingId" = $1 AND "id" <= $2 AND ("occurredAt", "id") > ($3, $4) ORDER BY "occurredAt", "id" LIMIT ${BATCH_SIZE}`,
          input.bindingId,
          input.upToId,
          after.occurredAt,
          after.id,
        )
      : await client.$queryRawUnsafe(`${select} WHERE "bindingId" = $1 AND "id" <= $2 ORDER BY "occurredAt", "id" LIMIT ${BATCH_SIZE}`, input.bindingId, input.upToId);
    if (rows.length === 0) return;
    yield rows.map((row) => spec.toRecord(row, input.exchange));
    const last = rows[rows.length - 1]!;
    after = { occurredAt: last.occurredAt as Date, id: last.id as bigint };
    if (rows.length < BATCH_SIZE) return;
  }
}

export const transferBatches = (client: Db, input: { bindingId: string; exchange: string; upToId: bigint | null }) => batchesOf(client, TRANSFERS, input);
export const conversionBatches = (client: Db, input: { bindingId: string; exchange: string; upToId: bigint | null }) => batchesOf(client, CONVERSIONS, input);
export const incomeBatches = (client: Db, input: { bindingId: string; exchange: string; upToId: bigint | null }) => batchesOf(client, INCOME, input);
