import "server-only";
import type { Db } from "@/lib/db";
import { AppError } from "@/lib/errors";

// One restore per user at a time, across every web process: a restore reads a large upload and
// writes many rows, and a user (or a script with their session) starting them in parallel would
// multiply the load for nothing. The lock is a Postgres advisory lock held by an otherwise idle
// transaction for the duration of the work: it is released when the work ends, and also when the
// process dies (its connection closes), so a crash never leaves a user locked out. The work
// itself runs on other connections (its own transactions).

/** Longer than any restore of MAX_IMPORT_BYTES; past it the lock is dropped, not the restore. */
const HOLD_MS = 60 * 60 * 1000;

export async function withRestoreLock<T>(client: Db, userId: string, work: () => Promise<T>): Promise<T> {
  let result: { value: T } | undefined;
  try {
    await client.$transaction(
      async (tx) => {
        const [row] = await tx.$queryRaw<{ locked: boolean }[]>`SELECT pg_try_advisory_xact_lock(hashtext('myits.restore'), hashtext(${userId})) AS locked`;
        if (!row?.locked) throw new AppError("CONFLICT", "A restore is already running for your account: wait for it to finish, then try again.");
        result = { value: await work() };
      },
      { timeout: HOLD_MS, maxWait: 10_000 },
    );
  } catch (error) {
    // The work finished but the lock's transaction had timed out: the restore still stands.
    if (result && !(error instanceof AppError)) return result.value;
    throw error;
  }
  return result!.value;
}
