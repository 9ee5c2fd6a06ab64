import type { RequestPacer } from "../types";

/** A RequestPacer whose waits a shutdown can cut short (see bindSignal in shared.ts). */
export interface SignalAwarePacer extends RequestPacer {
  beforeRequest(request: Parameters<RequestPacer["beforeRequest"]>[0], signal?: AbortSignal): Promise<void>;
  readonly stats: PacerStats;
  /** Resolves once no rate-limit answer holds this pacer's requests back (pacers that keep such a state). */
  waitWhileBlocked?(signal?: AbortSignal): Promise<void>;
}

/** What a pacer did, for benchmarks and logs. */
export interface PacerStats {
  requests: number;
  /** Weight let through (the pacer's own figures, not the exchange's). */
  weight: number;
  waits: number;
  waitedMs: number;
  /** 429s seen, and bans (418). */
  rateLimited: number;
  banned: number;
}
