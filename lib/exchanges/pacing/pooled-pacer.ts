import type { PacedOutcome, PacedRequest } from "../types";
import type { PacerStats, SignalAwarePacer } from "./types";

// One pacer per budget the exchange keeps (Binance counts /api+/sapi, /fapi and /dapi IP weight
// and its UID-weighted endpoints separately), behind one RequestPacer: each request waits only
// for its own pool, so an export can keep every pool busy at once. One exception: Binance's
// UID-weighted endpoints (convert) are /sapi paths, so while the IP's /api+/sapi counter
// answers 429 or 418, a request to them earns a ban like any other /sapi request: they also
// wait while the main pool is held back (found by the full-account benchmark and the pacing
// test, where a convert page sent 75 ms after a 429 turned it into a ban).

export class PooledPacer implements SignalAwarePacer {
  constructor(
    private readonly main: SignalAwarePacer,
    private readonly pools: Readonly<Record<string, SignalAwarePacer>>,
    /** Pools whose requests the main pool's 429 and 418 also stop. */
    private readonly heldWithMain: readonly string[] = ["uid"],
  ) {}

  /** The pacer of a pool (the main one for requests without a pool, or an unknown one). */
  pacerOf(pool: string | undefined): SignalAwarePacer {
    return (pool !== undefined && Object.hasOwn(this.pools, pool) ? this.pools[pool] : undefined) ?? this.main;
  }

  async beforeRequest(request: PacedRequest, signal?: AbortSignal): Promise<void> {
    const pacer = this.pacerOf(request.pool);
    await pacer.beforeRequest(request, signal);
    // after its own pool's wait, which may have been long: the main pool's state at sending time
    if (pacer !== this.main && request.pool !== undefined && this.heldWithMain.includes(request.pool)) await this.main.waitWhileBlocked?.(signal);
  }

  afterResponse(request: PacedRequest, outcome: PacedOutcome): void {
    this.pacerOf(request.pool).afterResponse(request, outcome);
  }

  declareLimit(request: PacedRequest, limit: number): void {
    this.pacerOf(request.pool).declareLimit?.(request, limit);
  }

  /** Every pool's figures added up. */
  get stats(): PacerStats {
    const all = [this.main, ...Object.values(this.pools)].map((p) => p.stats);
    const sum = (key: keyof PacerStats) => all.reduce((total, s) => total + s[key], 0);
    return { requests: sum("requests"), weight: sum("weight"), waits: sum("waits"), waitedMs: sum("waitedMs"), rateLimited: sum("rateLimited"), banned: sum("banned") };
  }
}
