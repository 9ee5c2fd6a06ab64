import {
  CSV_EOL,
  CsvFormatError,
  CsvRowParser,
  decodeCsvField,
  encodeCsvField,
  isoMillis,
  jsonField,
  parseIsoMillis,
  TRADE_CSV_COLUMNS,
  TRADE_CSV_COLUMNS_V1,
  tradeToCsvRow,
  type CsvField,
} from "./csv";
import { JsonText, type BackupConversion, type BackupIncome, type BackupTrade, type BackupTransfer } from "./types";

// The four CSV files of an archive described as tables: their columns, how a record becomes a
// row and how a row becomes the record again, exactly (see csv.ts for the conventions that make
// write -> read -> write give the same bytes). trades.csv keeps its hand-written row encoder
// (millions of rows); the other files, and every reader, go through the column lists here.

type ColumnKind = "text" | "optional" | "time" | "json" | "bool" | readonly string[];

interface Column<T> {
  name: string;
  key: keyof T & string;
  kind: ColumnKind;
}

export interface CsvTable<T> {
  file: string;
  /** Column lists this table is read in: the current one first, older versions after. */
  layouts: ReadonlyArray<ReadonlyArray<Column<T>>>;
  /** Defaults for properties an older layout lacks. */
  defaults?: Partial<T>;
  /** One data row, CRLF included. */
  toRow(record: T): string;
  /** The record's time, for the manifest's range (trades). */
  time(record: T): Date;
}

export interface CsvReadOptions {
  /**
   * Give JSON columns (raw, effects) as their text (JsonText, checked to be JSON) instead of the
   * parsed value: a restore stores them as Postgres parses them, so numbers JavaScript would
   * round stay exact.
   */
  jsonAsText?: boolean;
}

const col = <T>(name: string, key: keyof T & string, kind: ColumnKind): Column<T> => ({ name, key, kind });

function encodeRow<T>(columns: ReadonlyArray<Column<T>>, record: T, id: string): string {
  let row = "";
  for (const [i, column] of columns.entries()) {
    const value = record[column.key] as unknown;
    const what = `${id}: ${column.name}`;
    const field =
      column.kind === "time"
        ? isoMillis(value as Date, what)
        : column.kind === "json"
          ? encodeCsvField(jsonField(value, what))
          : column.kind === "bool"
            ? value === null ? "" : String(value)
            : Array.isArray(column.kind)
              ? encodeCsvField(checkedEnum(value, column.kind, what))
              : encodeCsvField((value ?? null) as string | null);
    row += i === 0 ? field : "," + field;
  }
  if (!row.isWellFormed()) throw new CsvFormatError(`${id}: a text field is not valid Unicode`);
  return row + CSV_EOL;
}

function checkedEnum(value: unknown, allowed: readonly string[], what: string): string {
  if (typeof value !== "string" || !allowed.includes(value)) throw new CsvFormatError(`${what} must be ${allowed.join(" or ")}, not ${JSON.stringify(value)}`);
  return value;
}

function decodeRow<T>(columns: ReadonlyArray<Column<T>>, defaults: Partial<T> | undefined, fields: readonly CsvField[], row: number, options: CsvReadOptions): T {
  if (fields.length !== columns.length) throw new CsvFormatError(`row ${row}: has ${fields.length} fields, expected ${columns.length}`);
  const record: Record<string, unknown> = { ...defaults };
  for (const [i, column] of columns.entries()) {
    const field = fields[i];
    const text = field === null || field === undefined ? null : decodeCsvField(field);
    const what = `row ${row}: ${column.name}`;
    if (column.kind === "optional") {
      record[column.key] = text;
      continue;
    }
    if (column.kind === "bool") {
      if (text !== null && text !== "true" && text !== "false") throw new CsvFormatError(`${what} must be true, false or empty, not ${JSON.stringify(text)}`);
      record[column.key] = text === null ? null : text === "true";
      continue;
    }
    if (text === null) throw new CsvFormatError(`${what} is missing`);
    if (column.kind === "time") record[column.key] = parseIsoMillis(text, what);
    else if (column.kind === "json") record[column.key] = parseJsonColumn(text, what, options);
    else if (Array.isArray(column.kind)) record[column.key] = checkedEnum(text, column.kind, what);
    else record[column.key] = text;
  }
  return record as T;
}

function parseJsonColumn(text: string, what: string, options: CsvReadOptions): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new CsvFormatError(`${what} is not valid JSON`);
  }
  return options.jsonAsText ? new JsonText(text) : value;
}

// --- the tables -------------------------------------------------------------------------------

const tradeColumn = (name: (typeof TRADE_CSV_COLUMNS)[number]): Column<BackupTrade> => {
  const spec: Record<(typeof TRADE_CSV_COLUMNS)[number], [keyof BackupTrade & string, ColumnKind]> = {
    exchange: ["exchange", "text"],
    product: ["product", "text"],
    market: ["market", "text"],
    trade_id: ["tradeId", "text"],
    order_id: ["orderId", "optional"],
    side: ["side", ["buy", "sell"]],
    price: ["price", "text"],
    amount: ["amount", "text"],
    cost: ["cost", "optional"],
    fee: ["fee", "optional"],
    fee_currency: ["feeCurrency", "optional"],
    is_maker: ["isMaker", "bool"],
    traded_at: ["tradedAt", "time"],
    effects: ["effects", "json"],
    raw: ["raw", "json"],
  };
  const [key, kind] = spec[name];
  return col(name, key, kind);
};

export const TRADES_TABLE: CsvTable<BackupTrade> = {
  file: "trades.csv",
  layouts: [TRADE_CSV_COLUMNS.map(tradeColumn), TRADE_CSV_COLUMNS_V1.map(tradeColumn)],
  defaults: { product: "spot", effects: {} },
  toRow: tradeToCsvRow,
  time: (t) => t.tradedAt,
};

const TRANSFER_COLUMNS: ReadonlyArray<Column<BackupTransfer>> = [
  col("exchange", "exchange", "text"),
  col("direction", "direction", ["deposit", "withdrawal"]),
  col("transfer_id", "transferId", "text"),
  col("asset", "asset", "text"),
  col("amount", "amount", "text"),
  col("fee", "fee", "optional"),
  col("network", "network", "optional"),
  col("address", "address", "optional"),
  col("tx_id", "txId", "optional"),
  col("status", "status", "text"),
  col("occurred_at", "occurredAt", "time"),
  col("effects", "effects", "json"),
  col("raw", "raw", "json"),
];

export const TRANSFERS_TABLE: CsvTable<BackupTransfer> = {
  file: "transfers.csv",
  layouts: [TRANSFER_COLUMNS],
  toRow: (t) => encodeRow(TRANSFER_COLUMNS, t, `transfer ${t.transferId}`),
  time: (t) => t.occurredAt,
};

const CONVERSION_COLUMNS: ReadonlyArray<Column<BackupConversion>> = [
  col("exchange", "exchange", "text"),
  col("kind", "kind", ["convert", "dust"]),
  col("conversion_id", "conversionId", "text"),
  col("from_asset", "fromAsset", "text"),
  col("from_amount", "fromAmount", "text"),
  col("to_asset", "toAsset", "text"),
  col("to_amount", "toAmount", "text"),
  col("fee", "fee", "optional"),
  col("fee_asset", "feeAsset", "optional"),
  col("occurred_at", "occurredAt", "time"),
  col("effects", "effects", "json"),
  col("raw", "raw", "json"),
];

export const CONVERSIONS_TABLE: CsvTable<BackupConversion> = {
  file: "conversions.csv",
  layouts: [CONVERSION_COLUMNS],
  toRow: (c) => encodeRow(CONVERSION_COLUMNS, c, `conversion ${c.conversionId}`),
  time: (c) => c.occurredAt,
};

const INCOME_COLUMNS: ReadonlyArray<Column<BackupIncome>> = [
  col("exchange", "exchange", "text"),
  col("product", "product", "text"),
  col("kind", "kind", ["funding", "realized_pnl", "commission", "other"]),
  col("exchange_type", "exchangeType", "text"),
  col("income_id", "incomeId", "text"),
  col("asset", "asset", "text"),
  col("amount", "amount", "text"),
  col("market", "market", "optional"),
  col("occurred_at", "occurredAt", "time"),
  col("effects", "effects", "json"),
  col("raw", "raw", "json"),
];

export const INCOME_TABLE: CsvTable<BackupIncome> = {
  file: "income.csv",
  layouts: [INCOME_COLUMNS],
  toRow: (i) => encodeRow(INCOME_COLUMNS, i, `income ${i.incomeId}`),
  time: (i) => i.occurredAt,
};

/** The header row of a table's current layout, CRLF included. */
export function csvHeader(table: CsvTable<unknown>): string {
  return table.layouts[0]!.map((c) => c.name).join(",") + CSV_EOL;
}

/**
 * Reads a table's CSV bytes as they arrive (UTF-8, strict): checks the header row against the
 * layouts allowed (`layouts`: indices into table.layouts; default the current one), then
 * returns the records of every complete row. Errors name the row as a spreadsheet numbers it.
 */
export class CsvTableReader<T> {
  readonly #decoder = new TextDecoder("utf-8", { fatal: true });
  readonly #parser = new CsvRowParser();
  #row = 0;
  #columns: ReadonlyArray<Column<T>> | null = null;

  constructor(
    private readonly table: CsvTable<T>,
    private readonly options: CsvReadOptions & { layouts?: readonly number[] } = {},
  ) {}

  push(bytes: Uint8Array): T[] {
    let text: string;
    try {
      text = this.#decoder.decode(bytes, { stream: true });
    } catch {
      throw new CsvFormatError("not valid UTF-8");
    }
    return this.#convert(this.#parser.push(text));
  }

  /** Call after the last push: throws if the file is empty or ends inside a row. */
  end(): T[] {
    let text: string;
    try {
      text = this.#decoder.decode();
    } catch {
      throw new CsvFormatError("not valid UTF-8 (it ends inside a character)");
    }
    const records = this.#convert([...this.#parser.push(text), ...this.#parser.end()]);
    if (this.#row === 0) throw new CsvFormatError("empty (no header row)");
    return records;
  }

  #convert(rows: CsvField[][]): T[] {
    const records: T[] = [];
    for (const fields of rows) {
      this.#row += 1;
      if (this.#columns === null) {
        const header = fields.join(",");
        const allowed = (this.options.layouts ?? [0]).map((i) => this.table.layouts[i]!);
        this.#columns = allowed.find((layout) => layout.map((c) => c.name).join(",") === header) ?? null;
        if (this.#columns === null) throw new CsvFormatError(`row 1: the header must be ${allowed[0]!.map((c) => c.name).join(",")}`);
        continue;
      }
      records.push(decodeRow(this.#columns, this.table.defaults, fields, this.#row, this.options));
    }
    return records;
  }
}

/** trades.csv of the current layout, read as it arrives (see CsvTableReader). */
export class TradesCsvReader extends CsvTableReader<BackupTrade> {
  constructor(options: CsvReadOptions & { layouts?: readonly number[] } = {}) {
    super(TRADES_TABLE, options);
  }
}

/** One parsed data row of trades.csv (current layout) back into the trade it was written from. */
export function csvRowToTrade(fields: readonly CsvField[], row: number, options: CsvReadOptions = {}): BackupTrade {
  return decodeRow(TRADES_TABLE.layouts[0]!, TRADES_TABLE.defaults, fields, row, options);
}
