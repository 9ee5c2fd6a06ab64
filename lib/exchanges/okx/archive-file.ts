import { strFromU8, unzipSync } from "fflate";
import { malformed } from "../call";

// The file OKX's fills archive delivers: a ZIP holding one CSV, one row per fill, with the
// fields of a fills-history item as columns. Read here into records of the same shape as a
// fills-history item (column -> the cell's text), so one normaliser serves both sources.
// The cells are kept as written: amounts stay exact decimal strings, never numbers.

const ID = "okx";

/** Every fill of the archive file, as column -> text, in the file's order. Pure. */
export function readFillsArchive(zip: Uint8Array): Record<string, string>[] {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(zip, { filter: (file) => file.name.toLowerCase().endsWith(".csv") });
  } catch {
    throw malformed(ID, "the fills archive file (not a ZIP)");
  }
  const csv = Object.values(files);
  if (csv.length !== 1) throw malformed(ID, `the fills archive file (${csv.length} CSV files in it, expected one)`);
  return csvRecords(strFromU8(csv[0]!));
}

/** A CSV with a header line as one object per row. A row whose cell count differs from the header's is refused. */
export function csvRecords(text: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text.replace(/^\uFEFF/, ""));
  if (!header) return [];
  return rows
    .filter((row) => !(row.length === 1 && row[0] === ""))
    .map((row) => {
      if (row.length !== header.length) throw malformed(ID, "the fills archive file (a row with a wrong number of cells)");
      return Object.fromEntries(header.map((name, i) => [name, row[i]!]));
    });
}

/**
 * RFC 4180: cells separated by commas, rows by CRLF or LF; a cell in double quotes may hold
 * commas, line breaks and doubled quotes. Nothing is trimmed or converted. Pure.
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else {
        cell += c;
      }
      i += 1;
      continue;
    }
    if (c === '"' && cell === "") quoted = true;
    else if (c === ",") {
      row.push(cell);
      cell = "";
    } else if (c === "\n" || c === "\r") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
      if (c === "\r" && text[i + 1] === "\n") i += 1;
    } else cell += c;
    i += 1;
  }
  if (quoted) throw malformed(ID, "the fills archive file (an unterminated quoted cell)");
  if (cell !== "" || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}
