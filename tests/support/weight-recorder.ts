import type { PacedOutcome, PacedRequest, RequestPacer } from "@/lib/exchanges/types";

/**
 * Wraps a pacer to record, per server window of `windowMs`, the highest used weight the
 * exchange reported (X-MBX-USED-WEIGHT-1M) for one weight pool (default Binance's spot pool:
 * /api and /sapi; "fapi", "dapi" for the futures pools): what a test or benchmark checks the
 * pacer against.
 */
export function recordingUsedWeight(pacer: RequestPacer, windowMs: number, pool = "spot") {
  const maxPerWindow = new Map<number, number>();
  const wrapped: RequestPacer = {
    beforeRequest: (request: PacedRequest) => pacer.beforeRequest(request),
    afterResponse(request: PacedRequest, outcome: PacedOutcome) {
      const used = Number(outcome.headers["x-mbx-used-weight-1m"]);
      const window = Math.floor(Date.now() / windowMs);
      const inPool = (request.pool ?? "spot") === pool;
      if (inPool && !outcome.error && Number.isFinite(used)) maxPerWindow.set(window, Math.max(maxPerWindow.get(window) ?? 0, used));
      pacer.afterResponse(request, outcome);
    },
    declareLimit: (request: PacedRequest, limit: number) => pacer.declareLimit?.(request, limit),
  };
  return { pacer: wrapped, maxPerWindow };
}
