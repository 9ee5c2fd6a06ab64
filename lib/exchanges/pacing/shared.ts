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

function suffixOf(exchangeId: string): string {
  return exchangeId.toUpperCase().replace(/[^A-Z0-9]/g, "_");
}

function originOf(exchangeId: string, env: Env): string {
  return env[`EXCHANGE_ORIGIN_${suffixOf(exchangeId)}`]?.trim() || "default";
}

export interface WeightLimits {
  /** The main pool's weight per window (Binance /api + /sapi: 6000). */
  limit?: number;
  windowMs?: number;
}

/**
 * EXCHANGE_WEIGHT_LIMIT_<ID> and EXCHANGE_WEIGHT_WINDOW_MS_<ID>: the main pool's limit where it
 * is not the exchange's production one (a testnet, the simulator). A pacer that does not know
 * the limit learns it from the first 429, but requests already in flight then earn a ban.
 */
export function weightLimitsFrom(exchangeId: string, env: Env): WeightLimits {
  const read = (name: string): number | undefined => {
    const raw = env[`${name}_${suffixOf(exchangeId)}`]?.trim();
    if (!raw) return undefined;
    if (!/^[1-9]\d*$/.test(raw)) throw new Error(`${name}_${suffixOf(exchangeId)} must be a positive whole number (got "${raw}")`);
    return Number(raw);
  };
  const limit = read("EXCHANGE_WEIGHT_LIMIT");
  const windowMs = read("EXCHANGE_WEIGHT_WINDOW_MS");
  return { ...(limit !== undefined ? { limit } : {}), ...(windowMs !== undefined ? { windowMs } : {}) };
}

/**
 * A new pacer of the kind the adapter asks for (ExportCapabilities.pacing). "weight" is
 * Binance's: IP weight per minute for /api+/sapi (6000), /fapi and /dapi (2400 each), and the
 * UID weight of endpoints Binance counts per account (180000), each paced on its own.
 */
export function createPacer(kind: ExportCapabilities["pacing"], limits: WeightLimits = {}): SignalAwarePacer {
  if (kind !== "weight") return new CooldownPacer();
  const windowMs = limits.windowMs !== undefined ? { windowMs: limits.windowMs } : {};
  return new PooledPacer(new WeightPacer({ ...windowMs, ...(limits.limit !== undefined ? { limit: limits.limit } : {}) }), {
    fapi: new WeightPacer({ limit: 2400, ...windowMs }),
    dapi: new WeightPacer({ limit: 2400, ...windowMs }),
    uid: new WeightPacer({ limit: 180_000, usedWeightHeader: "x-sapi-used-uid-weight-1m", ...windowMs }),
  });
}

/** The process-wide pacer for an exchange and the origin its requests go to. */
export function sharedPacer(exchangeId: string, kind: ExportCapabilities["pacing"], env: Env = process.env): SignalAwarePacer {
  const pacers = (globalForPacers.myitsPacers ??= new Map());
  const key = `${exchangeId}|${originOf(exchangeId, env)}`;
  let pacer = pacers.get(key);
  if (!pacer) {
    pacer = createPacer(kind, kind === "weight" ? weightLimitsFrom(exchangeId, env) : {});
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
    declareLimit: (request, limit) => pacer.declareLimit?.(request, limit),
  };
}

/**
 * The pacer as a check a user waits for sees it: a wait that would outlast `deadlineMs` gives
 * up without sending, as an "unreachable, rate limited" answer (the request was never made,
 * so it costs the exchange budget nothing).
 */
export function withDeadline(pacer: SignalAwarePacer, deadlineMs: number, heldBack: () => Error): RequestPacer {
  const signal = AbortSignal.timeout(deadlineMs);
  return {
    async beforeRequest(request: PacedRequest) {
      try {
        await pacer.beforeRequest(request, signal);
      } catch (error) {
        if (signal.aborted) throw heldBack();
        throw error;
      }
    },
    afterResponse: (request, outcome) => pacer.afterResponse(request, outcome),
    declareLimit: (request, limit) => pacer.declareLimit?.(request, limit),
  };
}
