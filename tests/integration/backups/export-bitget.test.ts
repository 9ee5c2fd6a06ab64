// runExport into a real Postgres for Bitget, through its full adapter and the real ccxt class
// against the simulator: spot, USDT-M and COIN-M fills stored with Bitget's exact strings
// (compared with the simulator's ground truth), the coverage naming what Bitget's 90 days cut
// off, and a second run that stores nothing twice.

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
  options = { env: simEnv(sim.origin), pacer: farPacer(), backoff: { attempts: 4, baseMs: 20, maxMs: 200 } };
  userId = await createUser(client);
});

afterAll(async () => {
  await sim?.close();
  await client?.$disconnect();
  await database?.drop();
});

describe("bitget: a first and a second export into Postgres", () => {
  it("stores every product's fills exactly, then nothing twice", async () => {
    const key = sim.createKey({
      exchange: "bitget",
      permissions: { read: true, spotTrade: true, futuresTrade: true },
      // inside the 90 days Bitget serves
      trades: { count: 600, markets: 3, seed: 41, startTime: new Date(Date.now() - 30 * DAY), products: { spot: { count: 600, markets: 3 }, usdm: { count: 300, markets: 2 }, coinm: { count: 120, markets: 1 } } },
    });
    const bindingId = await bindSimKey(client, userId, key);
    const truth = (["spot", "usdm", "coinm"] as const).flatMap((product) => sim.trades("bitget", key.apiKey, { product }));
    const first = await runExport(client, await createExportJob(client, userId, bindingId), options);
    expect(first).toMatchObject({ status: "SUCCEEDED", inserted: truth.length });
    await expectStoredEqualsTruth(client, bindingId, truth);
    const byProduct = await client.tradeRecord.groupBy({ by: ["product"], where: { bindingId }, _count: true });
    expect(Object.fromEntries(byProduct.map((g) => [g.product, g._count]))).toEqual({ spot: 600, usdm: 300, coinm: 120 });

    const again = await runExport(client, await createExportJob(client, userId, bindingId), options);
    expect(again).toMatchObject({ status: "SUCCEEDED", inserted: 0 });
    await expectStoredEqualsTruth(client, bindingId, truth);
  });
});
