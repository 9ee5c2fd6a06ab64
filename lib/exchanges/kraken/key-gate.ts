import "server-only";
import { createHash } from "node:crypto";
import type { Exchange } from "ccxt";
import { isExchangeAdapterError } from "../errors";
import { sleep } from "../pacing/sleep";
import type { RequestPacer } from "../types";

// Kraken's two per-key rules, kept for every private call this process makes with a key:
//
// The nonce. Kraken refuses a nonce that is not above the last one the key used (EAPI:Invalid
// nonce; a key's "nonce window" setting relaxes this, but MyITS cannot count on it). ccxt's
// kraken class signs each request with the clock in milliseconds, per instance: two calls in the
// same millisecond repeat a nonce, and two instances on one key (a live check while an export
// runs) race, the later nonce arriving first and the earlier one refused. So every private call
// on a key waits for the previous one to finish (one in flight per key), and its nonce comes
// from the key's own counter here, above both the clock and the last nonce handed out; ccxt
// calls `nonce()` while signing, inside that turn. Another process using the same key can still
// interleave: a refused nonce is therefore asked again once, with a fresh one (the calls are
// reads, so repeating one changes nothing).
//
// The rate-limit counter. Kraken raises a per-key counter by each private call's cost (1; 2 for
// the history calls) and lets it decay with time (Starter accounts: 15 at most, 0.33 a second;
// Intermediate 20 and 0.5; Pro 20 and 1). MyITS does not know the account's tier, so it assumes
// Starter's, the strictest, and waits before a call until the counter has room. A refusal
// (EAPI:Rate limit exceeded) means someone else spent the key's budget: the counter is taken as
// full. https://docs.kraken.com/api/docs/guides/spot-rest-ratelimits

export interface KrakenCounterLimit {
  max: number;
  decayPerSecond: number;
}

/** Kraken's strictest tier. */
export const STARTER_LIMIT: KrakenCounterLimit = { max: 15, decayPerSecond: 0.33 };

export const INVALID_NONCE = "EAPI:Invalid nonce";
export const RATE_LIMITED = "EAPI:Rate limit exceeded";

export class KeyGate {
  private tail: Promise<unknown> = Promise.resolve();
  private lastNonce = 0;
  private level = 0;
  private at = 0;

  /** Strictly increasing, and never behind the clock (Kraken's advice: Unix time in ms). */
  nextNonce(now: number): number {
    this.lastNonce = Math.max(now, this.lastNonce + 1);
    return this.lastNonce;
  }

  /** Runs `fn` after every call queued before it has finished. */
  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn, fn);
    this.tail = result.catch(() => undefined);
    return result;
  }

  private decayed(limit: KrakenCounterLimit, now: number): number {
    return Math.max(0, this.level - (Math.max(0, now - this.at) / 1000) * limit.decayPerSecond);
  }

  /** How long a call of `cost` must wait for the counter to have room. */
  waitMs(cost: number, limit: KrakenCounterLimit, now: number): number {
    const over = this.decayed(limit, now) + cost - limit.max;
    return over <= 0 ? 0 : Math.ceil((over / limit.decayPerSecond) * 1000);
  }

  spend(cost: number, limit: KrakenCounterLimit, now: number): void {
    this.level = this.decayed(limit, now) + cost;
    this.at = now;
  }

  /**
   * The call came back: from Kraken's side it may have been counted as late as now, so the
   * decay since the reservation is not counted (the model stays at or above Kraken's counter).
   */
  hold(now: number): void {
    this.at = Math.max(this.at, now);
  }

  /** Kraken said the counter is full. */
  fill(limit: KrakenCounterLimit, now: number): void {
    this.level = limit.max;
    this.at = now;
  }
}

const globalForGates = globalThis as unknown as { myitsKrakenGates?: Map<string, KeyGate> };

/** The process's gate of one key, found by the key's hash (the key itself is not kept). */
export function gateOf(apiKey: string): KeyGate {
  const gates = (globalForGates.myitsKrakenGates ??= new Map());
  const id = createHash("sha256").update(apiKey).digest("hex");
  let gate = gates.get(id);
  if (!gate) gates.set(id, (gate = new KeyGate()));
  return gate;
}

export interface PrivateCallOptions {
  exchange: Exchange;
  apiKey: string;
  /** What the call adds to Kraken's counter. */
  cost: number;
  /** Null: no counter kept (the caller paces otherwise, e.g. a test against the simulator). */
  limit: KrakenCounterLimit | null;
  now?: () => number;
}

/** One private call on a key, in the key's turn, with the key's nonce and counter. */
export function privateCall<T>({ exchange, apiKey, cost, limit, now = Date.now }: PrivateCallOptions, call: () => Promise<T>): Promise<T> {
  const gate = gateOf(apiKey);
  exchange.nonce = () => gate.nextNonce(now());
  return gate.run(async () => {
    for (let attempt = 0; ; attempt++) {
      if (limit) {
        const wait = gate.waitMs(cost, limit, now());
        if (wait > 0) await sleep(wait);
        gate.spend(cost, limit, now());
      }
      try {
        return await call();
      } catch (error) {
        const code = isExchangeAdapterError(error) ? error.classified.code : undefined;
        if (code === RATE_LIMITED && limit) gate.fill(limit, now());
        if (code === INVALID_NONCE && attempt === 0) continue;
        throw error;
      } finally {
        gate.hold(now());
      }
    }
  });
}

/**
 * Kraken sends no Retry-After: after its rate-limit refusal, the pacer waits as long as the
 * counter takes to make room for a history call (cost 2).
 */
export function withKrakenRetry(pacer: RequestPacer | undefined, limit: KrakenCounterLimit = STARTER_LIMIT): RequestPacer | undefined {
  if (!pacer) return undefined;
  return {
    beforeRequest: (...args: Parameters<RequestPacer["beforeRequest"]>) => pacer.beforeRequest(...args),
    afterResponse(request, outcome) {
      const error = outcome.error;
      if (error?.reason === "rate_limited" && error.retryAfterMs === undefined) {
        pacer.afterResponse(request, { ...outcome, error: { ...error, retryAfterMs: Math.ceil((2 / limit.decayPerSecond) * 1000) } });
        return;
      }
      pacer.afterResponse(request, outcome);
    },
  };
}
