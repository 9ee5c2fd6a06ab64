import "server-only";
import PgBoss from "pg-boss";
import { env } from "@/lib/env";

// One pg-boss instance per process, started on first use (its tables live in the "pgboss"
// schema of the application's database; pg-boss creates and migrates them itself). Kept on
// globalThis so a development reload does not open a second pool.

export const EXPORT_QUEUE = "export-trades";
/** Polls an exchange's history-file request until the file is stored (lib/backups/statements). */
export const STATEMENT_QUEUE = "exchange-statement";

export interface StatementJobData {
  statementId: string;
}

/**
 * Retries of an export job after a transient failure (the run itself already retried each
 * request a few times): 5 more tries, 10 s, 20 s, 40 s... apart (with jitter).
 */
export const EXPORT_JOB_RETRY = { retryLimit: 5, retryDelay: 10, retryBackoff: true } as const;

/**
 * A running job is given up by pg-boss only after this long. Exports of large histories run
 * for hours under Binance's weight limit; a worker that dies is noticed sooner by the orphan
 * sweep (lib/jobs/worker.ts), which sees its Postgres lock gone.
 */
export const EXPORT_JOB_EXPIRE_SECONDS = 12 * 3600;

export interface ExportJobData {
  exportJobId: string;
}

const globalForBoss = globalThis as unknown as { myitsBoss?: Promise<PgBoss> };

async function startBoss(connectionString: string): Promise<PgBoss> {
  const boss = new PgBoss({ connectionString, max: 4, application_name: "myits-jobs" });
  boss.on("error", (error) => {
    // A second job of a binding waiting while the first is still being marked complete makes
    // pg-boss's fetch trip over the singleton index for a moment: expected, retried by pg-boss.
    if ((error as { code?: string }).code === "23505") return;
    console.error("[jobs] pg-boss:", error.message);
  });
  await boss.start();
  // singleton: at most one job per singletonKey (the binding) active at a time.
  await ensureQueue(boss, { name: EXPORT_QUEUE, policy: "singleton", ...EXPORT_JOB_RETRY, expireInSeconds: EXPORT_JOB_EXPIRE_SECONDS });
  await ensureQueue(boss, { name: STATEMENT_QUEUE, policy: "standard", retryLimit: 10, retryDelay: 30, retryBackoff: true, expireInSeconds: 900 });
  return boss;
}

async function ensureQueue(boss: PgBoss, queue: PgBoss.Queue): Promise<void> {
  if (await boss.getQueue(queue.name)) return;
  try {
    await boss.createQueue(queue.name, queue);
  } catch (error) {
    // another process created it at the same moment
    if (!(await boss.getQueue(queue.name))) throw error;
  }
}

/** The process's pg-boss, started (DATABASE_URL from lib/env.ts unless given). */
export function getBoss(connectionString?: string): Promise<PgBoss> {
  if (!globalForBoss.myitsBoss) {
    const starting = startBoss(connectionString ?? env().DATABASE_URL);
    globalForBoss.myitsBoss = starting;
    // a failed start is not cached: the next call tries again
    starting.catch(() => {
      if (globalForBoss.myitsBoss === starting) globalForBoss.myitsBoss = undefined;
    });
  }
  return globalForBoss.myitsBoss;
}

/** Stops pg-boss (after the worker, if any, has stopped) and closes its pool. */
export async function stopBoss(options: { timeoutMs?: number } = {}): Promise<void> {
  const starting = globalForBoss.myitsBoss;
  if (!starting) return;
  globalForBoss.myitsBoss = undefined;
  const boss = await starting.catch(() => null);
  await boss?.stop({ graceful: true, timeout: options.timeoutMs ?? 20_000, wait: true });
}
