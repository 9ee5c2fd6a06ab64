import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError, toHttpError } from "@/lib/errors";
import { createThrottles, throttleLimits, type Throttles } from "@/lib/http/throttle";
import { createTestDatabase, type TestDatabase } from "../support/test-database";

// Two throttle instances on two pools stand for two web processes of one deployment: the limit
// is one count in Postgres, not one per process. The table comes from the migrations alone.

let database: TestDatabase;
let pools: pg.Pool[];
let processA: Throttles;
let processB: Throttles;

beforeAll(async () => {
  database = await createTestDatabase();
  pools = [new pg.Pool({ connectionString: database.url, max: 2 }), new pg.Pool({ connectionString: database.url, max: 2 })];
  for (const pool of pools) pool.on("error", () => {}); // the database is dropped at the end
  processA = createThrottles(pools[0]!);
  processB = createThrottles(pools[1]!);
});

afterAll(async () => {
  await Promise.all((pools ?? []).map((pool) => pool.end()));
  await database?.drop();
});

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe("per-IP throttles", () => {
  it("hold across two processes on one database, and refuse with a clear 429", async () => {
    const { points, duration } = throttleLimits.signIn;
    const ip = "198.51.100.7";
    for (let i = 0; i < points; i++) await (i % 2 ? processA : processB).consume("signIn", ip);

    const error = await refusal(processA.consume("signIn", ip));
    expect(error.code).toBe("RATE_LIMITED");
    expect(error.message).toMatch(/^Too many requests from your address\. Try again in \d+ seconds\.$/);
    expect(error.details).toMatchObject({ throttle: "signIn" });
    expect(error.details?.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(error.details?.retryAfterSeconds).toBeLessThanOrEqual(duration);
    expect(toHttpError(error)).toMatchObject({ status: 429, body: { error: { code: "RATE_LIMITED", message: error.message } } });
    expect((await refusal(processB.consume("signIn", ip))).code).toBe("RATE_LIMITED");

    // Another address, and another limit for the same address, are counted apart.
    await expect(processB.consume("signIn", "198.51.100.8")).resolves.toBeUndefined();
    await expect(processB.consume("reauth", ip)).resolves.toBeUndefined();
  });

  it("count parallel requests exactly", async () => {
    const { points } = throttleLimits.bind;
    const outcomes = await Promise.allSettled(
      Array.from({ length: points + 5 }, (_, i) => (i % 2 ? processA : processB).consume("bind", "203.0.113.9")),
    );
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(points);
    expect(outcomes.filter((o) => o.status === "rejected").map((o) => (o as PromiseRejectedResult).reason.code)).toEqual(Array(5).fill("RATE_LIMITED"));
  });

  it("refuse an address already over its limit from memory: a flood costs no query per request", async () => {
    const pool = new pg.Pool({ connectionString: database.url, max: 2 });
    pool.on("error", () => {});
    let queries = 0;
    const query = pool.query.bind(pool) as (...args: unknown[]) => unknown;
    (pool as unknown as { query: (...args: unknown[]) => unknown }).query = (...args) => {
      queries++;
      return query(...args);
    };
    try {
      const throttled = createThrottles(pool);
      const ip = "192.0.2.99";
      for (let i = 0; i < throttleLimits.reauth.points; i++) await throttled.consume("reauth", ip);
      expect((await refusal(throttled.consume("reauth", ip))).code).toBe("RATE_LIMITED");
      const counted = queries;
      for (let i = 0; i < 50; i++) expect((await refusal(throttled.consume("reauth", ip))).details).toMatchObject({ throttle: "reauth" });
      expect(queries).toBe(counted);
      // The process next door still counts in Postgres, and refuses too.
      expect((await refusal(processA.consume("reauth", ip))).code).toBe("RATE_LIMITED");
      // Other addresses are not held back by it.
      await expect(throttled.consume("reauth", "192.0.2.100")).resolves.toBeUndefined();
    } finally {
      await pool.end();
    }
  });

  it("scale every allowance by THROTTLE_SCALE's factor", async () => {
    const scaled = createThrottles(pools[0]!, 0.1);
    const ip = "192.0.2.44";
    for (let i = 0; i < throttleLimits.signIn.points / 10; i++) await scaled.consume("signIn", ip);
    expect((await refusal(scaled.consume("signIn", ip))).code).toBe("RATE_LIMITED");
  });
});
