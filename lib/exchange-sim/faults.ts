// Injected faults: latency, 5xx answers, held sockets and truncated bodies, per exchange and
// optionally per path prefix, for a number of requests or until cleared.

import type { SimExchange, SimFault } from "./types";

export interface FaultPlan {
  /** Total delay before answering. */
  latencyMs: number;
  /** The fault that replaces or spoils the answer, if any. */
  terminal?: SimFault;
}

interface ActiveFault {
  fault: SimFault;
  remaining: number; // Infinity = until cleared
}

export class FaultRegistry {
  private faults: ActiveFault[] = [];

  add(f: SimFault): void {
    if (f.count !== undefined && (!Number.isInteger(f.count) || f.count < 1)) throw new Error("fault.count must be a positive integer");
    this.faults.push({ fault: { ...f }, remaining: f.count ?? Number.POSITIVE_INFINITY });
  }

  clear(): void {
    this.faults = [];
  }

  list(): SimFault[] {
    return this.faults.map((a) => ({ ...a.fault, ...(Number.isFinite(a.remaining) ? { count: a.remaining } : {}) }));
  }

  /**
   * Consume the faults that apply to one request: every matching latency adds up; the first
   * matching error/timeout/malformed fault (in insertion order) decides the answer.
   */
  take(exchange: SimExchange, path: string): FaultPlan {
    const plan: FaultPlan = { latencyMs: 0 };
    for (const active of this.faults) {
      const f = active.fault;
      if (f.exchange && f.exchange !== exchange) continue;
      if (f.pathPrefix && !path.startsWith(f.pathPrefix)) continue;
      if (f.kind === "latency") {
        plan.latencyMs += f.ms ?? 0;
      } else if (plan.terminal) {
        continue;
      } else {
        plan.terminal = f;
      }
      active.remaining -= 1;
    }
    this.faults = this.faults.filter((a) => a.remaining > 0);
    return plan;
  }
}
