import "server-only";
import type { Db, Tx } from "@/lib/db";

// Five failed sign-ins for one email within fifteen minutes lock that email out until the
// oldest of those failures is fifteen minutes old. Attempts made while locked are recorded
// but do not count, so an attacker cannot keep a victim locked out forever by hammering.

export const LOCKOUT_MAX_FAILURES = 5;
export const LOCKOUT_WINDOW_MS = 15 * 60 * 1000;

/** Reasons that count towards a lockout. */
export const countedFailureReasons = ["bad_password", "bad_totp", "unknown_email"] as const;
export type FailureReason = (typeof countedFailureReasons)[number] | "locked_out";

export interface LockoutState {
  locked: boolean;
  failures: number;
  until: Date | null;
}

/** Pure rule: `failures` are the counted failure times since the last success, newest first. */
export function evaluateLockout(failures: Date[], now: Date): LockoutState {
  const windowStart = now.getTime() - LOCKOUT_WINDOW_MS;
  const recent = failures.filter((at) => at.getTime() > windowStart && at.getTime() <= now.getTime());
  if (recent.length < LOCKOUT_MAX_FAILURES) return { locked: false, failures: recent.length, until: null };
  const oldestCounted = recent[LOCKOUT_MAX_FAILURES - 1]!;
  return { locked: true, failures: recent.length, until: new Date(oldestCounted.getTime() + LOCKOUT_WINDOW_MS) };
}

export async function lockoutState(client: Db | Tx, email: string, now: Date): Promise<LockoutState> {
  const since = new Date(now.getTime() - LOCKOUT_WINDOW_MS);
  const lastSuccess = await client.loginAttempt.findFirst({
    where: { email, succeeded: true, createdAt: { gt: since } },
    orderBy: { createdAt: "desc" },
    select: { createdAt: true },
  });
  const failures = await client.loginAttempt.findMany({
    where: {
      email,
      succeeded: false,
      reason: { in: [...countedFailureReasons] },
      createdAt: { gt: lastSuccess?.createdAt ?? since, lte: now },
    },
    orderBy: { createdAt: "desc" },
    take: LOCKOUT_MAX_FAILURES,
    select: { createdAt: true },
  });
  return evaluateLockout(failures.map((f) => f.createdAt), now);
}
