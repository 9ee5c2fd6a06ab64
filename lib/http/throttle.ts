import "server-only";
import pg from "pg";
import { RateLimiterPostgres, RateLimiterRes } from "rate-limiter-flexible";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";

// Per-IP throttles for the entry points that cost the server (a password hash) or an exchange
// (a live call) something: sign-in, sign-up, re-authentication, binding a key, re-checking a
// key live. They are counted in Postgres with rate-limiter-flexible's RateLimiterPostgres, one
// atomic upsert per request, so a limit holds across every web process of a deployment.
//
// The table ("Throttle") is made by the Prisma migration 20261201142000_throttle, in exactly
// the shape the library would create, and the library is told so (`tableCreated: true`): every
// database that has been migrated (`npm start`, `prisma migrate deploy`, the tests' fresh
// databases cloned from the migrated template) has it before the first request. Letting the
// library create it at start instead would race the first requests ("Table is not created
// yet") and leave a table the drift check (`npm run db:check`) does not know about.
//
// The client IP comes from lib/auth/request-meta.ts (requestMetaFrom), never from headers read
// here. The counters use their own small pg pool, so a flood of throttled requests waits for
// at most two connections and never for the Prisma pool that serves pages; an address already
// refused is refused again from memory, without a query (inMemoryBlockOnConsumed).

export const throttleLimits = {
  /** Sign-in attempts per IP (the per-account backoff is lib/auth/lockout.ts). */
  signIn: { points: 30, duration: 60 },
  /** New accounts per IP. */
  signUp: { points: 10, duration: 60 * 60 },
  /** Password confirmations per IP. */
  reauth: { points: 20, duration: 60 },
  /** Keys bound per IP: each is verified live with the exchange. */
  bind: { points: 10, duration: 60 },
  /** Live re-checks of keys per IP: each asks the exchange. */
  recheck: { points: 30, duration: 60 },
} as const satisfies Record<string, { points: number; duration: number }>;

export type ThrottleName = keyof typeof throttleLimits;

export interface Throttles {
  /** Counts one request of `ip` against the named limit; throws RATE_LIMITED (429) past it. */
  consume(name: ThrottleName, ip: string | null): Promise<void>;
}

/** `scale` multiplies every limit's points (THROTTLE_SCALE). */
export function createThrottles(pool: pg.Pool, scale = 1): Throttles {
  // A connection the server drops (a restart, a dropped database) must never take the process
  // down: the pool replaces it on next use.
  if (pool.listenerCount("error") === 0) pool.on("error", () => {});
  const limiters = new Map<ThrottleName, RateLimiterPostgres>();
  const limiter = (name: ThrottleName) => {
    let found = limiters.get(name);
    if (!found) {
      const points = Math.max(1, Math.round(throttleLimits[name].points * scale));
      found = new RateLimiterPostgres({
        storeClient: pool,
        storeType: "pool",
        tableName: "Throttle",
        tableCreated: true,
        keyPrefix: name,
        points,
        duration: throttleLimits[name].duration,
        // Once an address is over its limit, this process refuses it from memory for the rest of
        // the window: a flood from one address costs one query per process and window, not one
        // per request. (Other processes still count it in Postgres until they refuse it too.)
        inMemoryBlockOnConsumed: points + 1,
      });
      limiters.set(name, found);
    }
    return found;
  };
  return {
    async consume(name, ip) {
      try {
        await limiter(name).consume(ip ?? "unknown");
      } catch (error) {
        // The library rejects with its result object when the limit is reached.
        if (!(error instanceof RateLimiterRes)) throw error;
        const retryAfterSeconds = Math.max(1, Math.ceil(error.msBeforeNext / 1000));
        throw new AppError("RATE_LIMITED", `Too many requests from your address. Try again in ${retryAfterSeconds} seconds.`, {
          throttle: name,
          retryAfterSeconds,
        });
      }
    },
  };
}

const globalForThrottles = globalThis as unknown as { myitsThrottles?: Throttles };

/** The process's throttles, on the database of DATABASE_URL. */
export function throttles(): Throttles {
  if (!globalForThrottles.myitsThrottles) {
    const pool = new pg.Pool({ connectionString: env().DATABASE_URL, max: 2, application_name: "myits-throttle" });
    pool.on("error", () => {}); // an idle connection dropped by the server is replaced on next use
    globalForThrottles.myitsThrottles = createThrottles(pool, env().THROTTLE_SCALE);
  }
  return globalForThrottles.myitsThrottles;
}

/** Shorthand for entry points: `await throttle("signIn", meta.ip)`. */
export function throttle(name: ThrottleName, ip: string | null): Promise<void> {
  return throttles().consume(name, ip);
}
