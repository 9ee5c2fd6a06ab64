import type { BackupConversion, BackupIncome, BackupKeyInfo, BackupTrade, BackupTransfer } from "@/lib/backups/archive/types";

// Shared test data for the backup archive tests: trades chosen to break a naive CSV writer.

export const NOW = new Date("2026-11-23T10:15:30.000Z");

export const KEY: BackupKeyInfo = {
  exchange: "binance",
  label: "Main bot",
  apiKeyMasked: "vmPU…ZQ4A",
  status: "ACTIVE",
  permissions: { read: true, spotTrade: true, withdraw: false, raw: { enableReading: true, ipRestrict: false } },
  keyCreatedAt: new Date("2026-01-02T03:04:05.678Z"),
  lastVerifiedAt: new Date("2026-11-20T00:00:00.000Z"),
};

export const BOTS = [
  { name: "Grid BTC", strategy: "grid", status: "RUNNING", settings: { lower: "90000", upper: "110000", levels: 20 } },
  { name: "DCA ETH", strategy: "dca", status: "PAUSED", settings: { every: "1d", amount: "25.5" } },
];

export function trade(overrides: Partial<BackupTrade> = {}): BackupTrade {
  return {
    exchange: "binance",
    product: "spot",
    market: "BTC/USDT",
    tradeId: "1",
    orderId: "100",
    side: "buy",
    price: "97000.12",
    amount: "0.00000001",
    cost: "0.0009700012",
    fee: "0.000001",
    feeCurrency: "BNB",
    isMaker: true,
    tradedAt: new Date("2026-03-01T12:00:00.001Z"),
    effects: { BTC: "0.00000001", USDT: "-0.0009700012", BNB: "-0.000001" },
    raw: { id: 1, price: "97000.12" },
    ...overrides,
  };
}

/** Values a spreadsheet would evaluate, quote characters, line breaks, unicode, null vs "". */
export const TRICKY_TRADES: BackupTrade[] = [
  trade({ tradeId: "1", price: "-0.5", amount: "123456789012345678.123456789", cost: "1e-8", fee: "+1", isMaker: false }),
  trade({ tradeId: "2", market: "=HYPERLINK(\"http://evil\",\"x\")", orderId: "+cmd", feeCurrency: "-cmd", raw: "=1+1" }),
  trade({ tradeId: "3", market: "@SUM(A1)", orderId: "\tTAB", feeCurrency: "\rCR", fee: "-", cost: "- 1" }),
  trade({ tradeId: "'quoted", orderId: "''twice", market: "a,b", feeCurrency: 'say "hi"' }),
  trade({ tradeId: "5", orderId: null, cost: null, fee: null, feeCurrency: null, isMaker: null, side: "sell" }),
  trade({ tradeId: "6", orderId: "", cost: "", fee: "", feeCurrency: "", market: " spaced " }),
  trade({ tradeId: "line\nbreak", market: "crlf\r\nmarket", orderId: "bare\rcr" }),
  trade({
    tradeId: "8",
    market: "ÉTH/€ 😀",
    raw: { note: 'a, "b"\nc\r\nd', unicode: "ü€😀\u2028", lone: "\ud800", nested: [1, -2.5, null, true, { "=x": "@y" }] },
  }),
  trade({ tradeId: "9", raw: null, price: "0", amount: "-0", cost: ".5", fee: "5.", tradedAt: new Date(0) }),
  trade({ tradeId: "10", raw: -5, tradedAt: new Date("9999-12-31T23:59:59.999Z") }),
  trade({ tradeId: "11", raw: [1, "two", { three: 3 }], price: "00012.3400", amount: "1E+3" }),
];

/** A realistic generated trade (about 330 bytes of CSV). */
export function generatedTrade(index: number): BackupTrade {
  const price = `${60000 + (index % 5000)}.${String(index % 100).padStart(2, "0")}`;
  const amount = `0.${String((index * 7919) % 100000000).padStart(8, "0")}`;
  return {
    exchange: "binance",
    product: index % 5 === 0 ? "usdm" : "spot",
    market: index % 3 === 0 ? "ETH/USDT" : "BTC/USDT",
    tradeId: String(1_000_000_000 + index),
    orderId: String(5_000_000_000 + Math.floor(index / 3)),
    side: index % 2 === 0 ? "buy" : "sell",
    price,
    amount,
    cost: "12.3456789",
    fee: "0.00001234",
    feeCurrency: "BNB",
    isMaker: index % 5 === 0,
    tradedAt: new Date(Date.UTC(2024, 0, 1) + index * 1000),
    effects: { BTC: index % 2 === 0 ? amount : `-${amount}`, BNB: "-0.00001234" },
    raw: { id: 1_000_000_000 + index, orderId: 5_000_000_000 + Math.floor(index / 3), price, qty: amount, quoteQty: "12.3456789", commission: "0.00001234", commissionAsset: "BNB", time: Date.UTC(2024, 0, 1) + index * 1000, isBuyer: index % 2 === 0, isMaker: index % 5 === 0, isBestMatch: true },
  };
}

/** Batches of generated trades, as a cursor would return them; `closed` is set by return(). */
export function generatedBatches(total: number, batchSize = 1000) {
  const state = { closed: false, produced: 0 };
  async function* batches(): AsyncGenerator<BackupTrade[]> {
    try {
      for (let start = 0; start < total; start += batchSize) {
        const batch: BackupTrade[] = [];
        for (let i = start; i < Math.min(total, start + batchSize); i += 1) batch.push(generatedTrade(i));
        state.produced += batch.length;
        yield batch;
      }
    } finally {
      state.closed = true;
    }
  }
  return { batches: batches(), state };
}

export async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  const reader = stream.getReader();
  for (let next = await reader.read(); !next.done; next = await reader.read()) chunks.push(next.value);
  const joined = Buffer.concat(chunks);
  // a plain Uint8Array: Buffer's slice() would share memory, and tests tamper with copies
  return new Uint8Array(joined.buffer, joined.byteOffset, joined.length);
}

/** One of each other record kind, with values that break naive writers too. */
export const TRANSFERS: BackupTransfer[] = [
  { exchange: "binance", direction: "deposit", transferId: "d1", asset: "USDT", amount: "1000.50", fee: null, network: "TRX", address: "T,quoted\"addr", txId: "=0xabc", status: "1", occurredAt: new Date("2025-01-01T00:00:00.000Z"), effects: { USDT: "1000.5" }, raw: { id: "d1", amount: "1000.50" } },
  { exchange: "binance", direction: "withdrawal", transferId: "w1", asset: "BTC", amount: "0.1", fee: "0.0005", network: null, address: "", txId: null, status: "6", occurredAt: new Date("2025-02-01T00:00:00.000Z"), effects: { BTC: "-0.1005" }, raw: null },
];
export const CONVERSIONS: BackupConversion[] = [
  { exchange: "binance", kind: "convert", conversionId: "c1", fromAsset: "USDT", fromAmount: "20", toAsset: "ETH", toAmount: "0.00588", fee: null, feeAsset: null, occurredAt: new Date("2025-03-01T00:00:00.000Z"), effects: { USDT: "-20", ETH: "0.00588" }, raw: { quoteId: "q1", big: 12345678901234567890 } },
  { exchange: "binance", kind: "dust", conversionId: "t9:ADA", fromAsset: "ADA", fromAmount: "0.3", toAsset: "BNB", toAmount: "0.0001", fee: "0.000002", feeAsset: "BNB", occurredAt: new Date("2025-03-02T00:00:00.000Z"), effects: { ADA: "-0.3", BNB: "0.0001" }, raw: {} },
];
export const INCOME: BackupIncome[] = [
  { exchange: "binance", product: "usdm", kind: "funding", exchangeType: "FUNDING_FEE", incomeId: "i1", asset: "USDT", amount: "-0.0123", market: "BTCUSDT", occurredAt: new Date("2025-04-01T08:00:00.000Z"), effects: { USDT: "-0.0123" }, raw: { tranId: 1 } },
  { exchange: "binance", product: "coinm", kind: "realized_pnl", exchangeType: "REALIZED_PNL", incomeId: "i2", asset: "BTC", amount: "0.001", market: null, occurredAt: new Date("2025-04-02T08:00:00.000Z"), effects: { BTC: "0.001" }, raw: { tranId: 2 } },
];
