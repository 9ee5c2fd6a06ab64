// The audit log as the page and the CSV export read it, on 100,000 events of one user: keyset
// pages that cover a filter exactly (nothing twice, nothing missing), filters by key, kind and
// the viewer's days, scoping to the user, the key named on each event, and a page deep in the
// log as fast as the first.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listEvents, type AuditCursor } from "@/lib/audit/list-events";
import { presentEvents } from "@/lib/audit/present-event";
import { recordEvent } from "@/lib/audit/record-event";
import { noRequestMeta } from "@/lib/auth/request-meta";
import { signUp } from "@/lib/auth/sign-up";
import { createPrismaClient, type Db } from "@/lib/db";
import { startOfDay, endOfDay } from "@/lib/time/zoned-day";
import { useTestEnv } from "../../support/app-env";
import { callRoute, ORIGIN, signInCookie } from "../../support/route-harness";
import { createSealedBinding } from "../../support/sealed-binding";
import { createTestDatabase, type TestDatabase } from "../../support/test-database";

const PASSWORD = "a long enough password";
const EVENTS = 100_000;
let database: TestDatabase;
let client: Db;
let alice: string;
let bob: string;
let aliceEmail: string;
let mainKey: string;
let rareKey: string;

beforeAll(async () => {
  database = await createTestDatabase();
  useTestEnv(database.url);
  client = createPrismaClient(database.url);
  aliceEmail = `audit-${Date.now()}@it.test`;
  alice = (await signUp(client, { email: aliceEmail, password: PASSWORD }, noRequestMeta)).id;
  bob = (await signUp(client, { email: `audit-bob-${Date.now()}@it.test`, password: PASSWORD }, noRequestMeta)).id;
  mainKey = await createSealedBinding(client, alice, { exchange: "binance", label: "Main", apiKey: "audit-main-key-0001", secret: "s1" });
  rareKey = await createSealedBinding(client, alice, { exchange: "okx", label: "Rare", apiKey: "audit-rare-key-0001", secret: "s2", passphrase: "p" });
  // One event a minute from 1 September 2026: every fifth about no key, one in a hundred about
  // the rare key, ten "bots.moved" among them. Bob's events name Alice's keys, to show scoping.
  await client.$executeRawUnsafe(
    `INSERT INTO "AuditEvent" ("userId", "type", "bindingId", "data", "ip", "userAgent", "createdAt")
     SELECT $1,
       CASE WHEN g % 10000 = 7 THEN 'bots.moved' ELSE (ARRAY['auth.login.succeeded','key.verified','unbind.step','export.completed','backup.downloaded'])[1 + g % 5] END,
       CASE WHEN g % 5 = 0 THEN NULL WHEN g % 100 = 1 THEN $3 ELSE $2 END,
       '{"from":"login","to":"open-api-management"}'::jsonb, '203.0.113.7', 'curl/8.5.0',
       timestamp '2026-09-01 00:00:00' + g * interval '1 minute'
     FROM generate_series(1, ${EVENTS}) g`,
    alice, mainKey, rareKey,
  );
  await client.$executeRawUnsafe(
    `INSERT INTO "AuditEvent" ("userId", "type", "bindingId", "createdAt")
     SELECT $1, 'bots.moved', $2, timestamp '2026-09-01 00:00:30' + g * interval '1 minute' FROM generate_series(1, 1000) g`,
    bob, rareKey,
  );
  await client.$executeRawUnsafe(`ANALYZE "AuditEvent"`);
}, 120_000);

afterAll(async () => {
  await client?.$disconnect();
  await database?.drop();
});

/** Every event of a filter, page by page, as ids. */
async function walk(filter: Parameters<typeof listEvents>[2], limit: number): Promise<bigint[]> {
  const ids: bigint[] = [];
  let before: AuditCursor | undefined;
  for (;;) {
    const { events, next } = await listEvents(client, alice, { ...filter, before, limit });
    ids.push(...events.map((e) => e.id));
    if (!next) return ids;
    const last = events.at(-1)!;
    before = { at: last.createdAt, id: last.id };
  }
}

async function truth(where: string, ...params: unknown[]): Promise<bigint[]> {
  const rows = await client.$queryRawUnsafe<{ id: bigint }[]>(`SELECT id FROM "AuditEvent" WHERE "userId" = $1 ${where} ORDER BY "createdAt" DESC, id DESC`, alice, ...params);
  return rows.map((r) => r.id);
}

describe("the audit log with 100,000 events", () => {
  it("pages a key's events exactly: newest first, none twice, none missing, none of another user", async () => {
    const ids = await walk({ bindingId: rareKey }, 170);
    expect(ids).toHaveLength(1000);
    expect(ids).toEqual(await truth(`AND "bindingId" = $2`, rareKey));
  });

  it("filters by kind", async () => {
    expect(await walk({ kind: "bots" }, 3)).toEqual(await truth(`AND "type" LIKE 'bots.%'`));
    expect(await walk({ kind: "bots" }, 3)).toHaveLength(10);
  });

  it("filters by the viewer's days: 2 September in Berlin is 1 September 22:00 to 2 September 22:00 UTC", async () => {
    const from = startOfDay("2026-09-02", "Europe/Berlin");
    const to = endOfDay("2026-09-02", "Europe/Berlin");
    expect(from.toISOString()).toBe("2026-09-01T22:00:00.000Z");
    const ids = await walk({ from, to, kind: "unbind" }, 100);
    expect(ids).toEqual(await truth(`AND "createdAt" >= $2 AND "createdAt" < $3 AND "type" LIKE 'unbind.%'`, from, to));
    expect(ids).toHaveLength((24 * 60) / 5);
  });

  it("reads a page's worth of the index, deep in the log as on the first page, for every filter", async () => {
    const newest = (await listEvents(client, alice, { limit: 1 })).events[0]!;
    const far: AuditCursor = { at: new Date(newest.createdAt.getTime() - 90_000 * 60_000), id: newest.id - 90_000n };
    const cases: Record<string, { filter: Parameters<typeof listEvents>[2]; sql: string; params: unknown[] }> = {
      all: { filter: {}, sql: "", params: [] },
      key: { filter: { bindingId: rareKey }, sql: `AND "bindingId" = $4`, params: [rareKey] },
      kind: { filter: { kind: "unbind" }, sql: `AND "type" IN ('unbind.started','unbind.step','unbind.gate_satisfied','unbind.bots_stopped','unbind.cancelled','unbind.confirm_attempted','unbind.revoke_requested','unbind.completed','unbind.forced')`, params: [] },
      rare_kind: { filter: { kind: "bots" }, sql: `AND "type" IN ('bots.moved')`, params: [] },
      days: { filter: { from: new Date("2026-10-01T00:00:00Z"), to: new Date("2026-10-08T00:00:00Z") }, sql: `AND "createdAt" >= '2026-10-01' AND "createdAt" < '2026-10-08'`, params: [] },
    };
    for (const [name, { filter, sql, params }] of Object.entries(cases)) {
      for (const before of [{ at: new Date("2100-01-01"), id: 1n << 62n }, far]) {
        // the shape of listEvents' query (keyset on createdAt, id), as Postgres plans it
        const [{ "QUERY PLAN": [plan] }] = (await client.$queryRawUnsafe<{ "QUERY PLAN": [{ Plan: PlanNode }] }[]>(
          `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) SELECT * FROM "AuditEvent" WHERE "userId" = $1 ${sql}
             AND "createdAt" <= $2 AND ("createdAt" < $2 OR id < $3) ORDER BY "createdAt" DESC, id DESC LIMIT 51`,
          alice, before.at, before.id, ...params,
        )) as [{ "QUERY PLAN": [{ Plan: PlanNode }] }];
        const label = `${name}${before === far ? " (deep)" : ""}`;
        expect(nodes(plan.Plan).filter((n) => n["Node Type"] === "Seq Scan" || n["Node Type"] === "Sort").map((n) => n["Node Type"]), label).toEqual([]);
        expect(plan.Plan["Shared Hit Blocks"] + plan.Plan["Shared Read Blocks"], label).toBeLessThan(300);
        // and it is the query listEvents runs: the same rows (the page's 50 of the 51 read)
        const rows = await client.$queryRawUnsafe<{ id: bigint }[]>(
          `SELECT id FROM "AuditEvent" WHERE "userId" = $1 ${sql}
             AND "createdAt" <= $2 AND ("createdAt" < $2 OR id < $3) ORDER BY "createdAt" DESC, id DESC LIMIT 50`,
          alice, before.at, before.id, ...params,
        );
        const page = await listEvents(client, alice, { ...filter, before, limit: 50 });
        expect(page.events.map((e) => BigInt(e.id)), label).toEqual(rows.map((r) => r.id));
      }
    }
  });
});

interface PlanNode {
  "Node Type": string;
  "Shared Hit Blocks": number;
  "Shared Read Blocks": number;
  Plans?: PlanNode[];
}

function nodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
}

describe("each event tells its story", () => {
  it("names its key as it was when the event was written, the step by name and the exchange's answer", async () => {
    await recordEvent(client, { userId: alice, type: "unbind.confirm_attempted", bindingId: rareKey, data: { outcome: "valid", reason: "key_valid" }, ip: "198.51.100.4", userAgent: "Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0.0.0 Safari/537.36" });
    await client.exchangeBinding.update({ where: { id: rareKey }, data: { label: "Renamed" } });
    await recordEvent(client, { userId: alice, type: "unbind.step", bindingId: rareKey, data: { from: "locate-key", to: "delete" } });
    const { events } = await listEvents(client, alice, { bindingId: rareKey, limit: 2 });
    const [step, confirm] = await presentEvents(client, alice, events);
    expect(step).toMatchObject({ title: "Unbind wizard: on to “Delete the key”", key: { label: "Renamed", exchangeName: "OKX" }, device: "MyITS (in the background)" });
    expect(confirm).toMatchObject({ title: "Asked OKX whether the key is gone", detail: "Answer: the key still works (key valid)", key: { label: "Rare" }, ip: "198.51.100.4", device: "Chrome on Linux" });
  });
});

describe("GET /api/audit/export", () => {
  it("streams the signed-in user's events as CSV, filtered, and refuses a query it does not know", async () => {
    const { handlers } = await import("@/auth");
    const cookie = await signInCookie(handlers, aliceEmail, PASSWORD);
    const { GET } = await import("@/app/api/audit/export/route");
    const response = await callRoute(GET, new Request(`${ORIGIN}/api/audit/export?key=${rareKey}`, { headers: { cookie } }));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename="myits-audit-\d{4}-\d{2}-\d{2}\.csv"$/);
    const lines = (await response.text()).trimEnd().split("\r\n");
    expect(lines[0]).toBe("time_utc,event,detail,key_label,exchange,ip,device,type,id");
    // 1,000 seeded events and the two of the test before, none of Bob's
    expect(lines).toHaveLength(1 + 1002);
    expect(lines[1]).toMatch(/^\d{4}-\d{2}-\d{2}T[\d:.]+Z,Unbind wizard: on to “Delete the key”,from “Find the key bound to MyITS”|^\d{4}-\d{2}-\d{2}T[\d:.]+Z,Unbind wizard: on to “Delete the key”,/);
    expect(lines[1]).toContain(",Renamed,OKX,");

    const bad = await callRoute(GET, new Request(`${ORIGIN}/api/audit/export?kind=everything`, { headers: { cookie } }));
    expect(bad.status).toBe(400);
    const unknown = await callRoute(GET, new Request(`${ORIGIN}/api/audit/export?userId=${bob}`, { headers: { cookie } }));
    expect(unknown.status).toBe(400);
    const anonymous = await callRoute(GET, new Request(`${ORIGIN}/api/audit/export`));
    expect(anonymous.status).toBe(401);
  });
});
