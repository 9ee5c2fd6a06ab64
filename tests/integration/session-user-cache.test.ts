import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reauthenticate } from "@/lib/auth/reauthenticate";
import { noRequestMeta } from "@/lib/auth/request-meta";
import { createSessionUserCache, type SessionUserCache } from "@/lib/auth/session-user-cache";
import type { SessionClaims } from "@/lib/auth/session-user";
import { signOutEverywhere } from "@/lib/auth/sign-out-everywhere";
import { signUp } from "@/lib/auth/sign-up";
import { createPrismaClient, type Db } from "@/lib/db";
import { useTestEnv } from "../support/app-env";
import { createTestDatabase, type TestDatabase } from "../support/test-database";

// The session-facts cache of lib/auth/session-user-cache.ts, as two web processes hold it: each
// "process" here has its own Prisma client and its own cache with its own listening connection.
// A change made through one (sign out everywhere, a re-authentication) reaches the other through
// Postgres's NOTIFY, and a cache whose listener is gone trusts nothing until it listens again.

let database: TestDatabase;
let first: { client: Db; cache: SessionUserCache };
let second: { client: Db; cache: SessionUserCache };
const PASSWORD = "a long enough password";
let counter = 0;

const process = () => ({ client: createPrismaClient(database.url), cache: createSessionUserCache({ connectionString: database.url, reconnectMs: 50 }) });

beforeAll(async () => {
  database = await createTestDatabase();
  useTestEnv(database.url);
  first = process();
  second = process();
  await Promise.all([first.cache.ready(), second.cache.ready()]);
});

afterAll(async () => {
  for (const p of [first, second]) {
    await p?.cache.close();
    await p?.client.$disconnect();
  }
  await database?.drop();
});

async function newUser() {
  const user = await signUp(first.client, { email: `cache${++counter}@it.test`, password: PASSWORD }, noRequestMeta);
  const claims = (sessionId: string): SessionClaims => ({ userId: user.id, sessionId, credentialVersion: 0 });
  return { id: user.id, a: claims("a"), b: claims("b") };
}

/** Changes the user's name with triggers off, so no notification goes out: what the cache returns then is what it kept. */
async function renameSilently(client: Db, userId: string, name: string): Promise<void> {
  await client.$transaction([
    client.$executeRaw`SET LOCAL session_replication_role = replica`,
    client.$executeRaw`UPDATE "User" SET "name" = ${name} WHERE "id" = ${userId}`,
  ]);
}

describe("the session-facts cache across processes", () => {
  it("answers from what it kept while nothing changed", async () => {
    const user = await newUser();
    expect(await second.cache.load(second.client, user.b)).toMatchObject({ id: user.id, name: null, sessionId: "b" });
    await renameSilently(first.client, user.id, "silent");
    expect(await second.cache.load(second.client, user.b)).toMatchObject({ name: null });
  });

  it("ends another process's sessions the moment one process signs out everywhere", async () => {
    const user = await newUser();
    expect(await first.cache.load(first.client, user.a)).not.toBeNull();
    expect(await second.cache.load(second.client, user.b)).not.toBeNull();

    const heard = second.cache.nextNotification();
    await signOutEverywhere(first.client, user.id, "a", noRequestMeta);
    expect(await heard).toBe(user.id);

    expect(await second.cache.load(second.client, user.b)).toBeNull();
    expect(await second.cache.load(second.client, user.a)).toMatchObject({ id: user.id, sessionId: "a" });
    expect(await first.cache.load(first.client, user.b)).toBeNull();
  });

  it("shows another process's re-authentication, which belongs to its session only", async () => {
    const user = await newUser();
    expect(await second.cache.load(second.client, user.a)).toMatchObject({ reauthenticatedAt: null });
    const heard = second.cache.nextNotification();
    expect(await reauthenticate(first.client, user.id, "a", { password: PASSWORD }, noRequestMeta)).toMatchObject({ ok: true });
    await heard;
    expect((await second.cache.load(second.client, user.a))?.reauthenticatedAt).toBeInstanceOf(Date);
    expect(await second.cache.load(second.client, user.b)).toMatchObject({ reauthenticatedAt: null });
  });

  it("hears a change made by a hand-typed query as well: the triggers notify, not the app", async () => {
    const user = await newUser();
    expect(await second.cache.load(second.client, user.a)).not.toBeNull();
    const heard = second.cache.nextNotification();
    await first.client.$executeRaw`UPDATE "User" SET "credentialVersion" = "credentialVersion" + 1 WHERE "id" = ${user.id}`;
    expect(await heard).toBe(user.id);
    expect(await second.cache.load(second.client, user.a)).toBeNull();
  });

  it("trusts nothing it kept once its listener is lost, and caches again when it listens again", async () => {
    const user = await newUser();
    expect(await second.cache.load(second.client, user.b)).toMatchObject({ name: null });
    const [terminated] = await first.client.$queryRaw<{ count: bigint }[]>`
      SELECT count(pg_terminate_backend(pid)) AS count FROM pg_stat_activity
      WHERE datname = current_database() AND application_name = 'myits-session-listener'`;
    expect(Number(terminated?.count)).toBe(2);
    // Changed while nobody listens: no notification can reach anyone.
    await first.client.user.update({ where: { id: user.id }, data: { credentialVersion: { increment: 1 } } });
    await second.cache.ready();
    expect(second.cache.listening).toBe(true);
    expect(await second.cache.load(second.client, user.b)).toBeNull();
  });
});
