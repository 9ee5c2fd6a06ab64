import "server-only";
import { Prisma } from "@/generated/prisma/client";
import type { Tx } from "@/lib/db";
import type { HistoryPage, NormalizedConversion, NormalizedIncome, NormalizedTrade, NormalizedTransfer } from "@/lib/exchanges/types";

// Writing history records into Postgres: trades (TradeRecord), transfers, conversions and income.
// Shared by the export (a page of the exchange's answers) and the restore (rows of an archive),
// so both store the same columns the same way.
//
// One statement per record kind and page, whatever its size: the rows travel as one JSON
// parameter and Postgres unpacks it (Prisma's createMany of 1000 rows x 13 columns was ~10x
// slower here). Amounts stay JSON strings, i.e. the exchange's exact text. (jsonb_to_recordset
// reads a raw record that is JSON null as SQL NULL; the COALESCE keeps it the JSON value it was.)
//
// Records are unique per binding and the exchange's own id (trades: per product and market
// too). A run normally meets only new records: the stored cursor and the stored records agree,
// whenever the process died. Records already stored come from elsewhere (an imported archive,
// a cursor that was reset), so the plain INSERT is the rule and ON CONFLICT DO NOTHING, which
// made trade inserts 12-18% slower here, is the exception: the export switches to it for the
// rest of a run when a plain INSERT meets a stored record (see isUniqueViolation).

interface RecordTable {
  table: string;
  /** Recordset column -> SQL type, in the order of the table's INSERT columns. */
  columns: Array<[name: string, type: string]>;
  /** The table's unique key after "bindingId". */
  unique: string[];
}

const TRADES: RecordTable = {
  table: "TradeRecord",
  columns: [
    ["product", "text"],
    ["market", "text"],
    ["exchangeTradeId", "text"],
    ["orderId", "text"],
    ["side", "text"],
    ["price", "text"],
    ["amount", "text"],
    ["cost", "text"],
    ["fee", "text"],
    ["feeCurrency", "text"],
    ["isMaker", "boolean"],
    ["tradedAt", "timestamp(3)"],
    ["effects", "jsonb"],
    ["raw", "jsonb"],
  ],
  unique: ["product", "market", "exchangeTradeId"],
};

const TRANSFERS: RecordTable = {
  table: "Transfer",
  columns: [
    ["direction", "text"],
    ["exchangeId", "text"],
    ["asset", "text"],
    ["amount", "text"],
    ["fee", "text"],
    ["network", "text"],
    ["address", "text"],
    ["txId", "text"],
    ["status", "text"],
    ["occurredAt", "timestamp(3)"],
    ["effects", "jsonb"],
    ["raw", "jsonb"],
  ],
  unique: ["direction", "exchangeId"],
};

const CONVERSIONS: RecordTable = {
  table: "Conversion",
  columns: [
    ["kind", "text"],
    ["exchangeId", "text"],
    ["fromAsset", "text"],
    ["fromAmount", "text"],
    ["toAsset", "text"],
    ["toAmount", "text"],
    ["fee", "text"],
    ["feeAsset", "text"],
    ["occurredAt", "timestamp(3)"],
    ["effects", "jsonb"],
    ["raw", "jsonb"],
  ],
  unique: ["kind", "exchangeId"],
};

const INCOME: RecordTable = {
  table: "IncomeEntry",
  columns: [
    ["product", "text"],
    ["kind", "text"],
    ["exchangeType", "text"],
    ["exchangeId", "text"],
    ["asset", "text"],
    ["amount", "text"],
    ["market", "text"],
    ["occurredAt", "timestamp(3)"],
    ["effects", "jsonb"],
    ["raw", "jsonb"],
  ],
  unique: ["product", "exchangeId"],
};

function insertSql({ table, columns, unique }: RecordTable, skipStored: boolean): string {
  const names = columns.map(([name]) => `"${name}"`).join(", ");
  const values = columns
    .map(([name, type]) => {
      if (name === "raw") return `COALESCE(r."raw", 'null'::jsonb)`;
      if (name === "effects") return `COALESCE(r."effects", '{}'::jsonb)`;
      return type === "timestamp(3)" ? `(r."${name}")::timestamp(3)` : `r."${name}"`;
    })
    .join(", ");
  // timestamps travel as text (UTC, as Prisma stores DateTime without a time zone)
  const recordType = columns.map(([name, type]) => `"${name}" ${type === "timestamp(3)" ? "text" : type}`).join(", ");
  const conflict = skipStored ? `\n  ON CONFLICT ("bindingId", ${unique.map((c) => `"${c}"`).join(", ")}) DO NOTHING` : "";
  return `
  INSERT INTO "${table}" ("bindingId", ${names})
  SELECT $2, ${values}
  FROM jsonb_to_recordset($1::jsonb) AS r(${recordType})${conflict}`;
}

/** The statements, built once per table and mode. */
const STATEMENTS = new Map<RecordTable, { plain: string; skipping: string }>(
  [TRADES, TRANSFERS, CONVERSIONS, INCOME].map((t) => [t, { plain: insertSql(t, false), skipping: insertSql(t, true) }]),
);

export interface StoreOptions {
  /** Skip records already stored instead of failing with a unique violation. */
  skipStored?: boolean;
}

function insertRecordset(tx: Tx, table: RecordTable, bindingId: string, recordset: string, options: StoreOptions): Promise<number> {
  const sql = STATEMENTS.get(table)!;
  return tx.$executeRawUnsafe(options.skipStored ? sql.skipping : sql.plain, recordset, bindingId);
}

/** A time as the recordset's timestamps: UTC, as Prisma stores DateTime in a timestamp without time zone. */
export function storedTimestamp(date: Date): string {
  return date.toISOString().replace("Z", "");
}

const at = (ms: number) => storedTimestamp(new Date(ms));

/** The stored form of a trade: the exchange's exact strings, never a float. */
export function tradeRow(trade: NormalizedTrade) {
  return {
    product: trade.product,
    market: trade.market,
    exchangeTradeId: trade.id,
    orderId: trade.orderId,
    side: trade.side,
    price: trade.price,
    amount: trade.amount,
    cost: trade.cost,
    fee: trade.fee?.cost ?? null,
    feeCurrency: trade.fee?.currency ?? null,
    isMaker: trade.maker,
    tradedAt: at(trade.timestamp),
    effects: trade.effects,
    raw: trade.raw,
  };
}

export function transferRow(t: NormalizedTransfer) {
  return {
    direction: t.direction,
    exchangeId: t.id,
    asset: t.asset,
    amount: t.amount,
    fee: t.fee,
    network: t.network,
    address: t.address,
    txId: t.txId,
    status: t.status,
    occurredAt: at(t.timestamp),
    effects: t.effects,
    raw: t.raw,
  };
}

export function conversionRow(c: NormalizedConversion) {
  return {
    kind: c.kind,
    exchangeId: c.id,
    fromAsset: c.fromAsset,
    fromAmount: c.fromAmount,
    toAsset: c.toAsset,
    toAmount: c.toAmount,
    fee: c.fee,
    feeAsset: c.feeAsset,
    occurredAt: at(c.timestamp),
    effects: c.effects,
    raw: c.raw,
  };
}

export function incomeRow(i: NormalizedIncome) {
  return {
    product: i.product,
    kind: i.kind,
    exchangeType: i.exchangeType,
    exchangeId: i.id,
    asset: i.asset,
    amount: i.amount,
    market: i.market,
    occurredAt: at(i.timestamp),
    effects: i.effects,
    raw: i.raw,
  };
}

/**
 * Stores trades; returns how many were new. Without `skipStored`, a trade that is already
 * stored fails the statement with a unique violation.
 */
export async function insertTrades(tx: Tx, bindingId: string, trades: NormalizedTrade[], options: StoreOptions = {}): Promise<number> {
  if (trades.length === 0) return 0;
  return insertRecordset(tx, TRADES, bindingId, JSON.stringify(trades.map(tradeRow)), options);
}

/** The record kinds a restore writes from an archive's rows, by their recordset JSON. */
export type RecordKind = "trades" | "transfers" | "conversions" | "income";

const TABLES: Record<RecordKind, RecordTable> = { trades: TRADES, transfers: TRANSFERS, conversions: CONVERSIONS, income: INCOME };

/**
 * Stores records given as the JSON array the INSERT unpacks (objects with the *Row functions'
 * keys). A restore builds it itself, to put each raw record in as the archive's exact text.
 */
export function insertRecordsetOf(tx: Tx, kind: RecordKind, bindingId: string, recordset: string, options: StoreOptions = {}): Promise<number> {
  return insertRecordset(tx, TABLES[kind], bindingId, recordset, options);
}

/** Every record of a page; returns how many trades were new (the job counts trades). */
export async function storePageRecords(tx: Tx, bindingId: string, page: HistoryPage, options: StoreOptions = {}): Promise<number> {
  const trades = await insertTrades(tx, bindingId, page.trades, options);
  if (page.transfers?.length) await insertRecordset(tx, TRANSFERS, bindingId, JSON.stringify(page.transfers.map(transferRow)), options);
  if (page.conversions?.length) await insertRecordset(tx, CONVERSIONS, bindingId, JSON.stringify(page.conversions.map(conversionRow)), options);
  if (page.income?.length) await insertRecordset(tx, INCOME, bindingId, JSON.stringify(page.income.map(incomeRow)), options);
  return trades;
}

/** Postgres 23505 as Prisma reports it for a raw statement (P2010 from the driver adapter). */
export function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError)) return false;
  const cause = (error.meta as { driverAdapterError?: { cause?: { originalCode?: string; kind?: string } } } | undefined)?.driverAdapterError?.cause;
  return cause?.originalCode === "23505" || cause?.kind === "UniqueConstraintViolation" || error.code === "P2002";
}
