import { Precise } from "ccxt";
import { expect } from "vitest";
import { startExchangeSim, type ExchangeSim } from "@/lib/exchange-sim";
import type { SimTrade } from "@/lib/exchange-sim/types";
import type { ExportCursor, ExportOptions, ExchangeAdapter, KeyCredentials, NormalizedTrade, HistoryPage } from "@/lib/exchanges/types";

// Starts the simulator and the env object that points the adapters' ccxt instances at it.
export async function startSim(options: Parameters<typeof startExchangeSim>[0] = {}) {
  const sim: ExchangeSim = await startExchangeSim({ port: 0, seed: 1, ...options });
  const env = {
    EXCHANGE_ORIGIN_BINANCE: sim.origin,
    EXCHANGE_ORIGIN_OKX: sim.origin,
    EXCHANGE_ORIGIN_BYBIT: sim.origin,
    EXCHANGE_ORIGIN_KUCOIN: sim.origin,
    EXCHANGE_ORIGIN_GATE: sim.origin,
    EXCHANGE_ORIGIN_BITGET: sim.origin,
    EXCHANGE_ORIGIN_COINBASE: sim.origin,
    EXCHANGE_ORIGIN_KRAKEN: sim.origin,
    EXCHANGE_TIMEOUT_MS: "5000",
  };
  return { sim, env };
}

export function credentialsOf(key: { apiKey: string; secret: string; passphrase?: string }): KeyCredentials {
  return { apiKey: key.apiKey, secret: key.secret, ...(key.passphrase !== undefined ? { passphrase: key.passphrase } : {}) };
}

export async function exportAll(
  adapter: ExchangeAdapter,
  credentials: KeyCredentials,
  cursor: ExportCursor | null = null,
  options: ExportOptions = {},
): Promise<{ pages: HistoryPage[]; trades: NormalizedTrade[]; cursor: ExportCursor | null }> {
  const pages: HistoryPage[] = [];
  for await (const page of adapter.exportHistory(credentials, cursor, options)) pages.push(page);
  return { pages, trades: pages.flatMap((p) => p.trades), cursor: pages.at(-1)?.nextCursor ?? null };
}

export async function firstError(iterable: AsyncIterable<unknown>): Promise<unknown> {
  try {
    const iterator = iterable[Symbol.asyncIterator]();
    while (!(await iterator.next()).done) {
      // drain
    }
  } catch (error) {
    return error;
  }
  throw new Error("expected the export to fail");
}

const key = (market: string, id: string) => `${market}|${id}`;

/**
 * The export holds exactly the simulator's trades: same ids per market, no duplicates, and
 * each amount the exchange's own text (compared with the raw record) and value.
 */
export function expectSameTrades(
  exported: NormalizedTrade[],
  truth: SimTrade[],
  rawFields: { price: string; amount: string; cost?: string },
) {
  const byKey = new Map(exported.map((t) => [key(t.market, t.id), t]));
  expect(byKey.size, "no duplicates").toBe(exported.length);
  expect(exported.length).toBe(truth.length);
  for (const expected of truth) {
    const actual = byKey.get(key(expected.symbol, expected.id));
    expect(actual, `trade ${expected.symbol} ${expected.id}`).toBeDefined();
    if (!actual) continue;
    expect(actual.raw).toEqual(expected.raw);
    expect(actual.price).toBe(expected.raw[rawFields.price]);
    expect(actual.amount).toBe(expected.raw[rawFields.amount]);
    if (rawFields.cost) expect(actual.cost).toBe(expected.raw[rawFields.cost]);
    expect(Precise.stringEq(actual.price, expected.price)).toBe(true);
    expect(Precise.stringEq(actual.amount, expected.amount)).toBe(true);
    expect(Precise.stringEq(actual.cost, expected.cost), `cost ${actual.cost} vs ${expected.cost}`).toBe(true);
    expect(Precise.stringEq(actual.fee?.cost ?? "0", expected.fee), `fee ${actual.fee?.cost} vs ${expected.fee}`).toBe(true);
    expect(actual.fee?.currency ?? null).toBe(expected.feeCurrency);
    expect(actual.side).toBe(expected.side);
    expect(actual.maker).toBe(expected.takerOrMaker === "maker");
    expect(actual.timestamp).toBe(expected.timestamp);
    expect(actual.orderId).toBe(expected.orderId);
    expect(actual.exact).toBe(true);
  }
}
