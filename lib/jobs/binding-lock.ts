import "server-only";
import pg from "pg";

// "Only one export of a binding runs at a time", held in Postgres rather than in memory: a
// session advisory lock per binding, on a connection of its own for as long as the export
// runs. Another worker (in any process) fails to take it; a worker that dies loses its
// connection and with it the lock, which is how the orphan sweep tells a dead run from a
// live one.

const NAMESPACE = "myits:export-trades";

export interface BindingLock {
  release(): Promise<void>;
}

/** Takes the binding's lock, or returns null when another session holds it. */
export async function tryLockBinding(connectionString: string, bindingId: string): Promise<BindingLock | null> {
  const client = new pg.Client({ connectionString, application_name: "myits-export-lock" });
  // a connection that drops while the export runs must not crash the process
  client.on("error", () => {});
  await client.connect();
  try {
    const { rows } = await client.query<{ locked: boolean }>("SELECT pg_try_advisory_lock(hashtext($1), hashtext($2)) AS locked", [NAMESPACE, bindingId]);
    if (rows[0]?.locked !== true) {
      await client.end();
      return null;
    }
  } catch (error) {
    await client.end().catch(() => {});
    throw error;
  }
  let released = false;
  return {
    async release() {
      if (released) return;
      released = true;
      // closing the session releases the lock
      await client.end().catch(() => {});
    },
  };
}

/** True when some session holds the binding's lock (an export of it runs somewhere). */
export async function isBindingLocked(connectionString: string, bindingId: string): Promise<boolean> {
  const lock = await tryLockBinding(connectionString, bindingId);
  if (!lock) return true;
  await lock.release();
  return false;
}
