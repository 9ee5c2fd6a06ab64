import type { PacedOutcome, PacedRequest } from "../types";
import type { PacerStats, SignalAwarePacer } from "./types";

// Two pacers a request passes in turn: for Bybit, the cooldown its rate-limit answers and
// headers impose (cooldown-pacer.ts), then its per-IP request count shared by every process (a
// WeightPacer counting requests, with the ledger). Both see every answer.

export class ChainedPacer implements SignalAwarePacer {
  constructor(
    private readonly first: SignalAwarePacer,
    private readonly second: SignalAwarePacer,
  ) {}

  async beforeRequest(request: PacedRequest, signal?: AbortSignal): Promise<void> {
    await this.first.beforeRequest(request, signal);
    await this.second.beforeRequest(request, signal);
    // the count's wait may have been long: a cooldown that began meanwhile still holds
    await this.first.waitWhileBlocked?.(signal);
  }

  afterResponse(request: PacedRequest, outcome: PacedOutcome): void {
    this.first.afterResponse(request, outcome);
    this.second.afterResponse(request, outcome);
  }

  declareLimit(request: PacedRequest, limit: number): void {
    this.second.declareLimit?.(request, limit);
  }

  async waitWhileBlocked(signal?: AbortSignal): Promise<void> {
    await this.first.waitWhileBlocked?.(signal);
    await this.second.waitWhileBlocked?.(signal);
  }

  /** The requests as the count let them through, with both pacers' waits and rate-limit answers. */
  get stats(): PacerStats {
    const a = this.first.stats;
    const b = this.second.stats;
    return { requests: b.requests, weight: b.weight, waits: a.waits + b.waits, waitedMs: a.waitedMs + b.waitedMs, rateLimited: a.rateLimited, banned: a.banned + b.banned };
  }
}
