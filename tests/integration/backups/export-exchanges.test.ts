// runExport into a real Postgres for the full adapters without a complete-account test of their
// own (KuCoin, Gate, Bitget, Coinbase, Kraken), through the real ccxt classes against the
// simulator: every product's trades stored with the exchange's exact strings (compared with the
// simulator's ground truth), and a second run stores nothing twice.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runExport, type RunExportOptions } from "@/lib/backups/export/run-export";
import { createPrismaClient, type Db } from "@/lib/db";
import { startExchangeSim, type ExchangeSim, type SimKeyOptions, type SimProduct } from "@/lib/exchange-sim";
import type { SimExchange } from "@/lib/exchange-sim/dialects";
import { useTestEnv } from "../../support/app-env";
import { createTestDatabase, type TestDatabase } from "../../support/test-database";
import { bindSimKey, createExportJob, createUser, DAY, expectStoredEqualsTruth, simEnv } from "./harness";
import { farPacer } from "../../support/far-limits";

let database: TestDatabase;
let client: Db;
let sim: ExchangeSim;
let userId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  useTestEnv(database.url);
  client = createPrismaClient(database.url);
  sim = await startExchangeSim({ port: 0, seed: 12 });
  userId = await createUser(client);
});

afterAll(async () => {
  await sim?.close();
  await client?.$disconnect();
  await database?.drop();
});

interface Case {
  exchange: SimExchange;
  permissions: SimKeyOptions["permissions"];
  /** How far back the history starts: inside what the exchange serves. */
  days: number;
  counts: Partial<Record<SimProduct, { count: number; markets: number }>>;
  env?: Record<string, string>;
}

const CASES: Case[] = [
  // KuCoin serves 3 months of fills, Gate a year of trades, Bitget 90 days
  { exchange: "kucoin", permissions: { read: true, spotTrade: true, marginTrade: true }, days: 75, counts: { spot: { count: 1200, markets: 4 }, margin: { count: 300, markets: 2 }, isolated_margin: { count: 120, markets: 1 } } },
  { exchange: "gate", permissions: { read: true, spotTrade: true, marginTrade: true }, days: 300, counts: { spot: { count: 1200, markets: 4 }, margin: { count: 300, markets: 2 }, isolated_margin: { count: 120, markets: 1 } } },
  { exchange: "bitget", permissions: { read: true, spotTrade: true, futuresTrade: true }, days: 30, counts: { spot: { count: 600, markets: 3 }, usdm: { count: 300, markets: 2 }, coinm: { count: 120, markets: 1 } } },
  // spot and perpetual fills from Coinbase's one fills endpoint
  { exchange: "coinbase", permissions: { read: true, spotTrade: true }, days: 120, counts: { spot: { count: 900, markets: 4 }, usdm: { count: 200, markets: 2 } } },
  // the adapter's own model of Kraken's counter, far from the simulator's (which is off)
  { exchange: "kraken", permissions: { read: true, spotTrade: true, marginTrade: true }, days: 400, counts: { spot: { count: 600, markets: 4 }, margin: { count: 150, markets: 2 } }, env: { EXCHANGE_WEIGHT_LIMIT_KRAKEN: "100000", EXCHANGE_WEIGHT_WINDOW_MS_KRAKEN: "1000" } },
];

describe.each(CASES.map((c) => [c.exchange, c] as const))("%s: a first and a second export into Postgres", (exchange, c) => {
  it("stores every product's trades exactly, then nothing twice", async () => {
    const options: RunExportOptions = { env: simEnv(sim.origin, c.env), pacer: farPacer(), backoff: { attempts: 4, baseMs: 20, maxMs: 200 } };
    const products = Object.keys(c.counts) as SimProduct[];
    const spot = c.counts.spot!;
    const key = sim.createKey({
      exchange,
      permissions: c.permissions,
      // the export reads up to a moment before it starts; the next run reads on from there
      trades: { ...spot, seed: 31, startTime: new Date(Date.now() - c.days * DAY), endTime: new Date(Date.now() - 5_000), products: c.counts },
    });
    const bindingId = await bindSimKey(client, userId, key);
    const truth = products.flatMap((product) => sim.trades(exchange, key.apiKey, { product }));
    const first = await runExport(client, await createExportJob(client, userId, bindingId), options);
    expect(first).toMatchObject({ status: "SUCCEEDED", inserted: truth.length });
    await expectStoredEqualsTruth(client, bindingId, truth);
    const byProduct = await client.tradeRecord.groupBy({ by: ["product"], where: { bindingId }, _count: true });
    expect(Object.fromEntries(byProduct.map((g) => [g.product, g._count]))).toEqual(Object.fromEntries(products.map((p) => [p, c.counts[p]!.count])));

    const again = await runExport(client, await createExportJob(client, userId, bindingId), options);
    expect(again).toMatchObject({ status: "SUCCEEDED", inserted: 0 });
    await expectStoredEqualsTruth(client, bindingId, truth);
  });
});
