// Scheduled re-checks survive a worker killed outright (SIGKILL, no cleanup) mid-schedule: the
// keys it held come back once their lease runs out, a second `npm run worker` checks them,
// and in the end every key was checked exactly once in the period (one "scheduled" KeyCheck
// each) with its next check a period on. The workers are real processes on the real pg-boss
// queue, checking through ccxt against the simulator (slowed, so that the kill lands mid-way).

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient, type Db } from "@/lib/db";
import { startExchangeSim, type ExchangeSim } from "@/lib/exchange-sim";
import { getBoss, stopBoss } from "@/lib/jobs/boss";
import { planSlots } from "@/lib/watch/key-watch-slots";
import { WATCH_QUEUE } from "@/lib/watch/watch-worker";
import { useTestEnv } from "../../support/app-env";
import { createTestDatabase, type TestDatabase } from "../../support/test-database";
import { until, workerProcesses, type WorkerProcess } from "../../support/worker-process";
import { bindSimKey, createUser, READ_ONLY, simEnv } from "../backups/harness";

const KEYS = 16;
const PERIOD_HOURS = 1;
// longer than a check takes here (a lost lease rolls the check back), short enough to wait for
const LEASE_SECONDS = 8;

let database: TestDatabase;
let client: Db;
let sim: ExchangeSim;
const startWorker = workerProcesses();

beforeAll(async () => {
  database = await createTestDatabase();
  useTestEnv(database.url);
  client = createPrismaClient(database.url);
  sim = await startExchangeSim({ port: 0, seed: 17 });
});

afterAll(async () => {
  await stopBoss({ timeoutMs: 2000 });
  await sim?.close();
  await client?.$disconnect();
  await database?.drop();
});

const spawnWorker = () =>
  startWorker(["--concurrency", "1", "--poll-seconds", "0.5", "--watch-lease-seconds", String(LEASE_SECONDS)], {
    ...simEnv(sim.origin),
    KEY_WATCH_PERIOD_HOURS: String(PERIOD_HOURS),
  });

/** What the queue and the slots held, for a timeout's message. */
async function queueState(): Promise<string> {
  const jobs = await client.$queryRawUnsafe("SELECT name, state, count(*)::int AS n FROM pgboss.job GROUP BY 1, 2");
  const slots = await client.keyWatchSlot.findMany({ select: { dueAt: true, leaseUntil: true } });
  return `jobs: ${JSON.stringify(jobs)}\nslots: ${JSON.stringify(slots)}\nnow: ${new Date().toISOString()}`;
}
const waitFor = <T>(what: string, worker: WorkerProcess | null, probe: () => Promise<T | null | undefined | false>) =>
  until(what, worker, probe, { timeoutMs: 60_000, context: queueState });

const scheduledChecks = () => client.keyCheck.groupBy({ by: ["bindingId"], where: { source: "scheduled" }, _count: { _all: true } });

describe("the key watch's schedule", () => {
  it("checks every key once in the period, even when a worker is killed mid-schedule", async () => {
    const userId = await createUser(client);
    const bindingIds: string[] = [];
    for (let i = 0; i < KEYS; i++) {
      const key = sim.createKey({ exchange: "binance", label: `watched-${i}`, permissions: READ_ONLY, ipWhitelist: ["127.0.0.1"] });
      bindingIds.push(await bindSimKey(client, userId, { ...key, label: `Watched ${i}` }));
    }
    // the period's slots, all due now (as if the period's point of each key had come)
    expect(await planSlots(client, PERIOD_HOURS * 3_600_000)).toBe(KEYS);
    const start = new Date();
    await client.keyWatchSlot.updateMany({ data: { dueAt: new Date(start.getTime() - 1000) } });
    // each check takes a while: the kill lands with checks in flight and keys left
    sim.setFault({ exchange: "binance", pathPrefix: "/sapi/v1/account/apiRestrictions", kind: "latency", ms: 600 });

    const first = spawnWorker();
    await waitFor("the first scheduled checks", first, async () => (await client.keyCheck.count({ where: { source: "scheduled" } })) >= 2);
    first.child.kill("SIGKILL");
    await first.exited;
    const doneByFirst = await client.keyCheck.count({ where: { source: "scheduled" } });
    const held = await client.keyWatchSlot.count({ where: { leaseToken: { not: null } } });
    expect(doneByFirst, "the kill landed mid-schedule").toBeLessThan(KEYS);
    expect(held, "the killed worker held keys it never finished").toBeGreaterThan(0);

    // its leases run out; a second worker picks up every key left, the held ones included
    await waitFor("the killed worker's leases to run out", null, async () => (await client.keyWatchSlot.count({ where: { leaseUntil: { gt: new Date() } } })) === 0);
    const second = spawnWorker();
    await waitFor("every key checked", second, async () => (await scheduledChecks()).length === KEYS);
    await waitFor("the second worker's last lease released", second, async () => (await client.keyWatchSlot.count({ where: { leaseToken: { not: null } } })) === 0);

    // a further tick finds nothing due: nothing is checked twice in the period
    const boss = await getBoss(database.url);
    const tickId = await boss.send(WATCH_QUEUE, {});
    await waitFor("the extra tick to finish", second, async () => (await boss.getJobById(WATCH_QUEUE, tickId!))?.state === "completed");
    const counts = await scheduledChecks();
    expect(await client.keyCheck.count({ where: { source: "scheduled", status: { not: "valid" } } }), "every check got the exchange's answer").toBe(0);
    expect(counts.map((c) => c._count._all)).toEqual(Array(KEYS).fill(1));
    expect(new Set(counts.map((c) => c.bindingId))).toEqual(new Set(bindingIds));

    const slots = await client.keyWatchSlot.findMany({ select: { dueAt: true } });
    expect(slots).toHaveLength(KEYS);
    for (const slot of slots) {
      // one period on from its due time (the same point of the next period)
      expect(slot.dueAt.getTime()).toBeGreaterThanOrEqual(start.getTime() - 1000 + PERIOD_HOURS * 3_600_000 - 60_000);
    }

    second.child.kill("SIGTERM");
    expect(await second.exited).toBe(0);
  }, 180_000);
});
