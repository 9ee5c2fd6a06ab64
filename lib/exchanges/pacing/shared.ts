import type { ExportCapabilities, PacedPriority, PacedRequest, RequestPacer } from "../types";
import { ChainedPacer } from "./chained-pacer";
import { CooldownPacer } from "./cooldown-pacer";
import { postgresLedger, type BudgetLedger } from "./ledger";
import type { SignalAwarePacer } from "./types";
import { PooledPacer } from "./pooled-pacer";
import { WeightPacer } from "./weight-pacer";

// One pacer per exchange and origin in a process: every export (and every worker slot) that
// talks to the same exchange from this machine shares its limits, as the exchange does. Across
// processes, each pool's budget is one ledger in Postgres (ledger.ts) wherever the process has
// a database (DATABASE_URL), so N web and worker processes together stay under the limit; the
// exchange's own counters (X-MBX-USED-WEIGHT-1M, Retry-After) remain the safety net, and are
// all a process without a database (unit tests) goes by. Kept on globalThis so a development
// reload does not start a second, unaware pacer.

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
  /** How long after a window's nominal start its budget is used, and how near its end a take counts in both (WeightPacer, ledger). */
  guardMs?: number;
}

/**
 * EXCHANGE_WEIGHT_LIMIT_<ID> and EXCHANGE_WEIGHT_WINDOW_MS_<ID>: the main pool's limit where it
 * is not the exchange's production one (a testnet, the simulator). A pacer that does not know
 * the limit learns it from the first 429, but requests already in flight then earn a ban.
 * EXCHANGE_WEIGHT_GUARD_MS_<ID>: the guard (WeightPacer's guardMs), for scaled-down windows
 * whose default guard (a fiftieth) would be shorter than a request takes to arrive.
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
  const guardMs = read("EXCHANGE_WEIGHT_GUARD_MS");
  return { ...(limit !== undefined ? { limit } : {}), ...(windowMs !== undefined ? { windowMs } : {}), ...(guardMs !== undefined ? { guardMs } : {}) };
}

/**
 * The per-IP request limits of exchanges that state one for all requests (no weights), in
 * whole requests per window. Bybit: 600 requests "within a 5-second window" per IP, which
 * may be a rolling window; counted in fixed windows, half of it per window keeps any 5 s
 * under 600. OKX states its limits per endpoint and account (or IP, for public endpoints), not
 * one for the IP: none here unless configured (EXCHANGE_REQUEST_LIMIT_OKX).
 */
const REQUEST_LIMITS: Readonly<Record<string, { limit: number; windowMs: number }>> = {
  bybit: { limit: 300, windowMs: 5_000 },
};

/**
 * EXCHANGE_REQUEST_LIMIT_<ID> and EXCHANGE_REQUEST_WINDOW_MS_<ID>: a request count per window for
 * an exchange paced by cooldown (a testnet's, the simulator's, or OKX's where a deployment
 * knows it), instead of the default above.
 */
export function requestLimitsFrom(exchangeId: string, env: Env): WeightLimits {
  const read = (name: string): number | undefined => {
    const raw = env[`${name}_${suffixOf(exchangeId)}`]?.trim();
    if (!raw) return undefined;
    if (!/^[1-9]\d*$/.test(raw)) throw new Error(`${name}_${suffixOf(exchangeId)} must be a positive whole number (got "${raw}")`);
    return Number(raw);
  };
  const fallback = Object.hasOwn(REQUEST_LIMITS, exchangeId) ? REQUEST_LIMITS[exchangeId] : undefined;
  const limit = read("EXCHANGE_REQUEST_LIMIT") ?? fallback?.limit;
  const windowMs = read("EXCHANGE_REQUEST_WINDOW_MS") ?? fallback?.windowMs;
  return { ...(limit !== undefined ? { limit } : {}), ...(windowMs !== undefined ? { windowMs } : {}) };
}

export interface PacerOptions {
  /** The budget every process shares, and the prefix of this exchange's keys in it ("<exchange>|<origin>"). */
  ledger?: { ledger: BudgetLedger; key: string };
  /** Share of each pool's limit background requests leave to interactive ones (WeightPacer). Default 0. */
  interactiveReserveFraction?: number;
  /** For "cooldown": a request count per window to keep to as well (requestLimitsFrom). */
  requests?: WeightLimits;
}

/** What the process-wide pacers leave to requests a user waits for: 2% of each window. */
export const INTERACTIVE_RESERVE_FRACTION = 0.02;

/**
 * A new pacer of the kind the adapter asks for (ExportCapabilities.pacing). "weight" is
 * Binance's: IP weight per minute for /api+/sapi (6000), /fapi and /dapi (2400 each), and the
 * UID weight of endpoints Binance counts per account (180000), each paced on its own.
 * "cooldown" backs off when told, and keeps to a request count where one is known.
 */
export function createPacer(kind: ExportCapabilities["pacing"], limits: WeightLimits = {}, options: PacerOptions = {}): SignalAwarePacer {
  const shared = (pool: string) => (options.ledger ? { ledger: { ledger: options.ledger.ledger, key: `${options.ledger.key}|${pool}` } } : {});
  const reserve = options.interactiveReserveFraction !== undefined ? { interactiveReserveFraction: options.interactiveReserveFraction } : {};
  if (kind !== "weight") {
    const cooldown = new CooldownPacer();
    const requests = options.requests;
    if (requests?.limit === undefined) return cooldown;
    const counter = new WeightPacer({
      limit: requests.limit,
      ...(requests.windowMs !== undefined ? { windowMs: requests.windowMs } : {}),
      ...(requests.guardMs !== undefined ? { guardMs: requests.guardMs } : {}),
      // no header tells the count: the stated limit is trusted from the first request
      usedWeightHeader: null,
      trustLimit: true,
      ...reserve,
      ...shared("requests"),
    });
    return new ChainedPacer(cooldown, counter);
  }
  const windowMs = { ...(limits.windowMs !== undefined ? { windowMs: limits.windowMs } : {}), ...(limits.guardMs !== undefined ? { guardMs: limits.guardMs } : {}) };
  return new PooledPacer(new WeightPacer({ ...windowMs, ...(limits.limit !== undefined ? { limit: limits.limit } : {}), ...reserve, ...shared("spot") }), {
    fapi: new WeightPacer({ limit: 2400, ...windowMs, ...reserve, ...shared("fapi") }),
    dapi: new WeightPacer({ limit: 2400, ...windowMs, ...reserve, ...shared("dapi") }),
    uid: new WeightPacer({ limit: 180_000, usedWeightHeader: "x-sapi-used-uid-weight-1m", ...windowMs, ...reserve, ...shared("uid") }),
  });
}

/**
 * The process-wide pacer for an exchange and the origin its requests go to, on the ledger of
 * the database in `env.DATABASE_URL` (none without one, or with EXCHANGE_PACING_LEDGER=off).
 */
export function sharedPacer(exchangeId: string, kind: ExportCapabilities["pacing"], env: Env = process.env): SignalAwarePacer {
  const pacers = (globalForPacers.myitsPacers ??= new Map());
  const origin = originOf(exchangeId, env);
  const database = env.EXCHANGE_PACING_LEDGER?.trim() === "off" ? undefined : env.DATABASE_URL?.trim() || undefined;
  const key = `${exchangeId}|${origin}|${database ?? ""}`;
  let pacer = pacers.get(key);
  if (!pacer) {
    pacer = createPacer(kind, kind === "weight" ? weightLimitsFrom(exchangeId, env) : {}, {
      interactiveReserveFraction: INTERACTIVE_RESERVE_FRACTION,
      ...(kind === "weight" ? {} : { requests: requestLimitsFrom(exchangeId, env) }),
      ...(database ? { ledger: { ledger: postgresLedger(database), key: `${exchangeId}|${origin}` } } : {}),
    });
    pacers.set(key, pacer);
  }
  return pacer;
}

/**
 * The pacer as the adapter sees it, with waits that end when `signal` aborts, for requests of
 * `priority` made for `owner` (an export's job: owners take turns, see fair-queue.ts).
 */
export function bindSignal(pacer: SignalAwarePacer | RequestPacer, signal: AbortSignal | undefined, tag: { priority?: PacedPriority; owner?: string } = {}): RequestPacer {
  if (!signal && tag.priority === undefined && tag.owner === undefined) return pacer;
  return {
    beforeRequest: (request: PacedRequest) => (pacer as SignalAwarePacer).beforeRequest(tagged(request, tag), signal),
    afterResponse: (request, outcome) => pacer.afterResponse(request, outcome),
    declareLimit: (request, limit) => pacer.declareLimit?.(request, limit),
  };
}

/**
 * Marks the request (the object callExchange made for this one call, which afterResponse is
 * given again: the pacers know a request by its identity) unless its maker already said.
 */
function tagged(request: PacedRequest, tag: { priority?: PacedPriority; owner?: string }): PacedRequest {
  if (tag.priority !== undefined) request.priority ??= tag.priority;
  if (tag.owner !== undefined) request.owner ??= tag.owner;
  return request;
}

/**
 * The pacer as a check sees it: a wait that would outlast `deadlineMs` gives up without
 * sending, as an "unreachable, rate limited" answer (the request was never made, so it costs
 * the exchange budget nothing). A user waits for it unless `priority` says a schedule does.
 */
export function withDeadline(pacer: SignalAwarePacer, deadlineMs: number, heldBack: () => Error, priority: PacedPriority = "interactive"): RequestPacer {
  const signal = AbortSignal.timeout(deadlineMs);
  return {
    async beforeRequest(request: PacedRequest) {
      tagged(request, { priority });
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
