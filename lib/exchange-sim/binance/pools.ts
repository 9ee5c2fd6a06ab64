// Binance counts request weight in separate pools: /api and /sapi share the spot IP limit
// (6000/min; Binance's SAPI IP limit is separate on the real exchange, the simulator keeps them
// together as before), /fapi and /dapi each have their own IP limit (2400/min), and a few SAPI
// endpoints (convert tradeFlow) are weighted per account UID (180000/min) instead of per IP.

import type { SimWeightPool } from "../types";
import { WeightLimiter } from "./weight";

export type BinancePool = "spot" | "fapi" | "dapi" | "eapi" | "uid";

export const BINANCE_POOLS: readonly BinancePool[] = ["spot", "fapi", "dapi", "eapi", "uid"];

export interface PoolLimits {
  weightLimitPerMinute?: number;
  windowMs?: number;
  fapiWeightLimitPerMinute?: number;
  dapiWeightLimitPerMinute?: number;
  eapiWeightLimitPerMinute?: number;
  uidWeightLimitPerMinute?: number;
}

export class BinancePools {
  readonly limiters: Record<BinancePool, WeightLimiter>;

  constructor(o: PoolLimits = {}, spot?: WeightLimiter) {
    const windowMs = o.windowMs ?? 60_000;
    this.limiters = {
      spot: spot ?? new WeightLimiter(o.weightLimitPerMinute ?? 6000, windowMs),
      fapi: new WeightLimiter(o.fapiWeightLimitPerMinute ?? 2400, windowMs),
      dapi: new WeightLimiter(o.dapiWeightLimitPerMinute ?? 2400, windowMs),
      eapi: new WeightLimiter(o.eapiWeightLimitPerMinute ?? 2400, windowMs),
      uid: new WeightLimiter(o.uidWeightLimitPerMinute ?? 180_000, windowMs),
    };
  }

  /** The IP pool a path counts in. */
  static ipPoolOf(path: string): Exclude<BinancePool, "uid"> {
    if (path.startsWith("/fapi/")) return "fapi";
    if (path.startsWith("/dapi/")) return "dapi";
    if (path.startsWith("/eapi/")) return "eapi";
    return "spot";
  }

  stats(now: number): Record<BinancePool, SimWeightPool> {
    const one = (l: WeightLimiter): SimWeightPool => ({ usedWeight: l.usedWeight(now), rateLimited429: l.rateLimited429, banned418: l.banned418, windowPeaks: l.windowPeaks() });
    return { spot: one(this.limiters.spot), fapi: one(this.limiters.fapi), dapi: one(this.limiters.dapi), eapi: one(this.limiters.eapi), uid: one(this.limiters.uid) };
  }

  reset(): void {
    for (const l of Object.values(this.limiters)) l.reset();
  }

  resetCounters(): void {
    for (const l of Object.values(this.limiters)) l.resetCounters();
  }
}
