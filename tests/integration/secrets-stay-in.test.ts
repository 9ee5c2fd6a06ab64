// A key's secrets go in once (bind) and never come out: every journey is run with a simulator
// key whose API key and secret are distinctive canary strings, with faults injected so that
// ccxt errors happen (5xx, a malformed body, a deleted key), and then everything the service
// produced is searched for them: every HTTP response body, every log line of this process,
// every text and JSON column of every table (pg-boss's schema included) outside the ciphertext
// columns, and every file of the downloaded backup. ccxt's error texts carry the signed URL
// (`...&signature=<hex>`), so a signed query string counts as a leak too.

import { format } from "node:util";
import ccxt from "ccxt";
import { strFromU8, unzipSync } from "fflate";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { noRequestMeta } from "@/lib/auth/request-meta";
import { signUp } from "@/lib/auth/sign-up";
import { createPrismaClient, type Db } from "@/lib/db";
import { toHttpError } from "@/lib/errors";
import { startExchangeSim, type ExchangeSim } from "@/lib/exchange-sim";
import { enqueueExport } from "@/lib/jobs/enqueue-export";
import { startWorker, stopWorker } from "@/lib/jobs/worker";
import { checkKeyLive } from "@/lib/keys/live-facts";
import { startUnbind } from "@/lib/unbind/unbind-session";
import { useTestEnv } from "../support/app-env";
import { farPacer, FAR_BINANCE_LIMITS } from "../support/far-limits";
import { callRoute, ORIGIN, signInCookie } from "../support/route-harness";
import { createTestDatabase, type TestDatabase } from "../support/test-database";
import { DAY, READ_ONLY, simEnv } from "./backups/harness";
import { actor, PASSWORD, walkToConfirm } from "./unbind/harness";

// Letters outside hex, so no checksum, id or signature in the haystack can match by chance.
const letters = (n: number) => Array.from({ length: n }, () => "ghijklmnopqrstuvwxyz"[Math.floor(Math.random() * 20)]).join("");
const CANARY_KEY = `CANARYKEY${letters(55)}`;
const CANARY_SECRET = `CANARYSECRET${letters(52)}`;
// Any 8 characters of either in a row reveal more than the mask (first 4 … last 4).
const WINDOW = 8;

let database: TestDatabase;
let client: Db;
let sim: ExchangeSim;
let cookie: string;
let userId: string;
const bodies: Array<{ what: string; text: string }> = [];
const logs: string[] = [];
const backupFiles: Array<{ name: string; text: string }> = [];
const restore: Array<() => void> = [];

function captureLogs() {
  for (const level of ["log", "info", "warn", "error", "debug", "trace"] as const) {
    const original = console[level];
    console[level] = (...args: unknown[]) => void logs.push(format(...args));
    restore.push(() => (console[level] = original));
  }
  for (const stream of [process.stdout, process.stderr]) {
    const original = stream.write.bind(stream);
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      logs.push(typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString("utf8"));
      const callback = rest.find((r) => typeof r === "function") as (() => void) | undefined;
      callback?.();
      return true;
    }) as typeof stream.write;
    restore.push(() => (stream.write = original));
  }
}

beforeAll(async () => {
  database = await createTestDatabase();
  useTestEnv(database.url);
  client = createPrismaClient(database.url);
  sim = await startExchangeSim({ port: 0, seed: 11, binance: FAR_BINANCE_LIMITS });
  // Route handlers read the exchange's origin from the process environment.
  Object.assign(process.env, simEnv(sim.origin));
  sim.createKey({
    exchange: "binance",
    apiKey: CANARY_KEY,
    secret: CANARY_SECRET,
    permissions: READ_ONLY,
    ipWhitelist: ["127.0.0.1"],
    trades: { count: 60, markets: 3, startTime: new Date(Date.now() - 30 * DAY) },
  });
  const email = `canary-${Date.now()}@it.test`;
  userId = (await signUp(client, { email, password: PASSWORD }, noRequestMeta)).id;
  const { handlers } = await import("@/auth");
  cookie = await signInCookie(handlers, email, PASSWORD);
  captureLogs();
  await startWorker({
    client,
    concurrency: 1,
    pollingIntervalSeconds: 0.5,
    runOptions: { env: simEnv(sim.origin), pacer: farPacer(), backoff: { attempts: 2, baseMs: 10, maxMs: 20 } },
  });
}, 120_000);

afterAll(async () => {
  for (const undo of restore.reverse()) undo();
  await stopWorker({ timeoutMs: 5000 });
  await sim?.close();
  await client?.$disconnect();
  await database?.drop();
});

async function call<P>(what: string, handler: Parameters<typeof callRoute<P>>[0], path: string, init: RequestInit = {}, params?: P): Promise<Response> {
  const headers = { cookie, origin: ORIGIN, ...(init.body ? { "content-type": "application/json" } : {}), ...(init.headers as Record<string, string> | undefined) };
  const response = await callRoute(handler, new Request(`${ORIGIN}${path}`, { ...init, headers }), params);
  const bytes = new Uint8Array(await response.clone().arrayBuffer());
  if ((response.headers.get("content-type") ?? "").includes("zip")) {
    for (const [name, data] of Object.entries(unzipSync(bytes))) backupFiles.push({ name, text: strFromU8(data) });
  }
  bodies.push({ what: `${what} -> ${response.status}`, text: Buffer.from(bytes).toString("utf8") });
  return response;
}

async function waitForExport(jobId: string, statuses: string[]) {
  const deadline = Date.now() + 45_000;
  for (;;) {
    const job = await client.exportJob.findUniqueOrThrow({ where: { id: jobId } });
    if (statuses.includes(job.status)) return job;
    if (Date.now() > deadline) throw new Error(`export ${jobId} still ${job.status} (${job.error ?? "no error"})`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Until pg-boss holds the export's queue job for a retry (its output is then the failed attempt's). */
async function waitForRetryState(exportJobId: string) {
  const { queueJobId } = await client.exportJob.findUniqueOrThrow({ where: { id: exportJobId }, select: { queueJobId: true } });
  const deadline = Date.now() + 30_000;
  for (;;) {
    const rows = await client.$queryRawUnsafe<unknown[]>(`SELECT 1 FROM pgboss.job WHERE id = $1::uuid AND state = 'retry'`, queueJobId);
    if (rows.length > 0) return;
    if (Date.now() > deadline) throw new Error("the export's queue job never waited for a retry");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Where a needle occurs in a text: the leaked excerpt, for the failure message. */
function leaks(text: string): string[] {
  const found: string[] = [];
  for (const secret of [CANARY_KEY, CANARY_SECRET]) {
    for (let i = 0; i + WINDOW <= secret.length; i++) {
      const at = text.indexOf(secret.slice(i, i + WINDOW));
      if (at >= 0) {
        found.push(text.slice(Math.max(0, at - 60), at + 60));
        break;
      }
    }
  }
  const signed = /[?&](signature|sign)=[0-9a-f]{16,}/i.exec(text);
  if (signed) found.push(text.slice(Math.max(0, signed.index - 80), signed.index + 40));
  return found;
}

describe("secrets stay in", () => {
  it("no response, log line, database row or backup file holds the key, the secret or a signed URL", async () => {
    const keys = await import("@/app/api/keys/route");
    const key = await import("@/app/api/keys/[id]/route");
    const exports = await import("@/app/api/keys/[id]/exports/route");
    const exportJob = await import("@/app/api/exports/[jobId]/route");
    const backup = await import("@/app/api/keys/[id]/backup/route");
    const audit = await import("@/app/api/audit/route");
    const found: string[] = [];
    const bindBody = JSON.stringify({ exchange: "binance", label: "Canary", apiKey: CANARY_KEY, secret: CANARY_SECRET });

    // Bind, first while the exchange fails (nothing stored, the refusal explained), then for real.
    sim.setFault({ exchange: "binance", kind: "error", status: 503, count: 1 });
    expect((await call("bind during a 503", keys.POST, "/api/keys", { method: "POST", body: bindBody })).status).toBe(502);
    sim.setFault({ exchange: "binance", kind: "malformed", count: 1 });
    expect((await call("bind with a malformed answer", keys.POST, "/api/keys", { method: "POST", body: bindBody })).status).toBeGreaterThanOrEqual(400);
    sim.clearFaults();
    const bound = await call("bind", keys.POST, "/api/keys", { method: "POST", body: bindBody });
    expect(bound.status).toBe(201);
    const bindingId = ((await bound.json()) as { binding: { id: string } }).binding.id;

    // Live checks, healthy and failing.
    await call("list keys", keys.GET, "/api/keys");
    // (No 429 here: the shared pacer would rightly hold every later check until the window ends.)
    for (const fault of [{ kind: "error", status: 500 }, { kind: "malformed" }, { kind: "error", status: 502 }] as const) {
      sim.setFault({ exchange: "binance", count: 1, ...fault });
      await call(`re-check one key (${fault.kind})`, key.GET, `/api/keys/${bindingId}?refresh=1`, {}, { id: bindingId });
      sim.clearFaults();
      sim.setFault({ exchange: "binance", count: 1, ...fault });
      const facts = await checkKeyLive(client, userId, bindingId, { force: true });
      bodies.push({ what: `live facts (${fault.kind})`, text: JSON.stringify(facts) });
      sim.clearFaults();
    }

    // Export: clean, then through faults that make the run give up and pg-boss retry it.
    const started = await call("start export", exports.POST, `/api/keys/${bindingId}/exports`, { method: "POST", body: "{}" }, { id: bindingId });
    const firstJob = ((await started.json()) as { job: { id: string } }).job.id;
    expect((await waitForExport(firstJob, ["SUCCEEDED", "FAILED"])).status).toBe("SUCCEEDED");
    await call("export state", exportJob.GET, `/api/exports/${firstJob}`, {}, { jobId: firstJob });
    for (const fault of [{ kind: "error", status: 503 }, { kind: "malformed" }] as const) {
      // Until cleared: every attempt inside the run fails (several markets are read at once, so
      // a counted fault could be used up by one attempt), and pg-boss holds the job for a retry.
      sim.setFault({ exchange: "binance", pathPrefix: "/api/v3/myTrades", ...fault });
      const { job } = await enqueueExport(client, userId, bindingId, { fullScan: true, retry: { retryLimit: 3, retryDelay: 1, retryBackoff: false } });
      // What pg-boss keeps of the failed attempt lives until the retry completes: look then.
      await waitForRetryState(job.id);
      await scanDatabase(database.url, found);
      sim.clearFaults();
      const ended = await waitForExport(job.id, ["SUCCEEDED", "FAILED"]);
      expect(ended.attempts, `the ${fault.kind} fault made pg-boss retry`).toBeGreaterThan(0);
    }
    await call("list exports", exports.GET, `/api/keys/${bindingId}/exports`, {}, { id: bindingId });

    // Download the backup.
    expect((await call("download backup", backup.GET, `/api/keys/${bindingId}/backup?format=zip`, {}, { id: bindingId })).status).toBe(200);
    expect(backupFiles.map((f) => f.name)).toContain("key.json");

    // Unbind: the wizard to its last step, an unreachable exchange, the key deleted (an export
    // of the deleted key fails for good), then the exchange confirms and the secret is destroyed.
    const act = actor(client, { meta: noRequestMeta });
    const { sessionId } = await startUnbind(client, userId, { bindingId, reason: "cleanup" }, noRequestMeta);
    await walkToConfirm(client, act, userId, sessionId, "binance");
    sim.setFault({ exchange: "binance", kind: "error", status: 503, count: 1 });
    bodies.push({ what: "confirm while unreachable", text: JSON.stringify(await act(userId, sessionId, { type: "confirm" })) });
    sim.clearFaults();
    sim.deleteKey("binance", CANARY_KEY);
    const { job: doomed } = await enqueueExport(client, userId, bindingId, { fullScan: true });
    const failed = await waitForExport(doomed.id, ["SUCCEEDED", "FAILED"]);
    expect(failed.status).toBe("FAILED");
    expect(failed.error).toMatch(/does not exist/);
    const confirmed = await act(userId, sessionId, { type: "confirm" });
    bodies.push({ what: "confirm after deletion", text: JSON.stringify(confirmed) });
    expect((await client.exchangeBinding.findUniqueOrThrow({ where: { id: bindingId } })).status).toBe("UNBOUND");
    await call("audit log", audit.GET, "/api/audit");
    // An exchange failure that escaped classification (a bug) reaches the one error mapper,
    // which logs it: without ccxt's text.
    const escaped = new ccxt.ExchangeNotAvailable(`binance GET ${sim.origin}/api/v3/account?timestamp=1&signature=${"ab".repeat(32)} 503 ${CANARY_KEY}`);
    expect(toHttpError(escaped).status).toBe(500);
    expect(logs.join("\n")).toMatch(/ExchangeNotAvailable \[message withheld\]/);
    await stopWorker({ timeoutMs: 5000 });

    // Now search everything.
    for (const body of bodies) for (const leak of leaks(body.text)) found.push(`response ${body.what}: …${leak}…`);
    for (const line of logs) for (const leak of leaks(line)) found.push(`log: …${leak}…`);
    for (const file of backupFiles) for (const leak of leaks(file.text)) found.push(`backup ${file.name}: …${leak}…`);
    const scanned = await scanDatabase(database.url, found);
    expect(scanned, "pg-boss's tables were searched").toContain("pgboss.job");
    expect(scanned).toContain('public."ExportJob"');
    expect(found).toEqual([]);
  }, 180_000);
});

// Ciphertext is the one place a secret may be (sealed); everything else must not hold it.
const CIPHERTEXT = new Set(['public."ExchangeBinding".apiKeyEnc', 'public."ExchangeBinding".secretEnc', 'public."ExchangeBinding".passphraseEnc']);

async function scanDatabase(url: string, found: string[]): Promise<string[]> {
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  try {
    const { rows } = await pool.query<{ table_schema: string; table_name: string; column_name: string }>(`
      SELECT c.table_schema, c.table_name, c.column_name FROM information_schema.columns c
      JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
      WHERE c.table_schema IN ('public', 'pgboss') AND (c.data_type IN ('text', 'character varying', 'character', 'json', 'jsonb') OR c.data_type = 'ARRAY')`);
    const tables = new Set<string>();
    for (const row of rows) {
      const table = `${row.table_schema}."${row.table_name}"`.replace(/^pgboss\."(\w+)"$/, "pgboss.$1");
      tables.add(table);
      if (CIPHERTEXT.has(`${table}.${row.column_name}`)) continue;
      const values = await pool.query<{ v: string }>(`SELECT "${row.column_name}"::text AS v FROM "${row.table_schema}"."${row.table_name}" WHERE "${row.column_name}" IS NOT NULL`);
      for (const { v } of values.rows) for (const leak of leaks(v)) found.push(`${table}.${row.column_name}: …${leak}…`);
    }
    return [...tables];
  } finally {
    await pool.end();
  }
}
