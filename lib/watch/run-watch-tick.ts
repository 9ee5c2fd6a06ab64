import "server-only";
import { deliverPendingAlerts } from "@/lib/alerts/deliver-alert";
import type { Db } from "@/lib/db";
import { isAppError } from "@/lib/errors";
import type { AdapterContext } from "@/lib/exchanges/types";
import { checkKeyLive } from "@/lib/keys/live-facts";
import { claimDueSlot, completeSlot, LeaseLostError, nextDue, planSlots, releaseSlot, type ClaimedSlot } from "./key-watch-slots";

// One tick of the key watch (a pg-boss job, every minute): give new keys their slot, send
// alerts whose delivery was cut off, then check every due key through the live-facts path
// (its per-exchange pacer, its KeyCheck row and alerts), a few at a time, until nothing is due
// or the tick's time is up (the next tick goes on). See key-watch-slots.ts for why a killed
// worker skips no key and checks none twice.

export interface WatchTickOptions {
  periodMs: number;
  /** How long a claimed key is ours: longer than one check can take (its deadline, SCHEDULED_CHECK_TIMEOUT_MS by default). */
  leaseMs?: number;
  /** Checks running at once (different exchanges' pacers proceed in parallel). Default 4. */
  concurrency?: number;
  /** Stop claiming after this long. Default 50 s (ticks come every minute). */
  budgetMs?: number;
  signal?: AbortSignal;
  context?: AdapterContext;
  timeoutMs?: number;
}

export interface WatchTickReport {
  planned: number;
  checked: number;
  failed: number;
}

export const DEFAULT_LEASE_MS = 2 * 60_000;
/** Nobody waits on a scheduled check: it may wait longer for the exchange than a page does. */
export const SCHEDULED_CHECK_TIMEOUT_MS = 15_000;

/** An unreachable exchange is asked again sooner than a period later, but at most hourly. */
function retryAfterUnreachable(periodMs: number): number {
  return Math.min(periodMs / 4, 3_600_000);
}

export async function runWatchTick(client: Db, options: WatchTickOptions): Promise<WatchTickReport> {
  const { periodMs } = options;
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const deadline = Date.now() + (options.budgetMs ?? 50_000);
  const report: WatchTickReport = { planned: await planSlots(client, periodMs), checked: 0, failed: 0 };
  await deliverPendingAlerts(client);

  const checkOne = async (slot: ClaimedSlot) => {
    try {
      await checkKeyLive(client, slot.userId, slot.bindingId, {
        force: true,
        source: "scheduled",
        deliverAlerts: true,
        // nobody waits on a scheduled check: a user's live check goes first (lib/exchanges/pacing)
        context: { ...options.context, priority: "background" },
        timeoutMs: options.timeoutMs ?? SCHEDULED_CHECK_TIMEOUT_MS,
        inTransaction: async (tx, answer) => {
          const now = new Date();
          const next = answer.status === "unreachable" ? new Date(now.getTime() + retryAfterUnreachable(periodMs)) : nextDue(slot.dueAt, periodMs, now);
          await completeSlot(tx, slot, next);
        },
      });
      report.checked++;
    } catch (error) {
      if (error instanceof LeaseLostError) return;
      report.failed++;
      // An unbound key has no slot any more; anything else is tried again later, not in a hot loop.
      const gone = isAppError(error) && error.code === "NOT_FOUND";
      await releaseSlot(client, slot, gone ? null : new Date(Date.now() + retryAfterUnreachable(periodMs)));
      if (!gone) console.error("[watch] key check failed:", error instanceof Error ? error.name : "unknown");
    }
  };

  const lane = async () => {
    while (!options.signal?.aborted && Date.now() < deadline) {
      const slot = await claimDueSlot(client, leaseMs);
      if (!slot) return;
      await checkOne(slot);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 4) }, lane));
  return report;
}
