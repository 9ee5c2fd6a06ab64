// runExport into a real Postgres for KuCoin and Gate, through their full adapters and the real
// ccxt classes against the simulator: every product's trades stored with the exchange's exact
// strings (compared with the simulator's ground truth), and a second run stores nothing twice.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runExport, type RunExportOptions } from "@/lib/backups/export/run-export";
import { createPrismaClient, type Db } from "@/lib/db";
import { startExchangeSim, type ExchangeSim } from "@/lib/exchange-sim";
import { useTestEnv } from "../../support/app-env";
import { createTestDatabase, type TestDatabase } from "../../support/test-database";
import { bindSimKey, createExportJob, createUser, DAY, expectStoredEqualsTruth, simEnv } from "./harness";
import { farPacer } from "../../support/far-limits";

let database: TestDatabase;
let client: Db;
let sim: ExchangeSim;
let userId: string;
let options: RunExportOptions;

beforeAll(async () => {
  database = await createTestDatabase();
  useTestEnv(database.url);
  client = createPrismaClient(database.url);
  sim = await startExchangeSim({ port: 0, seed: 12 });
  options = { env: simEnv(sim.origin), pacer: farPacer(), backoff: { attempts: 4, baseMs: 20, maxMs: 200 } };
  userId = await createUser(client);
});

afterAll(async () => {
  await sim?.close();
  await client?.$disconnect();
  await database?.drop();
});

const TRADER = { read: true, spotTrade: true, marginTrade: true };

describe.each([
  // KuCoin serves 3 months of fills, Gate a year of trades: the histories stay inside them
  ["kucoin", 75],
  ["gate", 300],
] as const)("%s: a first and a second export into Postgres", (exchange, days) => {
  it("stores every product's trades exactly, then nothing twice", async () => {
    const start = new Date(Date.now() - days * DAY);
    const key = sim.createKey({
      exchange,
      permissions: TRADER,
      trades: { count: 1200, markets: 4, seed: 31, startTime: start, products: { spot: { count: 1200, markets: 4 }, margin: { count: 300, markets: 2 }, isolated_margin: { count: 120, markets: 1 } } },
    });
    const bindingId = await bindSimKey(client, userId, key);
    const truth = (["spot", "margin", "isolated_margin"] as const).flatMap((product) => sim.trades(exchange, key.apiKey, { product }));
    const first = await runExport(client, await createExportJob(client, userId, bindingId), options);
    expect(first).toMatchObject({ status: "SUCCEEDED", inserted: truth.length });
    await expectStoredEqualsTruth(client, bindingId, truth);
    const byProduct = await client.tradeRecord.groupBy({ by: ["product"], where: { bindingId }, _count: true });
    expect(Object.fromEntries(byProduct.map((g) => [g.product, g._count]))).toEqual({ spot: 1200, margin: 300, isolated_margin: 120 });

    const again = await runExport(client, await createExportJob(client, userId, bindingId), options);
    expect(again).toMatchObject({ status: "SUCCEEDED", inserted: 0 });
    await expectStoredEqualsTruth(client, bindingId, truth);
  });
});
