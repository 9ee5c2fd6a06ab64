// Exports as background jobs: pg-boss in the test database, an in-process worker, the
// simulator over HTTP. One export per binding at a time, permanent failures not retried,
// transient ones retried by the queue, a graceful stop that hands the export back.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient, type Db } from "@/lib/db";
import { startExchangeSim, type ExchangeSim } from "@/lib/exchange-sim";
import type PgBoss from "pg-boss";
import { tryLockBinding } from "@/lib/jobs/binding-lock";
import { EXPORT_QUEUE, getBoss, type ExportJobData } from "@/lib/jobs/boss";
import { BindingBusyError, handleExportJob } from "@/lib/jobs/handle-export-job";
import { enqueueExport } from "@/lib/jobs/enqueue-export";
import { startWorker, stopWorker, type WorkerOptions } from "@/lib/jobs/worker";
import { getExportJob } from "@/lib/backups/export/export-jobs";
import { useTestEnv } from "../../support/app-env";
import { createTestDatabase, type TestDatabase } from "../../support/test-database";
import { bindSimKey, createExportJob, createUser, DAY, expectStoredEqualsTruth, READ_ONLY, simEnv } from "./harness";
import { FAR_BINANCE_LIMITS, farPacer } from "../../support/far-limits";

let database: TestDatabase;
let client: Db;
let sim: ExchangeSim;
let userId: string;
let workerOptions: WorkerOptions;
// quick pg-boss retries for the tests (production: 5 retries from 10 s, exponential)
const retry = { retryLimit: 2, retryDelay: 1, retryBackoff: false };

beforeAll(async () => {
  database = await createTestDatabase();
  useTestEnv(database.url);
  client = createPrismaClient(database.url);
  sim = await startExchangeSim({ port: 0, seed: 7, binance: FAR_BINANCE_LIMITS });
  workerOptions = {
    client,
    concurrency: 2,
    pollingIntervalSeconds: 0.5,
    runOptions: {
      env: simEnv(sim.origin),
      pacer: farPacer(),
      backoff: { attempts: 3, baseMs: 20, maxMs: 100 },
      since: new Date(Date.now() - 200 * DAY),
    },
  };
  await startWorker(workerOptions);
  userId = await createUser(client);
});

afterAll(async () => {
  await stopWorker({ timeoutMs: 5000 });
  await sim?.close();
  await client?.$disconnect();
  await database?.drop();
});

async function waitForStatus(jobId: string, statuses: string[], timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await client.exportJob.findUniqueOrThrow({ where: { id: jobId } });
    if (statuses.includes(job.status)) return job;
    if (Date.now() > deadline) throw new Error(`export ${jobId} still ${job.status} (${job.error ?? "no error"})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function queueJobOf(jobId: string) {
  const { queueJobId } = await client.exportJob.findUniqueOrThrow({ where: { id: jobId } });
  const boss = await getBoss();
  return boss.getJobById(EXPORT_QUEUE, queueJobId!, { includeArchive: true });
}

/**
 * The pg-boss job once its handler has returned: the handler writes the ExportJob's outcome and
 * then returns, so for a moment the export reads FAILED while its queue job is still active.
 */
async function settledQueueJobOf(jobId: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await queueJobOf(jobId);
    if (job && job.state !== "active") return job;
    if (Date.now() > deadline) throw new Error(`queue job of export ${jobId} still ${job?.state ?? "missing"}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("enqueueExport", () => {
  it("gives one export per binding, however often it is asked, and runs it", async () => {
    const key = sim.createKey({ exchange: "okx", permissions: READ_ONLY, trades: { count: 1500, markets: 5, seed: 1 } });
    const bindingId = await bindSimKey(client, userId, key);
    // two tabs at once, then a third click while it runs
    const [a, b] = await Promise.all([enqueueExport(client, userId, bindingId), enqueueExport(client, userId, bindingId)]);
    const c = await enqueueExport(client, userId, bindingId);
    expect(a.job.id).toBe(b.job.id);
    expect(c.job.id).toBe(a.job.id);
    expect([a.created, b.created].filter(Boolean)).toHaveLength(1);
    expect(await client.exportJob.count({ where: { bindingId } })).toBe(1);

    const done = await waitForStatus(a.job.id, ["SUCCEEDED", "FAILED"]);
    expect(done.status).toBe("SUCCEEDED");
    await expectStoredEqualsTruth(client, bindingId, sim.trades("okx", key.apiKey));
    expect((await queueJobOf(a.job.id))?.state).toBe("completed");
    const view = await getExportJob(client, userId, a.job.id);
    expect(view).toMatchObject({ status: "SUCCEEDED", progress: 1, tradesFetched: 1500 });
    const events = await client.auditEvent.findMany({ where: { bindingId }, orderBy: { id: "asc" }, select: { type: true } });
    expect(events.map((e) => e.type)).toEqual(["export.started", "export.completed"]);

    // finished: the next request starts a new (incremental) export
    const next = await enqueueExport(client, userId, bindingId);
    expect(next.created).toBe(true);
    expect(next.job.id).not.toBe(a.job.id);
    expect((await waitForStatus(next.job.id, ["SUCCEEDED", "FAILED"])).tradesFetched).toBe(0);
  });

  it("refuses another user's binding", async () => {
    const key = sim.createKey({ exchange: "okx", permissions: READ_ONLY });
    const bindingId = await bindSimKey(client, userId, key);
    const stranger = await createUser(client);
    await expect(enqueueExport(client, stranger, bindingId)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(getExportJob(client, stranger, "nope")).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("the worker", () => {
  it("fails a revoked key's export with a clear reason and does not retry it", async () => {
    const key = sim.createKey({ exchange: "bybit", permissions: READ_ONLY, trades: { count: 20, markets: 1, seed: 2 } });
    const bindingId = await bindSimKey(client, userId, key);
    sim.deleteKey("bybit", key.apiKey);
    const { job } = await enqueueExport(client, userId, bindingId, { retry });
    const failed = await waitForStatus(job.id, ["FAILED", "SUCCEEDED"]);
    expect(failed.status).toBe("FAILED");
    expect(failed.error).toMatch(/^The export stopped: the exchange says this API key does not exist.*10003/);
    expect(failed.attempts).toBe(0);
    const queued = await settledQueueJobOf(job.id);
    expect(queued).toMatchObject({ state: "completed", retryCount: 0 });
  });

  it("retries a transient failure through the queue, then completes", async () => {
    const key = sim.createKey({ exchange: "bybit", permissions: READ_ONLY, trades: { count: 400, markets: 2, seed: 3 } });
    const bindingId = await bindSimKey(client, userId, key);
    // more 503s than one run's retries (3): the first run gives up, the queue's retry succeeds
    sim.setFault({ exchange: "bybit", pathPrefix: "/v5/execution/list", kind: "error", status: 503, count: 4 });
    const { job } = await enqueueExport(client, userId, bindingId, { retry });
    // between the two runs the job shows as waiting, with the reason
    const deadline = Date.now() + 10_000;
    let waiting = await client.exportJob.findUniqueOrThrow({ where: { id: job.id } });
    while (waiting.attempts === 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
      waiting = await client.exportJob.findUniqueOrThrow({ where: { id: job.id } });
    }
    if (waiting.status === "QUEUED") expect(waiting.error).toMatch(/exchange is down.*Retrying later/);
    const done = await waitForStatus(job.id, ["SUCCEEDED", "FAILED"]);
    expect(done.status).toBe("SUCCEEDED");
    expect(done.attempts).toBe(1);
    expect((await queueJobOf(job.id))?.retryCount).toBe(1);
    await expectStoredEqualsTruth(client, bindingId, sim.trades("bybit", key.apiKey));
    sim.clearFaults();
  });

  it("stops gracefully mid-export, and the next worker resumes where it stopped", async () => {
    const key = sim.createKey({ exchange: "okx", permissions: READ_ONLY, trades: { count: 3000, markets: 4, seed: 4 } });
    const bindingId = await bindSimKey(client, userId, key);
    sim.setFault({ exchange: "okx", kind: "latency", ms: 40 });
    try {
      const { job } = await enqueueExport(client, userId, bindingId, { retry });
      const deadline = Date.now() + 20_000;
      while ((await client.exportJob.findUniqueOrThrow({ where: { id: job.id } })).pagesFetched < 3) {
        if (Date.now() > deadline) throw new Error("the export did not start");
        await new Promise((r) => setTimeout(r, 50));
      }
      await stopWorker({ timeoutMs: 10_000 });
      const paused = await client.exportJob.findUniqueOrThrow({ where: { id: job.id } });
      expect(paused.status).toBe("QUEUED");
      expect(paused.error).toMatch(/Paused/);
      expect(paused.pagesFetched).toBeLessThan(30);
      const storedWhenPaused = await client.tradeRecord.count({ where: { bindingId } });
      expect(storedWhenPaused).toBe(paused.tradesFetched);

      await startWorker(workerOptions);
      const done = await waitForStatus(job.id, ["SUCCEEDED", "FAILED"]);
      expect(done.status).toBe("SUCCEEDED");
      expect(done.tradesFetched).toBe(3000);
      await expectStoredEqualsTruth(client, bindingId, sim.trades("okx", key.apiKey));
    } finally {
      sim.clearFaults();
    }
  });
});

describe("two workers, one binding", () => {
  // What a second worker meets: a job of a binding whose export holds the binding's lock in
  // another Postgres session (another worker, in this or another process).
  const jobFor = (exportJobId: string) => ({ id: `q-${exportJobId}`, data: { exportJobId }, retryCount: 0, retryLimit: 2 }) as unknown as PgBoss.JobWithMetadata<ExportJobData>;
  const context = () => ({ client, connectionString: database.url, signal: new AbortController().signal, runOptions: workerOptions.runOptions });

  it("a worker never runs a binding's export while another session holds the binding", async () => {
    const key = sim.createKey({ exchange: "bybit", permissions: READ_ONLY, trades: { count: 900, markets: 3, seed: 12 } });
    const bindingId = await bindSimKey(client, userId, key);
    const exportJobId = await createExportJob(client, userId, bindingId);

    const otherWorker = await tryLockBinding(database.url, bindingId);
    expect(otherWorker).not.toBeNull();
    await expect(handleExportJob(jobFor(exportJobId), context())).rejects.toBeInstanceOf(BindingBusyError);
    expect(await client.tradeRecord.count({ where: { bindingId } })).toBe(0);
    expect((await client.exportJob.findUniqueOrThrow({ where: { id: exportJobId } })).status).toBe("QUEUED");

    await otherWorker!.release();
    expect(await handleExportJob(jobFor(exportJobId), context())).toMatchObject({ status: "SUCCEEDED", inserted: 900 });
    await expectStoredEqualsTruth(client, bindingId, sim.trades("bybit", key.apiKey));
  });

  it("two workers handed the same binding at the same moment: one exports, the other is refused", async () => {
    const key = sim.createKey({ exchange: "okx", permissions: READ_ONLY, trades: { count: 1200, markets: 4, seed: 13 } });
    const bindingId = await bindSimKey(client, userId, key);
    const exportJobId = await createExportJob(client, userId, bindingId);

    const outcomes = await Promise.allSettled([handleExportJob(jobFor(exportJobId), context()), handleExportJob(jobFor(exportJobId), context())]);
    const ran = outcomes.filter((o) => o.status === "fulfilled" && "status" in o.value && o.value.status === "SUCCEEDED" && !o.value.skipped);
    expect(ran).toHaveLength(1);
    // the other either found the lock taken or the job already claimed: nothing run twice
    const other = outcomes.find((o) => !ran.includes(o))!;
    if (other.status === "rejected") expect(other.reason).toBeInstanceOf(BindingBusyError);
    else expect(other.value).toMatchObject({ skipped: true });
    await expectStoredEqualsTruth(client, bindingId, sim.trades("okx", key.apiKey));
  });
});
