import type { PacedOutcome, PacedRequest } from "../types";
import type { PacerStats, SignalAwarePacer } from "./types";

// One pacer per budget the exchange keeps (Binance counts /api+/sapi, /fapi and /dapi IP weight
// and its UID-weighted endpoints separately), behind one RequestPacer: each request waits only
// for its own pool, so an export can keep every pool busy at once.

export class PooledPacer implements SignalAwarePacer {
  constructor(
    private readonly main: SignalAwarePacer,
    private readonly pools: Readonly<Record<string, SignalAwarePacer>>,
  ) {}

  /** The pacer of a pool (the main one for requests without a pool, or an unknown one). */
  pacerOf(pool: string | undefined): SignalAwarePacer {
    return (pool !== undefined && Object.hasOwn(this.pools, pool) ? this.pools[pool] : undefined) ?? this.main;
  }

  beforeRequest(request: PacedRequest, signal?: AbortSignal): Promise<void> {
    return this.pacerOf(request.pool).beforeRequest(request, signal);
  }

  afterResponse(request: PacedRequest, outcome: PacedOutcome): void {
    this.pacerOf(request.pool).afterResponse(request, outcome);
  }

  /** Every pool's figures added up. */
  get stats(): PacerStats {
    const all = [this.main, ...Object.values(this.pools)].map((p) => p.stats);
    const sum = (key: keyof PacerStats) => all.reduce((total, s) => total + s[key], 0);
    return { requests: sum("requests"), weight: sum("weight"), waits: sum("waits"), waitedMs: sum("waitedMs"), rateLimited: sum("rateLimited"), banned: sum("banned") };
  }
}
