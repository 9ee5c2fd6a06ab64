import type { ExportCapabilities, PacedRequest, RequestPacer } from "../types";
import { CooldownPacer } from "./cooldown-pacer";
import type { SignalAwarePacer } from "./types";
import { PooledPacer } from "./pooled-pacer";
import { WeightPacer } from "./weight-pacer";

// One pacer per exchange and origin in a process: every export (and every worker slot) that
// talks to the same exchange from this machine shares its limits, as the exchange does. Across
// processes the exchange's own counters (X-MBX-USED-WEIGHT-1M) keep them in step. Kept on
// globalThis so a development reload does not start a second, unaware pacer.

type Env = Record<string, string | undefined>;

const globalForPacers = globalThis as unknown as { myitsPacers?: Map<string, SignalAwarePacer> };

function originOf(exchangeId: string, env: Env): string {
  const suffix = exchangeId.toUpperCase().replace(/[^A-Z0-9]/g, "_");
  return env[`EXCHANGE_ORIGIN_${suffix}`]?.trim() || "default";
}

/**
 * A new pacer of the kind the adapter asks for (ExportCapabilities.pacing). "weight" is
 * Binance's: IP weight per minute for /api+/sapi (6000), /fapi and /dapi (2400 each), and the
 * UID weight of endpoints Binance counts per account (180000), each paced on its own.
 */
export function createPacer(kind: ExportCapabilities["pacing"]): SignalAwarePacer {
  if (kind !== "weight") return new CooldownPacer();
  return new PooledPacer(new WeightPacer(), {
    fapi: new WeightPacer({ limit: 2400 }),
    dapi: new WeightPacer({ limit: 2400 }),
    uid: new WeightPacer({ limit: 180_000, usedWeightHeader: "x-sapi-used-uid-weight-1m" }),
  });
}

/** The process-wide pacer for an exchange and the origin its requests go to. */
export function sharedPacer(exchangeId: string, kind: ExportCapabilities["pacing"], env: Env = process.env): SignalAwarePacer {
  const pacers = (globalForPacers.myitsPacers ??= new Map());
  const key = `${exchangeId}|${originOf(exchangeId, env)}`;
  let pacer = pacers.get(key);
  if (!pacer) {
    pacer = createPacer(kind);
    pacers.set(key, pacer);
  }
  return pacer;
}

/** The pacer as the adapter sees it, with waits that end when `signal` aborts. */
export function bindSignal(pacer: SignalAwarePacer | RequestPacer, signal: AbortSignal | undefined): RequestPacer {
  if (!signal) return pacer;
  return {
    beforeRequest: (request: PacedRequest) => (pacer as SignalAwarePacer).beforeRequest(request, signal),
    afterResponse: (request, outcome) => pacer.afterResponse(request, outcome),
  };
}
