// `npm run worker` as its own process: it picks up an export queued by another process; when
// it is killed outright (SIGKILL, no cleanup) mid-export, a new worker notices the orphan (its
// Postgres lock is gone), resumes from the stored cursor, and the end state is exactly the
// exchange's trades. SIGTERM stops a worker cleanly.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient, type Db } from "@/lib/db";
import { startExchangeSim, type ExchangeSim } from "@/lib/exchange-sim";
import { stopBoss } from "@/lib/jobs/boss";
import { enqueueExport } from "@/lib/jobs/enqueue-export";
import { useTestEnv } from "../../support/app-env";
import { createTestDatabase, type TestDatabase } from "../../support/test-database";
import { until, workerProcesses } from "../../support/worker-process";
import { bindSimKey, createUser, expectStoredEqualsTruth, READ_ONLY, simEnv } from "./harness";

let database: TestDatabase;
let client: Db;
let sim: ExchangeSim;
const startWorker = workerProcesses();

beforeAll(async () => {
  database = await createTestDatabase();
  useTestEnv(database.url);
  client = createPrismaClient(database.url);
  sim = await startExchangeSim({ port: 0, seed: 9 });
});

afterAll(async () => {
  await stopBoss({ timeoutMs: 2000 });
  await sim?.close();
  await client?.$disconnect();
  await database?.drop();
});

// slow-ish polls and a short orphan time, so that a resumed export is seen within the test
// A worker compiles its TypeScript as it starts, which a busy 2-core machine takes a while for.
const SLOW_START = { timeoutMs: 90_000 };
const spawnWorker = () => startWorker(["--concurrency", "1", "--poll-seconds", "0.5", "--orphan-after-seconds", "1"], simEnv(sim.origin));

describe("npm run worker", () => {
  it("runs a queued export, survives being killed mid-export, and stops on SIGTERM", async () => {
    const userId = await createUser(client);
    const key = sim.createKey({ exchange: "okx", permissions: READ_ONLY, trades: { count: 3000, markets: 6, seed: 21 } });
    const bindingId = await bindSimKey(client, userId, key);
    // slow pages, so that the kill lands mid-export
    sim.setFault({ exchange: "okx", pathPrefix: "/api/v5/trade/fills-history", kind: "latency", ms: 60 });
    const { job } = await enqueueExport(client, userId, bindingId, { retry: { retryLimit: 3, retryDelay: 1, retryBackoff: false } });
    expect(job.status).toBe("QUEUED");

    const first = spawnWorker();
    const running = await until("the first worker to export a few pages", first, async () => {
      const row = await client.exportJob.findUniqueOrThrow({ where: { id: job.id } });
      return row.pagesFetched >= 4 && row;
    }, SLOW_START);
    expect(running.status).toBe("RUNNING");
    first.child.kill("SIGKILL");
    await first.exited;
    const atKill = await client.exportJob.findUniqueOrThrow({ where: { id: job.id } });
    expect(atKill.status).toBe("RUNNING");
    expect(atKill.tradesFetched).toBeLessThan(3000);
    expect(await client.tradeRecord.count({ where: { bindingId } })).toBe(atKill.tradesFetched);

    // let the orphan look stale (1 s in this test, a minute by default)
    await new Promise((r) => setTimeout(r, 1200));
    const second = spawnWorker();
    const done = await until("the second worker to finish the export", second, async () => {
      const row = await client.exportJob.findUniqueOrThrow({ where: { id: job.id } });
      return (row.status === "SUCCEEDED" || row.status === "FAILED") && row;
    }, SLOW_START);
    expect(done.status, second.output()).toBe("SUCCEEDED");
    expect(done.tradesFetched).toBe(3000);
    await expectStoredEqualsTruth(client, bindingId, sim.trades("okx", key.apiKey));
    expect(second.output()).toMatch(/recovered exports of stopped workers/);

    second.child.kill("SIGTERM");
    expect(await second.exited, second.output()).toBe(0);
    expect(second.output()).toMatch(/stopped\./);
  }, 240_000);
});
