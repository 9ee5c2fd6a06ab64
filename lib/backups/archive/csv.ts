import { JsonText, type BackupTrade } from "./types";

// The archive's CSV files (trades.csv here; the others and the readers in csv-tables.ts): RFC 4180 (fields with comma, quote, CR or LF are quoted, quotes doubled), CRLF
// line endings, UTF-8 without BOM, one header row. Every value is written exactly as stored
// and read back exactly, so write -> read -> write gives the same bytes.
//
// Two conventions beyond RFC 4180 make that round trip exact:
// - null vs "": null is an empty unquoted field, "" is a quoted empty field ("").
//   Spreadsheets show both as an empty cell.
// - Formula injection: a spreadsheet evaluates a cell starting with = + - @ tab or CR, so such
//   a field gets a leading apostrophe ("'=cmd()"). A field that is a plain decimal number
//   ("-0.5", "+1", "1e-8") is left alone: a spreadsheet reads it as a number, never a formula,
//   and prefixing it would change an amount. A field that itself starts with an apostrophe
//   gets one more, so the reader can always remove exactly one leading apostrophe and get
//   the original back.
// Amounts stay strings from end to end (never a JavaScript number). A spreadsheet may show a
// long amount rounded; the file still holds the exact digits.

/** trades.csv of a version 2 archive. */
export const TRADE_CSV_COLUMNS = [
  "exchange",
  "product",
  "market",
  "trade_id",
  "order_id",
  "side",
  "price",
  "amount",
  "cost",
  "fee",
  "fee_currency",
  "is_maker",
  "traded_at",
  "effects",
  "raw",
] as const;

/** trades.csv of a version 1 archive: no product (all spot), no effects. */
export const TRADE_CSV_COLUMNS_V1 = ["exchange", "market", "trade_id", "order_id", "side", "price", "amount", "cost", "fee", "fee_currency", "is_maker", "traded_at", "raw"] as const;

export const CSV_EOL = "\r\n";
export const TRADE_CSV_HEADER = TRADE_CSV_COLUMNS.join(",") + CSV_EOL;

/** A parsed CSV field: null is an empty unquoted field, "" a quoted empty one. */
export type CsvField = string | null;

export class CsvFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CsvFormatError";
  }
}

const PLAIN_NUMBER = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;
const FORMULA_START = /^[=+\-@\t\r']/;
const NEEDS_QUOTES = /[",\r\n]/;
const ALL_QUOTES = /"/g;

/** Escapes one value for a CSV field: injection guard first, then RFC 4180 quoting. */
export function encodeCsvField(value: string | null): string {
  if (value === null) return "";
  if (value === "") return '""';
  const guarded = FORMULA_START.test(value) && !PLAIN_NUMBER.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(guarded) ? `"${guarded.replace(ALL_QUOTES, '""')}"` : guarded;
}

/** The inverse of the injection guard in encodeCsvField (quoting is undone by the parser). */
export function decodeCsvField(field: string): string {
  return field.startsWith("'") ? field.slice(1) : field;
}

const ISO_MILLIS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
// toISOString() has the YYYY-MM-DDTHH:mm:ss.sssZ form for years 0 to 9999 only.
const FIRST_ISO_MILLIS = Date.parse("0000-01-01T00:00:00.000Z");
const LAST_ISO_MILLIS = Date.parse("9999-12-31T23:59:59.999Z");

/** A time as the CSVs write it; `what` names the record in the error ("trade 123: traded_at"). */
export function isoMillis(date: Date, what: string): string {
  const time = date.getTime();
  if (!(time >= FIRST_ISO_MILLIS && time <= LAST_ISO_MILLIS)) {
    throw new CsvFormatError(`${what} is not a date between years 0 and 9999`);
  }
  return date.toISOString();
}

/** A JSON column's text: JsonText as it is, anything else through JSON.stringify. */
export function jsonField(value: unknown, what: string): string {
  if (value instanceof JsonText) return value.text;
  // JSON.stringify escapes lone surrogates, and stringify(parse(s)) === s for its own output.
  const json: string | undefined = JSON.stringify(value);
  if (json === undefined) throw new CsvFormatError(`${what} is not a JSON value`);
  return json;
}

/** Parses a time column back: exactly the ISO form isoMillis writes. */
export function parseIsoMillis(text: string, what: string): Date {
  const date = new Date(text);
  // The shape check alone would let "2026-02-30" through (Date rolls it over to March).
  if (!ISO_MILLIS.test(text) || Number.isNaN(date.getTime()) || date.toISOString() !== text) {
    throw new CsvFormatError(`${what} must be an ISO 8601 UTC time with milliseconds, not ${JSON.stringify(text)}`);
  }
  return date;
}

const TEXT_COLUMNS = ["exchange", "product", "market", "tradeId", "orderId", "price", "amount", "cost", "fee", "feeCurrency"] as const;

/** One data row of trades.csv, CRLF included. Hot path (millions of rows): plain concatenation. */
export function tradeToCsvRow(trade: BackupTrade): string {
  // Checked here, not only by the type: the database column is a plain string, and a backup
  // that the reader would refuse is worse than an export that stops with a clear error.
  if (trade.side !== "buy" && trade.side !== "sell") {
    throw new CsvFormatError(`trade ${trade.tradeId}: side must be buy or sell, not ${JSON.stringify(trade.side)}`);
  }
  if (trade.isMaker !== null && typeof trade.isMaker !== "boolean") {
    throw new CsvFormatError(`trade ${trade.tradeId}: is_maker must be true, false or null`);
  }
  const row = encodeRow(trade);
  // TextEncoder would silently turn a lone surrogate into U+FFFD: refuse rather than change it.
  // (raw cannot have one: JSON.stringify escapes them.) One check per row keeps this cheap.
  if (!row.isWellFormed()) {
    const column = TEXT_COLUMNS.find((property) => trade[property]?.isWellFormed() === false);
    throw new CsvFormatError(`trade ${trade.tradeId}: ${column} is not valid Unicode`);
  }
  return row;
}

function encodeRow(trade: BackupTrade): string {
  return (
    encodeCsvField(trade.exchange) +
    "," +
    encodeCsvField(trade.product) +
    "," +
    encodeCsvField(trade.market) +
    "," +
    encodeCsvField(trade.tradeId) +
    "," +
    encodeCsvField(trade.orderId) +
    "," +
    encodeCsvField(trade.side) +
    "," +
    encodeCsvField(trade.price) +
    "," +
    encodeCsvField(trade.amount) +
    "," +
    encodeCsvField(trade.cost) +
    "," +
    encodeCsvField(trade.fee) +
    "," +
    encodeCsvField(trade.feeCurrency) +
    "," +
    (trade.isMaker === null ? "" : String(trade.isMaker)) +
    "," +
    isoMillis(trade.tradedAt, `trade ${trade.tradeId}: traded_at`) +
    "," +
    encodeCsvField(jsonField(trade.effects, `trade ${trade.tradeId}: effects`)) +
    "," +
    encodeCsvField(jsonField(trade.raw, `trade ${trade.tradeId}: raw`)) +
    CSV_EOL
  );
}

/**
 * Streaming RFC 4180 parser: push text as it arrives, get back the complete records. A record
 * cut at the end of a chunk waits for the next push. Accepts CRLF or LF between records;
 * refuses a quote inside an unquoted field, text after a closing quote, and an unterminated
 * quote at the end. Records are numbered from 1 (the header) in error messages, as in a
 * spreadsheet.
 */
export class CsvRowParser {
  #pending = "";
  #record = 0;

  push(text: string): CsvField[][] {
    this.#pending += text;
    return this.#drain(false);
  }

  /** Call once after the last push: returns the last record if it has no line ending. */
  end(): CsvField[][] {
    return this.#drain(true);
  }

  #drain(final: boolean): CsvField[][] {
    const source = this.#pending;
    const records: CsvField[][] = [];
    let pos = 0;
    while (pos < source.length) {
      const parsed = parseRecord(source, pos, final, this.#record + 1);
      if (parsed === null) break;
      records.push(parsed.fields);
      this.#record += 1;
      pos = parsed.next;
    }
    this.#pending = source.slice(pos);
    return records;
  }
}

const QUOTE = 34;
const COMMA = 44;
const CR = 13;
const LF = 10;
const UNQUOTED_END = /[,"\r\n]/g;
const DOUBLED_QUOTES = /""/g;

/** Parses the record at `start`; null when it may continue past the end of `s` (and !final). */
function parseRecord(s: string, start: number, final: boolean, row: number): { fields: CsvField[]; next: number } | null {
  const fail = (what: string) => new CsvFormatError(`row ${row}: ${what}`);
  const fields: CsvField[] = [];
  let pos = start;
  for (;;) {
    if (s.charCodeAt(pos) === QUOTE) {
      let from = pos + 1;
      let doubled = false;
      for (;;) {
        const quote = s.indexOf('"', from);
        if (quote === -1 || (quote === s.length - 1 && !final)) {
          if (final) throw fail("a quoted field is not closed");
          return null;
        }
        if (s.charCodeAt(quote + 1) === QUOTE) {
          doubled = true;
          from = quote + 2;
        } else {
          // one slice (and one replace) per field: cheaper than joining the pieces
          const inside = s.slice(pos + 1, quote);
          fields.push(doubled ? inside.replace(DOUBLED_QUOTES, '"') : inside);
          pos = quote + 1;
          break;
        }
      }
      const next = s.charCodeAt(pos);
      if (pos < s.length && next !== COMMA && next !== CR && next !== LF) throw fail("text after a closing quote");
    } else {
      UNQUOTED_END.lastIndex = pos;
      const match = UNQUOTED_END.exec(s);
      if (match === null && !final) return null;
      const end = match === null ? s.length : match.index;
      if (match?.[0] === '"') throw fail("a quote inside an unquoted field");
      fields.push(end === pos ? null : s.slice(pos, end));
      pos = end;
    }
    if (pos >= s.length) return final ? { fields, next: pos } : null;
    const delimiter = s.charCodeAt(pos);
    if (delimiter === COMMA) {
      pos += 1;
    } else if (delimiter === LF) {
      return { fields, next: pos + 1 };
    } else {
      // CR: must be followed by LF
      if (pos + 1 >= s.length && !final) return null;
      if (s.charCodeAt(pos + 1) !== LF) throw fail("a CR without LF outside quotes");
      return { fields, next: pos + 2 };
    }
  }
}

