import { describe, expect, it } from "vitest";
import { CsvFormatError, CsvRowParser, encodeCsvField, TRADE_CSV_HEADER, tradeToCsvRow } from "@/lib/backups/archive/csv";
import { csvRowToTrade, TradesCsvReader } from "@/lib/backups/archive/csv-tables";
import { writeTradesCsv } from "@/lib/backups/archive/write-csv";
import { readAll, trade, TRICKY_TRADES } from "./fixtures";

const csvOf = (trades = TRICKY_TRADES) => TRADE_CSV_HEADER + trades.map(tradeToCsvRow).join("");

function readCsv(text: string, splitAt: number[] = []) {
  const bytes = new TextEncoder().encode(text);
  const reader = new TradesCsvReader();
  const trades = [];
  let from = 0;
  for (const at of [...splitAt, bytes.length]) {
    trades.push(...reader.push(bytes.subarray(from, at)));
    from = at;
  }
  trades.push(...reader.end());
  return trades;
}

describe("trades.csv rows", () => {
  it("has the documented header, CRLF endings and no BOM", () => {
    expect(TRADE_CSV_HEADER).toBe(
      "exchange,product,market,trade_id,order_id,side,price,amount,cost,fee,fee_currency,is_maker,traded_at,effects,raw\r\n",
    );
    const row = tradeToCsvRow(trade());
    expect(row).toBe(
      'binance,spot,BTC/USDT,1,100,buy,97000.12,0.00000001,0.0009700012,0.000001,BNB,true,2026-03-01T12:00:00.001Z,' +
        '"{""BTC"":""0.00000001"",""USDT"":""-0.0009700012"",""BNB"":""-0.000001""}","{""id"":1,""price"":""97000.12""}"\r\n',
    );
  });

  it("writes decimal strings exactly, signs included, never through a number", () => {
    for (const value of ["0.00000001", "-0.5", "123456789012345678.123456789", "1e-8", "+1", "-0", ".5", "00012.3400", "1E+3"]) {
      expect(encodeCsvField(value)).toBe(value);
    }
    const [first] = readCsv(csvOf([trade({ price: "-0.5", amount: "123456789012345678.123456789", cost: "0.00000001" })]));
    expect(first).toMatchObject({ price: "-0.5", amount: "123456789012345678.123456789", cost: "0.00000001" });
  });

  it("quotes per RFC 4180: comma, quote, CR and LF; doubles quotes", () => {
    expect(encodeCsvField("a,b")).toBe('"a,b"');
    expect(encodeCsvField('say "hi"')).toBe('"say ""hi"""');
    expect(encodeCsvField("line\nbreak")).toBe('"line\nbreak"');
    expect(encodeCsvField("crlf\r\nx")).toBe('"crlf\r\nx"');
    expect(encodeCsvField("plain text")).toBe("plain text");
  });

  it("writes null as an empty field and an empty string as a quoted empty field", () => {
    expect(encodeCsvField(null)).toBe("");
    expect(encodeCsvField("")).toBe('""');
  });

  it("guards text a spreadsheet would evaluate with a leading apostrophe, but not plain numbers", () => {
    expect(encodeCsvField("=1+1")).toBe("'=1+1");
    expect(encodeCsvField("+cmd")).toBe("'+cmd");
    expect(encodeCsvField("-cmd")).toBe("'-cmd");
    expect(encodeCsvField("-")).toBe("'-");
    expect(encodeCsvField("- 1")).toBe("'- 1");
    expect(encodeCsvField("-1+2")).toBe("'-1+2");
    expect(encodeCsvField("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(encodeCsvField("\tTAB")).toBe("'\tTAB");
    expect(encodeCsvField("\rCR")).toBe("\"'\rCR\"");
    expect(encodeCsvField('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    // an apostrophe of its own gets one more, so the reader can always strip exactly one
    expect(encodeCsvField("'quoted")).toBe("''quoted");
    expect(encodeCsvField("-0.5")).toBe("-0.5");
  });

  it("no field of a written file starts with a formula character unless it is a plain number", () => {
    const parser = new CsvRowParser();
    const records = [...parser.push(csvOf()), ...parser.end()];
    for (const field of records.flat()) {
      if (field !== null && /^[=+\-@\t\r]/.test(field)) expect(field).toMatch(/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/);
    }
  });

  it("writes raw as compact JSON that survives commas, quotes, newlines and unicode", () => {
    const raw = { note: 'a, "b"\nc', unicode: "ü€😀", lone: "\ud800", list: [1, -2.5, null] };
    const row = tradeToCsvRow(trade({ raw }));
    expect(row.endsWith(`,"${JSON.stringify(raw).replaceAll('"', '""')}"\r\n`)).toBe(true);
    const [back] = readCsv(TRADE_CSV_HEADER + row);
    expect(back!.raw).toEqual(raw);
    expect(JSON.stringify(back!.raw)).toBe(JSON.stringify(raw));
  });

  it("reads back exactly what was written, wherever the bytes are split", () => {
    const text = csvOf();
    const expected = readCsv(text);
    expect(expected).toEqual(TRICKY_TRADES);
    expect(TRADE_CSV_HEADER + expected.map(tradeToCsvRow).join("")).toBe(text);
    const length = new TextEncoder().encode(text).length;
    for (let at = 1; at < length; at += 1) {
      // one split at every byte, including inside quoted fields, CRLF pairs and UTF-8 sequences
      expect(readCsv(text, [at])).toEqual(expected);
    }
    expect(readCsv(text, Array.from({ length: length - 1 }, (_, i) => i + 1))).toEqual(expected);
  });

  it("gives a parsing standard (an LF-only file, a last row without line ending) the same records", () => {
    const parser = new CsvRowParser();
    expect([...parser.push('a,"b\r\nc",\nd,"",e'), ...parser.end()]).toEqual([
      ["a", "b\r\nc", null],
      ["d", "", "e"],
    ]);
  });

  it("refuses malformed CSV with the row number", () => {
    const bad = (text: string) => () => {
      const parser = new CsvRowParser();
      parser.push(text);
      parser.end();
    };
    expect(bad('a,b"c\r\n')).toThrow(/row 1: a quote inside an unquoted field/);
    expect(bad('a\r\n"b"c\r\n')).toThrow(/row 2: text after a closing quote/);
    expect(bad('a\r\n"open')).toThrow(/row 2: a quoted field is not closed/);
    expect(bad("a\rb")).toThrow(/row 1: a CR without LF/);
  });

  it("refuses rows that are not trades, naming the row as a spreadsheet numbers it", () => {
    const row = (t = trade()) => tradeToCsvRow(t);
    const good = row();
    const expectProblem = (text: string, problem: RegExp) => {
      expect(() => readCsv(text)).toThrow(CsvFormatError);
      expect(() => readCsv(text)).toThrow(problem);
    };
    expectProblem("", /empty/);
    expectProblem("exchange,market\r\n", /row 1: the header must be/);
    expectProblem(TRADE_CSV_HEADER + good + "a,b\r\n", /row 3: has 2 fields, expected 15/);
    expectProblem(TRADE_CSV_HEADER + good.replace(",buy,", ",hold,"), /row 2: side must be buy or sell/);
    expectProblem(TRADE_CSV_HEADER + good.replace(",true,", ",yes,"), /row 2: is_maker must be/);
    expectProblem(TRADE_CSV_HEADER + good.replace("2026-03-01T12:00:00.001Z", "2026-03-01"), /row 2: traded_at must be/);
    expectProblem(TRADE_CSV_HEADER + good.replace("2026-03-01T12:00:00.001Z", "2026-02-30T12:00:00.001Z"), /row 2: traded_at/);
    expectProblem(TRADE_CSV_HEADER + good.replace(/"\{""id.*\}"/, "{oops"), /row 2: raw is not valid JSON/);
    expectProblem(TRADE_CSV_HEADER + good.replace("binance,spot,BTC/USDT", ",spot,BTC/USDT"), /row 2: exchange is missing/);
    expect(() => new TradesCsvReader().push(new Uint8Array([0xff]))).toThrow(/not valid UTF-8/);
    expect(() => csvRowToTrade(["x"], 9)).toThrow(/row 9/);
  });

  it("refuses to write what it could not read back exactly", () => {
    expect(() => tradeToCsvRow(trade({ tradedAt: new Date(Number.NaN) }))).toThrow(/traded_at/);
    expect(() => tradeToCsvRow(trade({ tradedAt: new Date("+010000-01-01T00:00:00.000Z") }))).toThrow(/traded_at/);
    expect(() => tradeToCsvRow(trade({ market: "BTC\ud800" }))).toThrow(/market is not valid Unicode/);
    expect(() => tradeToCsvRow(trade({ raw: undefined }))).toThrow(/raw is not a JSON value/);
    expect(() => tradeToCsvRow(trade({ side: "BUY" as "buy" }))).toThrow(/side must be buy or sell/);
  });

  it("writeTradesCsv streams the same header and rows in chunks of about 64 KiB", async () => {
    const trades = Array.from({ length: 3000 }, (_, i) => trade({ tradeId: String(i) }));
    const chunks: Uint8Array[] = [];
    const reader = writeTradesCsv([trades.slice(0, 1000), trades.slice(1000)]).getReader();
    for (let next = await reader.read(); !next.done; next = await reader.read()) chunks.push(next.value);
    expect(Buffer.concat(chunks).toString("utf8")).toBe(csvOf(trades));
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks.slice(0, -1)) expect(chunk.length).toBeGreaterThanOrEqual(64 * 1024);
    expect(Math.max(...chunks.map((c) => c.length))).toBeLessThan(64 * 1024 + 1024);
    expect(Buffer.from(await readAll(writeTradesCsv([]))).toString("utf8")).toBe(TRADE_CSV_HEADER);
  });
});
