// How long to wait before trying a failed exchange request again: exponential with "full
// jitter" (a random point between half and all of the step), so workers that failed together
// do not come back together; never shorter than what the exchange asked for (Retry-After).

export interface BackoffPolicy {
  /** Attempts in a row (the first try included) before the run gives up as retryable. */
  attempts: number;
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { attempts: 4, baseMs: 500, maxMs: 15_000 };

/**
 * Delay before retry number `retry` (1 = the first retry). `random` in [0, 1).
 * Pure: base * 2^(retry-1), capped, scaled into [50%, 100%], at least `retryAfterMs`.
 */
export function backoffDelay(retry: number, policy: Pick<BackoffPolicy, "baseMs" | "maxMs">, random = Math.random(), retryAfterMs?: number): number {
  const step = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, retry - 1));
  const jittered = Math.round(step / 2 + (step / 2) * Math.min(Math.max(random, 0), 1));
  return Math.max(jittered, retryAfterMs ?? 0);
}
