import "server-only";
import { randomUUID } from "node:crypto";
import type { Db, Tx } from "@/lib/db";

// When the key watch checks each bound key next, held in Postgres so that any number of
// worker processes share the schedule and a killed one skips nothing.
//
// Why a due-time row per key rather than pg-boss jobs per key: the pg-boss schedule (a cron
// job every minute, lib/watch/watch-worker.ts) only wakes the workers; what is due lives in
// KeyWatchSlot. A worker claims one due slot at a time with FOR UPDATE SKIP LOCKED and stamps
// it with a lease (a random token and an expiry) in one statement, so two workers never take
// the same key and neither waits on the other. The slot moves on to the next period only in
// the transaction that records the check (KeyCheck row, snapshot, alerts), and only while the
// worker still holds its lease (compare-and-set on the token). So:
//   - a worker killed mid-check commits nothing; its lease runs out and the next tick of any
//     worker claims the key again: the key is checked once in the period, not skipped;
//   - a worker that outlived its lease (stalled) finds its token gone and rolls its answer
//     back: the key is not checked twice either.
// Per-key pg-boss jobs with a singleton key per period would need as many queued rows as
// keys, a re-plan after every period, and their own expiry to notice a dead worker; the slot
// is one row per key, updated in place, and the period is just arithmetic on dueAt.
//
// New keys get their slot at a point of the period chosen from their id (hashtext), so a
// thousand keys bound at once are still checked spread over the period; each check keeps the
// key's phase (next = due + period), so the spread stays.

export interface ClaimedSlot {
  bindingId: string;
  userId: string;
  dueAt: Date;
  leaseToken: string;
}

/** Gives every bound key without a slot one, due at its own point of the coming period. */
export async function planSlots(client: Db, periodMs: number, now = new Date()): Promise<number> {
  return client.$executeRaw`
    INSERT INTO "KeyWatchSlot" ("bindingId", "dueAt")
    SELECT b.id, ${now}::timestamp + ((abs(hashtext(b.id))::bigint % 1000000) * ${Math.round(periodMs)}::bigint / 1000000) * interval '1 millisecond'
    FROM "ExchangeBinding" b
    WHERE b.status <> 'UNBOUND' AND NOT EXISTS (SELECT 1 FROM "KeyWatchSlot" s WHERE s."bindingId" = b.id)
    ON CONFLICT ("bindingId") DO NOTHING`;
}

/** Claims the most overdue slot nobody holds, or null when nothing is due. */
export async function claimDueSlot(client: Db, leaseMs: number, now = new Date()): Promise<ClaimedSlot | null> {
  const leaseToken = randomUUID();
  const until = new Date(now.getTime() + leaseMs);
  const rows = await client.$queryRaw<{ bindingId: string; userId: string; dueAt: Date }[]>`
    UPDATE "KeyWatchSlot" s SET "leaseToken" = ${leaseToken}, "leaseUntil" = ${until}
    FROM "ExchangeBinding" b
    WHERE b.id = s."bindingId" AND s."bindingId" = (
      SELECT s2."bindingId" FROM "KeyWatchSlot" s2
      WHERE s2."dueAt" <= ${now} AND (s2."leaseUntil" IS NULL OR s2."leaseUntil" < ${now})
      ORDER BY s2."dueAt"
      LIMIT 1
      FOR UPDATE SKIP LOCKED)
    RETURNING s."bindingId", b."userId", s."dueAt"`;
  const row = rows[0];
  return row ? { ...row, leaseToken } : null;
}

/** The next due time: the same phase one period on, and never in the past. */
export function nextDue(dueAt: Date, periodMs: number, now: Date): Date {
  let next = dueAt.getTime() + periodMs;
  if (next <= now.getTime()) next += Math.ceil((now.getTime() - next + 1) / periodMs) * periodMs;
  return new Date(next);
}

export class LeaseLostError extends Error {
  constructor(bindingId: string) {
    super(`the key watch's lease on ${bindingId} ran out; another worker checks it`);
    this.name = "LeaseLostError";
  }
}

/** In the check's transaction: moves the slot on, or throws (rolling the check back) when the lease is no longer ours. */
export async function completeSlot(tx: Tx, slot: ClaimedSlot, next: Date): Promise<void> {
  const moved = await tx.keyWatchSlot.updateMany({
    where: { bindingId: slot.bindingId, leaseToken: slot.leaseToken },
    data: { dueAt: next, leaseToken: null, leaseUntil: null },
  });
  if (moved.count !== 1) throw new LeaseLostError(slot.bindingId);
}

/** Gives a slot back without checking (the key is gone, or the check failed): due again at `retryAt`. */
export async function releaseSlot(client: Db, slot: ClaimedSlot, retryAt: Date | null): Promise<void> {
  if (retryAt === null) {
    await client.keyWatchSlot.deleteMany({ where: { bindingId: slot.bindingId, leaseToken: slot.leaseToken } });
    return;
  }
  await client.keyWatchSlot.updateMany({ where: { bindingId: slot.bindingId, leaseToken: slot.leaseToken }, data: { dueAt: retryAt, leaseToken: null, leaseUntil: null } });
}
