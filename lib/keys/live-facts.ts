import "server-only";
import { recordEvent } from "@/lib/audit/record-event";
import type { Db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { getPacedAdapter } from "@/lib/exchanges/registry";
import type { AdapterContext, KeyDescription, RevocationStatus } from "@/lib/exchanges/types";
import { snapshotOf } from "./bind-key";
import { loadCredentials } from "./credentials";
import { explainProblem } from "./explain";

// What the exchange says about a bound key right now. Checks run with a hard time limit so a
// slow exchange never holds up a page, are cached briefly so that reloading the dashboard does
// not hammer the exchanges, and are shared while in flight. Once an answer is older than the
// cache's time, it is still shown for a few minutes while one fresh check runs behind it
// (stale-while-revalidate): a user who keeps the page open never waits for the exchange, and
// under load a check that fails (say, no database connection in time) is retried after a pause
// instead of by every request (docs/benchmarks.md, part d). Forgetting an answer
// (forgetLiveFacts, a re-check the user asked for) makes the next check wait for the exchange. A valid answer refreshes the stored
// snapshot (permissions, IP restriction, dates); a change of status is audited. Every request
// goes through the exchange's shared pacer (getPacedAdapter), as exports do.
//
// The cache and the in-flight checks are per user and binding: the ownership check happens in
// the check itself, so an entry keyed by binding alone would hand one user's facts (and the
// existence of the key) to anyone who sends its id.

export const LIVE_FACTS_TTL_MS = 60_000;
/** How long past LIVE_FACTS_TTL_MS an answer is still shown while a fresh check runs behind it. */
export const LIVE_FACTS_STALE_MS = 5 * 60_000;
/** After a failed check behind a stale answer, the next one waits this long. */
export const LIVE_REFRESH_RETRY_MS = 10_000;
export const LIVE_CHECK_TIMEOUT_MS = 5_000;

export interface LiveFacts {
  status: RevocationStatus;
  /** Why it is not "valid", in words for the user; null when valid. */
  explanation: string | null;
  checkedAt: Date;
  fromCache: boolean;
}

const cache = new Map<string, { facts: LiveFacts; expires: number; retryAt?: number }>();
const inFlight = new Map<string, Promise<LiveFacts>>();

export interface CheckOptions {
  force?: boolean;
  timeoutMs?: number;
  context?: AdapterContext;
}

const entryKey = (userId: string, bindingId: string) => `${userId}\u0000${bindingId}`;

/** Forgets what was cached for this user about the binding (the next check asks the exchange). */
export function forgetLiveFacts(userId: string, bindingId: string): void {
  cache.delete(entryKey(userId, bindingId));
}

export async function checkKeyLive(client: Db, userId: string, bindingId: string, options: CheckOptions = {}): Promise<LiveFacts> {
  const key = entryKey(userId, bindingId);
  const cached = cache.get(key);
  const now = Date.now();
  if (!options.force && cached && cached.expires > now) return { ...cached.facts, fromCache: true };
  if (!options.force && cached && cached.expires + LIVE_FACTS_STALE_MS > now) {
    if (!inFlight.has(key) && (cached.retryAt ?? 0) <= now) {
      start(client, userId, bindingId, options).catch((error: unknown) => {
        cached.retryAt = Date.now() + LIVE_REFRESH_RETRY_MS;
        console.error("live key check failed", bindingId, error instanceof Error ? error.name : "unknown");
      });
    }
    return { ...cached.facts, fromCache: true };
  }
  return inFlight.get(key) ?? start(client, userId, bindingId, options);
}

function start(client: Db, userId: string, bindingId: string, options: CheckOptions): Promise<LiveFacts> {
  const key = entryKey(userId, bindingId);
  const check = runCheck(client, userId, bindingId, options).finally(() => inFlight.delete(key));
  inFlight.set(key, check);
  return check;
}

async function runCheck(client: Db, userId: string, bindingId: string, options: CheckOptions): Promise<LiveFacts> {
  const binding = await client.exchangeBinding.findFirst({
    where: { id: bindingId, userId, status: { not: "UNBOUND" } },
    select: { id: true, exchange: true, status: true },
  });
  if (!binding) throw new AppError("NOT_FOUND", "No such key.");
  const timeoutMs = options.timeoutMs ?? LIVE_CHECK_TIMEOUT_MS;
  const adapter = getPacedAdapter(binding.exchange, { timeoutMs, ...options.context });
  const credentials = await loadCredentials(client, userId, bindingId);
  const description = await withDeadline(adapter.describeKey(credentials), timeoutMs + 1_000);
  const now = new Date();

  const newStatus = description.status === "valid" ? "ACTIVE" : description.status === "revoked" ? "REVOKED" : binding.status;
  await client.$transaction(async (tx) => {
    await tx.exchangeBinding.update({
      where: { id: bindingId },
      data: description.status === "valid" ? snapshotOf(description, now) : { status: newStatus, ...(description.status === "revoked" ? { lastVerifiedAt: now } : {}) },
    });
    if (newStatus !== binding.status) {
      await recordEvent(tx, { userId, type: "key.verified", bindingId, data: { from: binding.status, to: newStatus, exchange: binding.exchange } });
    }
  });

  const facts: LiveFacts = {
    status: description.status,
    explanation: description.status === "valid" ? null : explainProblem(description.reason, "code" in description ? description.code : undefined),
    checkedAt: now,
    fromCache: false,
  };
  cache.set(entryKey(userId, bindingId), { facts, expires: Date.now() + LIVE_FACTS_TTL_MS });
  return facts;
}

function withDeadline(check: Promise<KeyDescription>, ms: number): Promise<KeyDescription> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<KeyDescription>((resolve) => {
    timer = setTimeout(() => resolve({ status: "unreachable", reason: "timeout", message: `no answer within ${ms} ms` }), ms);
  });
  return Promise.race([check, deadline]).finally(() => clearTimeout(timer));
}
