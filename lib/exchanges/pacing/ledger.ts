import pg from "pg";

// One budget per exchange, egress IP and pool across every web and worker process: the weight
// (Binance) or requests (Bybit, OKX) taken in each of the exchange's windows, kept in Postgres
// (table PacingLedger) and taken with one call of the SQL function myits_pacing_take
// (migration 20261201205000_pacing_ledger), which checks and adds atomically. A WeightPacer
// with a ledger (weight-pacer.ts) takes a request's weight here before sending it; refused, it
// waits as long as the function says. The exchange's own counters (X-MBX-USED-WEIGHT-1M, a 429's
// Retry-After) stay the safety net, and a process whose ledger fails falls back to them.
//
// Why not rate-limiter-flexible's RateLimiterPostgres (used for the per-IP throttles,
// lib/http/throttle.ts): its window starts at a key's first request, by the calling process's
// clock, while Binance counts per calendar minute; it adds the points of a refused request
// too, so a refused background request would eat the reserve kept for interactive ones; and
// it has one limit per key, while here background and interactive requests take from the same
// count under different ceilings. The function below is one statement with the window on the
// database's clock, shared by every process.
//
// Why a take per request and not leases (a batch of weight spent locally): a take is one
// round trip to Postgres (about a millisecond here) before a request to the exchange that
// takes tens to hundreds; a lease's unspent weight at the end of a window is lost for every
// process, and a lease taken just before a boundary would be spent in the next window, which
// the ledger never counted.

export interface LedgerTake {
  /** "<exchange>|<origin>|<pool>" */
  key: string;
  weight: number;
  /** The most weight this request may leave taken in the window (background work stops below the limit). */
  ceiling: number;
  windowMs: number;
  /** Near a window's boundary by this much, a take counts in both windows next to it. */
  guardMs: number;
}

export type LedgerVerdict = { granted: true } | { granted: false; retryInMs: number };

export interface BudgetLedger {
  take(take: LedgerTake): Promise<LedgerVerdict>;
}

/** The windows a take at `t` counts in (the SQL function's rule, for MemoryLedger and the tests). */
export function windowsAt(t: number, windowMs: number, guardMs: number): number[] {
  const w = t - (((t % windowMs) + windowMs) % windowMs);
  if (t - w < guardMs) return [w - windowMs, w];
  if (w + windowMs - t <= guardMs) return [w, w + windowMs];
  return [w];
}

/**
 * The ledger in one process's memory, with the SQL function's rules: for unit tests on a fake
 * clock, where several pacers stand for several processes.
 */
export class MemoryLedger implements BudgetLedger {
  private readonly used = new Map<string, number>();
  constructor(private readonly now: () => number = Date.now) {}

  take({ key, weight, ceiling, windowMs, guardMs }: LedgerTake): Promise<LedgerVerdict> {
    const t = this.now();
    const windows = windowsAt(t, windowMs, guardMs);
    const slot = (w: number) => `${key}\u0000${w}`;
    const refusing = windows.filter((w) => {
      const used = this.used.get(slot(w)) ?? 0;
      return used > 0 && used + weight > ceiling;
    });
    if (refusing.length > 0) return Promise.resolve({ granted: false, retryInMs: Math.max(...refusing) + windowMs + guardMs - t });
    for (const w of windows) this.used.set(slot(w), (this.used.get(slot(w)) ?? 0) + weight);
    return Promise.resolve({ granted: true });
  }

  /** Weight taken in the window that starts at `windowStart` (for tests). */
  usedIn(key: string, windowStart: number): number {
    return this.used.get(`${key}\u0000${windowStart}`) ?? 0;
  }
}

export class PostgresLedger implements BudgetLedger {
  constructor(private readonly pool: pg.Pool) {}

  async take({ key, weight, ceiling, windowMs, guardMs }: LedgerTake): Promise<LedgerVerdict> {
    const { rows } = await this.pool.query<{ wait: string }>({
      name: "myits-pacing-take",
      text: "SELECT myits_pacing_take($1, $2, $3, $4, $5) AS wait",
      values: [key, Math.round(weight), Math.floor(ceiling), windowMs, guardMs],
    });
    const wait = Number(rows[0]?.wait ?? 0);
    return wait > 0 ? { granted: false, retryInMs: wait } : { granted: true };
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}

const globalForLedgers = globalThis as unknown as { myitsLedgers?: Map<string, PostgresLedger> };

/**
 * The process's ledger on the database at `connectionString`. Its own small pool (two
 * connections, like the throttles'): a take never waits behind the Prisma pool that serves pages
 * and stores export pages.
 */
export function postgresLedger(connectionString: string): PostgresLedger {
  const ledgers = (globalForLedgers.myitsLedgers ??= new Map());
  let ledger = ledgers.get(connectionString);
  if (!ledger) {
    const pool = new pg.Pool({ connectionString, max: 2, application_name: "myits-pacing" });
    pool.on("error", () => {}); // an idle connection dropped by the server is replaced on next use
    ledger = new PostgresLedger(pool);
    ledgers.set(connectionString, ledger);
  }
  return ledger;
}
