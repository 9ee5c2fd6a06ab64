import { PooledPacer } from "@/lib/exchanges/pacing/pooled-pacer";
import { WeightPacer } from "@/lib/exchanges/pacing/weight-pacer";

// For tests about completeness, not pacing (the pacing tests and the benchmarks measure that):
// the simulator's Binance limits, every pool of them, far away, and a pacer per pool, as in
// production, that knows it.

const FAR = 100_000_000;

export const FAR_BINANCE_LIMITS = {
  weightLimitPerMinute: FAR,
  fapiWeightLimitPerMinute: FAR,
  dapiWeightLimitPerMinute: FAR,
  eapiWeightLimitPerMinute: FAR,
  uidWeightLimitPerMinute: FAR,
};

export function farPacer(): PooledPacer {
  const pool = () => new WeightPacer({ limit: FAR });
  return new PooledPacer(pool(), { fapi: pool(), dapi: pool(), uid: new WeightPacer({ limit: FAR, usedWeightHeader: "x-sapi-used-uid-weight-1m" }) });
}
