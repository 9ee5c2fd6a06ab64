import "server-only";
import type { Db, Tx } from "@/lib/db";
import { AppError } from "@/lib/errors";

// Failed sign-ins slow the client that makes them; they never lock the account's owner out.
//
// The rule, per (email, client): a client is the session for a re-authentication inside a live
// session, else the IP address. Each client gets five free failures; after the fifth it waits
// 30 s before its next attempt, and the wait doubles with each further failure up to 15
// minutes. A success from that client clears its count; a client's count is forgotten after a
// day without attempts. Attempts refused while waiting are recorded but do not count, so
// hammering does not lengthen the wait.
//
// Across clients, the email has a ceiling: once it collected 20 counted failures from anyone in
// 15 minutes, a client that never signed in successfully to it (in the last 90 days) may try at
// most once every 30 seconds. That slows a spread-out attack but never delays anyone beyond 30 s
// per attempt (plus their own backoff), and a client that signed in before, or a live session
// re-authenticating, is not slowed by it at all: someone else's failures cannot lock a victim
// out, only their own.
//
// Counting is exact under concurrency without locks held across the password check: each
// attempt first claims its place with one compare-and-set on the (email, client) row of
// SignInBackoff, counting as a failure until it turns out otherwise.

export const FREE_FAILURES = 5;
export const BACKOFF_BASE_MS = 30_000;
export const BACKOFF_MAX_MS = 15 * 60_000;
export const FAILURE_MEMORY_MS = 24 * 60 * 60_000;
export const EMAIL_CEILING_FAILURES = 20;
export const EMAIL_CEILING_WINDOW_MS = 15 * 60_000;
export const EMAIL_CEILING_SPACING_MS = 30_000;
export const KNOWN_CLIENT_MS = 90 * 24 * 60 * 60_000;

/** Reasons that count towards the backoff. */
export const countedFailureReasons = ["bad_password", "bad_totp", "unknown_email"] as const;
export type FailureReason = (typeof countedFailureReasons)[number] | "locked_out";

/** The wait before the next attempt of a client with `failures` uncleared failures. */
export function backoffDelayMs(failures: number): number {
  if (failures < FREE_FAILURES) return 0;
  return Math.min(BACKOFF_BASE_MS * 2 ** (failures - FREE_FAILURES), BACKOFF_MAX_MS);
}

export interface ClientRecord {
  /** Failures (and attempts still in progress) since this client's last success. */
  failures: number;
  lastAttemptAt: Date;
}

export interface AttemptFacts {
  client: ClientRecord | null;
  /** The client signed in to this email successfully before, or is a live session of it. */
  knownClient: boolean;
  /** Counted failures for the email from every client within EMAIL_CEILING_WINDOW_MS. */
  emailFailures: number;
}

export type AttemptDecision =
  | { allowed: true; /** the client's failures once this attempt is counted */ failures: number }
  | { allowed: false; retryAt: Date; why: "client_backoff" | "email_ceiling" };

/** Pure rule: may this client try now? */
export function decideAttempt(facts: AttemptFacts, now: Date): AttemptDecision {
  const remembered = facts.client && now.getTime() - facts.client.lastAttemptAt.getTime() < FAILURE_MEMORY_MS ? facts.client : null;
  if (!remembered) return { allowed: true, failures: 1 };
  const last = remembered.lastAttemptAt.getTime();
  const backoffUntil = last + backoffDelayMs(remembered.failures);
  if (now.getTime() < backoffUntil) return { allowed: false, retryAt: new Date(backoffUntil), why: "client_backoff" };
  if (!facts.knownClient && facts.emailFailures >= EMAIL_CEILING_FAILURES && now.getTime() < last + EMAIL_CEILING_SPACING_MS) {
    return { allowed: false, retryAt: new Date(last + EMAIL_CEILING_SPACING_MS), why: "email_ceiling" };
  }
  return { allowed: true, failures: remembered.failures + 1 };
}

/** The client of a sign-in: its IP address (the only thing an anonymous request has). */
export function ipClient(ip: string | null): string {
  return `ip:${ip ?? "unknown"}`;
}

/** The client of a re-authentication: the live session itself. */
export function sessionClient(sessionId: string): string {
  return `session:${sessionId}`;
}

/** Whether this client signed in to this email successfully within KNOWN_CLIENT_MS. */
export async function isKnownClient(client: Db | Tx, email: string, clientKey: string, now: Date): Promise<boolean> {
  const success = await client.loginAttempt.findFirst({
    where: { email, client: clientKey, succeeded: true, createdAt: { gt: new Date(now.getTime() - KNOWN_CLIENT_MS), lte: now } },
    select: { id: true },
  });
  return success !== null;
}

async function emailFailures(client: Db, email: string, now: Date): Promise<number> {
  return client.loginAttempt.count({
    where: {
      email,
      succeeded: false,
      reason: { in: [...countedFailureReasons] },
      createdAt: { gt: new Date(now.getTime() - EMAIL_CEILING_WINDOW_MS), lte: now },
    },
  });
}

/**
 * Whether decideAttempt could refuse this client for the email's ceiling, i.e. whether the
 * email's failure count and the client's history are worth two more queries. Mostly not: a
 * client with no recent attempt, or one whose last attempt is 30 s old, is never held back by it.
 */
export function ceilingMayApply(record: ClientRecord | null, now: Date): boolean {
  if (!record) return false;
  const sinceLast = now.getTime() - record.lastAttemptAt.getTime();
  return sinceLast < FAILURE_MEMORY_MS && sinceLast < EMAIL_CEILING_SPACING_MS;
}

/**
 * Claims an attempt for (email, client): refused while the client must wait, else counted as a
 * failure until settleSuccess or releaseAttempt says otherwise. Short statements only, no
 * transaction: parallel claims race on one compare-and-set and each is counted exactly once.
 * `knownClient` is `true` for a live session, else asked only when the ceiling may apply.
 */
export async function claimAttempt(
  client: Db,
  email: string,
  clientKey: string,
  knownClient: true | (() => Promise<boolean>),
  now: Date,
): Promise<AttemptDecision> {
  if (now.getTime() - lastSweep >= SWEEP_EVERY_MS) {
    lastSweep = now.getTime();
    void forgetStaleClients(client, now).catch(() => {}); // housekeeping: never fails an attempt
  }
  for (let round = 0; round < 32; round++) {
    const row = await client.signInBackoff.findUnique({ where: { email_client: { email, client: clientKey } } });
    const facts: AttemptFacts = { client: row, knownClient: true, emailFailures: 0 };
    if (knownClient !== true && ceilingMayApply(row, now)) {
      [facts.knownClient, facts.emailFailures] = await Promise.all([knownClient(), emailFailures(client, email, now)]);
    }
    const decision = decideAttempt(facts, now);
    if (!decision.allowed) return decision;
    const won = row
      ? (await client.signInBackoff.updateMany({
          where: { email, client: clientKey, version: row.version },
          data: { failures: decision.failures, lastAttemptAt: now, version: { increment: 1 } },
        })).count === 1
      : (await client.signInBackoff.createMany({ data: [{ email, client: clientKey, failures: 1, lastAttemptAt: now }], skipDuplicates: true })).count === 1;
    if (won) return decision;
  }
  throw new AppError("BUSY", "Too many sign-in attempts at once. Try again in a few seconds.");
}

// Rows of clients that stopped trying (every guessed email leaves one) are deleted once they are
// forgotten anyway, at most every five minutes per process, by whichever attempt comes first.
const SWEEP_EVERY_MS = 5 * 60_000;
let lastSweep = 0;

/** Deletes the rows decideAttempt would ignore (no attempt for FAILURE_MEMORY_MS); returns how many. */
export async function forgetStaleClients(client: Db, now: Date): Promise<number> {
  const { count } = await client.signInBackoff.deleteMany({ where: { lastAttemptAt: { lte: new Date(now.getTime() - FAILURE_MEMORY_MS) } } });
  return count;
}

/** A success clears the client's count. */
export async function settleSuccess(client: Db | Tx, email: string, clientKey: string): Promise<void> {
  await client.signInBackoff.deleteMany({ where: { email, client: clientKey } });
}

/** An attempt that was neither a success nor a failure (the password was right, the code not given yet). */
export async function releaseAttempt(client: Db, email: string, clientKey: string): Promise<void> {
  await client.signInBackoff.updateMany({
    where: { email, client: clientKey, failures: { gt: 0 } },
    data: { failures: { decrement: 1 }, version: { increment: 1 } },
  });
}
