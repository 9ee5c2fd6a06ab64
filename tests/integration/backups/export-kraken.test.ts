// runExport into a real Postgres for Kraken, through its full adapter and ccxt's kraken class
// against the simulator: spot and margin trades (one TradesHistory list) stored with Kraken's exact
// strings, compared with the simulator's ground truth, and a second run stores nothing twice.

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
  sim = await startExchangeSim({ port: 0, seed: 13 });
  // the adapter's own model of Kraken's counter, far from the simulator's (which is off)
  const counter = { EXCHANGE_WEIGHT_LIMIT_KRAKEN: "100000", EXCHANGE_WEIGHT_WINDOW_MS_KRAKEN: "1000" };
  options = { env: simEnv(sim.origin, counter), pacer: farPacer(), backoff: { attempts: 4, baseMs: 20, maxMs: 200 } };
  userId = await createUser(client);
});

afterAll(async () => {
  await sim?.close();
  await client?.$disconnect();
  await database?.drop();
});

describe("kraken: a first and a second export into Postgres", () => {
  it("stores spot and margin trades exactly, then nothing twice", async () => {
    const key = sim.createKey({
      exchange: "kraken",
      permissions: { read: true, spotTrade: true, marginTrade: true },
      trades: {
        count: 600,
        markets: 4,
        seed: 31,
        startTime: new Date(Date.now() - 400 * DAY),
        // the export reads up to a second before it starts; the next run reads on from there
        endTime: new Date(Date.now() - 5_000),
        products: { spot: { count: 600, markets: 4 }, margin: { count: 150, markets: 2 } },
      },
    });
    const bindingId = await bindSimKey(client, userId, key);
    const truth = (["spot", "margin"] as const).flatMap((product) => sim.trades("kraken", key.apiKey, { product }));
    const first = await runExport(client, await createExportJob(client, userId, bindingId), options);
    expect(first).toMatchObject({ status: "SUCCEEDED", inserted: truth.length });
    await expectStoredEqualsTruth(client, bindingId, truth);
    const byProduct = await client.tradeRecord.groupBy({ by: ["product"], where: { bindingId }, _count: true });
    expect(Object.fromEntries(byProduct.map((g) => [g.product, g._count]))).toEqual({ spot: 600, margin: 150 });

    const again = await runExport(client, await createExportJob(client, userId, bindingId), options);
    expect(again).toMatchObject({ status: "SUCCEEDED", inserted: 0 });
    await expectStoredEqualsTruth(client, bindingId, truth);
  });
});
