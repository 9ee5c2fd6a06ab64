import type { Sleep } from "../pacing/sleep";
import { WeightPacer } from "../pacing/weight-pacer";
import type { PacedOutcome, PacedRequest, RequestPacer } from "../types";

// Bitget limits each endpoint by requests per second, per account (UID) for private endpoints
// and per IP for public ones (each endpoint's page states it: 1/s for spot/account/info, 10/s
// for spot/trade/fills and mix/order/fill-history, 20/s for spot/public/symbols), and answers
// 429 past it without saying when to come back. The shared pacer (a cooldown pacer) backs off
// after a 429; in front of it, one fixed-window pacer per endpoint keeps an export of one key
// under the endpoint's figure, so it never earns the 429 in the first place.
// https://www.bitget.com/api-doc/common/rate-limit

export const BITGET_PER_SECOND: Readonly<Record<string, number>> = {
  "spot/account/info": 1,
  "spot/trade/fills": 10,
  "mix/order/fill-history": 10,
  "spot/public/symbols": 20,
};

/** The shared pacer, with Bitget's per-endpoint limits in front (undefined stays undefined: nothing paces). */
export function withBitgetLimits(pacer: RequestPacer | undefined, clock: { now?: () => number; sleep?: Sleep } = {}): RequestPacer | undefined {
  if (!pacer) return undefined;
  const pools = new Map<string, WeightPacer>();
  const poolOf = (request: PacedRequest): WeightPacer | undefined => {
    const limit = BITGET_PER_SECOND[request.endpoint];
    if (limit === undefined) return undefined;
    let pool = pools.get(request.endpoint);
    // One request of the figure held back: a request sent at the end of one second can arrive
    // in the next, where Bitget counts it (fills: 9 a second, account/info still 1).
    if (!pool) pools.set(request.endpoint, (pool = new WeightPacer({ limit, windowMs: 1000, reserveFraction: 0.1, ...clock })));
    return pool;
  };
  return {
    async beforeRequest(request: PacedRequest) {
      await pacer.beforeRequest(request);
      await poolOf(request)?.beforeRequest(request);
    },
    afterResponse(request: PacedRequest, outcome: PacedOutcome) {
      poolOf(request)?.afterResponse(request, outcome);
      pacer.afterResponse(request, outcome);
    },
    declareLimit: (request, limit) => pacer.declareLimit?.(request, limit),
  };
}
