import { availableParallelism } from "node:os";
import { PrismaPg } from "@prisma/adapter-pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PrismaClient } from "@/generated/prisma/client";
import { authenticate } from "@/lib/auth/authenticate";
import { passwordHashing } from "@/lib/auth/password";
import { noRequestMeta } from "@/lib/auth/request-meta";
import { signInAttempts } from "@/lib/auth/sign-in-attempts";
import { signUp } from "@/lib/auth/sign-up";
import { secretColumns, type Db } from "@/lib/db";
import { useTestEnv } from "../support/app-env";
import { callRoute, ORIGIN } from "../support/route-harness";
import { createTestDatabase, type TestDatabase } from "../support/test-database";

// Wrong-password sign-ins cost CPU time (argon2), bounded, and never the database connections
// signed-in users need. The pool here is small on purpose (4 connections): when sign-in held a
// transaction, and with it a connection, through its password check, 20 parallel guesses
// queued every other query behind them until most of the hashes were done.

let database: TestDatabase;
let client: Db;

beforeAll(async () => {
  database = await createTestDatabase();
  useTestEnv(database.url);
  client = new PrismaClient({ adapter: new PrismaPg({ connectionString: database.url, max: 4 }), omit: secretColumns });
});

afterAll(async () => {
  await client?.$disconnect();
  await database?.drop();
});

describe("sign-in under a burst of wrong passwords", () => {
  it("lets an unrelated query through while the 20 password checks are still running", async () => {
    const owner = await signUp(client, { email: "owner@load.test", password: "the owner's long password" }, noRequestMeta);
    const victim = "victim@load.test";
    await signUp(client, { email: victim, password: "the victim's long password" }, noRequestMeta);

    let settled = 0;
    const guesses = Array.from({ length: 20 }, (_, i) =>
      // Half against a real account (each from its own address, so none is refused before its
      // password check), half against emails that do not exist (the decoy check runs instead).
      authenticate(client, { email: i % 2 ? victim : `nobody-${i}@load.test`, password: `guess number ${i}` }, { ip: `198.51.100.${i}`, userAgent: null })
        .finally(() => settled++),
    );

    // Wait (a turn of the event loop at a time) until more password checks are under way than
    // the pool has connections: impossible while each check held a connection.
    const inFlight = () => passwordHashing.active + passwordHashing.queued;
    for (let turn = 0; inFlight() < 8 && settled < 20 && turn < 100_000; turn++) await new Promise((resolve) => setImmediate(resolve));
    expect(inFlight()).toBeGreaterThanOrEqual(8);
    expect(passwordHashing.active).toBeLessThanOrEqual(Math.max(1, availableParallelism() - 1));

    const unrelated = await client.user.findUniqueOrThrow({ where: { id: owner.id }, select: { email: true } });
    expect(unrelated.email).toBe("owner@load.test");
    // The query was answered while the hashes were still running, not after them.
    expect(inFlight()).toBeGreaterThan(0);
    expect(settled).toBeLessThan(20);

    const results = await Promise.all(guesses);
    expect(results.every((r) => !r.ok && r.reason === "invalid_credentials")).toBe(true);
    expect(await client.loginAttempt.count({ where: { reason: { in: ["bad_password", "unknown_email"] } } })).toBe(20);
  });

  it("answers 'busy' past the queue of password checks, and a busy answer is not counted as a guess", async () => {
    const email = "crowded@load.test";
    await signUp(client, { email, password: "the crowd's long password" }, noRequestMeta);
    const attempts = 80; // far more than the queue (20) holds
    const outcomes = await Promise.allSettled(
      Array.from({ length: attempts }, (_, i) => authenticate(client, { email, password: `guess ${i}` }, { ip: `203.0.113.${i}`, userAgent: null })),
    );
    const busy = outcomes.filter((o) => o.status === "rejected");
    const answered = outcomes.filter((o) => o.status === "fulfilled");
    expect(busy.length).toBeGreaterThan(0);
    expect(busy.map((o) => (o as PromiseRejectedResult).reason)).toEqual(busy.map(() => expect.objectContaining({ code: "BUSY", status: 503 })));
    expect(answered.length + busy.length).toBe(attempts);

    const counted = await client.signInBackoff.aggregate({ where: { email }, _sum: { failures: true } });
    expect(counted._sum.failures).toBe(answered.length);
    expect(await client.loginAttempt.count({ where: { email } })).toBe(answered.length);
  });

  it("refuses a sign-in as busy before Auth.js or Postgres when the password checks, or the attempts, are at their bound", async () => {
    const route = await import("@/app/api/auth/[...nextauth]/route");
    const email = "flooded@load.test";
    await signUp(client, { email, password: "the flooded long password" }, noRequestMeta);
    const counts = async () => ({
      attempts: await client.loginAttempt.count(),
      backoffs: await client.signInBackoff.count(),
      throttled: await client.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM "Throttle"`.then((rows) => Number(rows[0]?.n)),
    });
    // Take every slot and every place in the queue with work that waits for us.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const holders: Promise<unknown>[] = [];
    while (passwordHashing.hasRoom()) holders.push(passwordHashing.run(() => held));
    const before = await counts();
    // No CSRF token either: the refusal comes before Auth.js looks at the request at all.
    const attempt = () =>
      callRoute(
        route.POST,
        new Request(`${ORIGIN}/api/auth/callback/credentials`, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded", origin: ORIGIN },
          body: new URLSearchParams({ email, password: "a guess" }),
        }),
        { nextauth: ["callback", "credentials"] },
      );
    const refusedAsBusy = (response: Response) => {
      expect(response.status).toBe(302);
      const location = new URL(response.headers.get("location")!);
      expect(location.pathname).toBe("/login");
      expect(Object.fromEntries(location.searchParams)).toEqual({ error: "CredentialsSignin", code: "busy" });
    };
    refusedAsBusy(await attempt());
    release();
    await Promise.all(holders);
    expect(await counts()).toEqual(before);

    // The same when every attempt this process works on at once is taken.
    let releaseAttempts!: () => void;
    const attemptsHeld = new Promise<void>((resolve) => (releaseAttempts = resolve));
    const attemptHolders: Promise<unknown>[] = [];
    while (signInAttempts.hasRoom()) attemptHolders.push(signInAttempts.run(() => attemptsHeld));
    refusedAsBusy(await attempt());
    releaseAttempts();
    await Promise.all(attemptHolders);
    expect(await counts()).toEqual(before);
  });
});
