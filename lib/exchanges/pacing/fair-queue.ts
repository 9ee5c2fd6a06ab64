import type { PacedPriority } from "../types";
import { abortReason } from "./sleep";

// The order in which a pacer admits the requests waiting for its budget. Each priority has its
// own line, with one request at a time at its head (the one the pacer is deciding about, which
// may wait for the next window); the lines are independent, so an interactive request never
// waits behind a background one that waits for a window. Within a line, owners (an export's
// job, see PacedRequest.owner) take turns: the next head is the oldest waiter of the owner after
// the one served last, so an export that queues many requests at once cannot keep another
// export, or a scheduled re-check, waiting for whole windows.

export interface Turn {
  /** Ends this request's turn: the next waiter of its line becomes the head. */
  release(): void;
}

interface Waiter {
  owner: string;
  start: () => void;
}

class Line {
  /** Owners with waiters, in the order they take turns; each with its waiters, oldest first. */
  private readonly owners = new Map<string, Waiter[]>();
  busy = false;
  /** The owner of the head, who goes to the back of the rotation. */
  private current: string | null = null;
  /** Resolved when the line has no head and no waiter. */
  private idleWaiters: Array<() => void> = [];

  get waiting(): boolean {
    return this.busy || this.owners.size > 0;
  }

  enter(owner: string, signal?: AbortSignal): Promise<Turn> {
    signal?.throwIfAborted();
    let released = false;
    const turn: Turn = {
      release: () => {
        if (released) return;
        released = true;
        this.next();
      },
    };
    if (!this.busy) {
      this.busy = true;
      this.current = owner;
      return Promise.resolve(turn);
    }
    return new Promise<Turn>((resolve, reject) => {
      const waiter: Waiter = {
        owner,
        start: () => {
          signal?.removeEventListener("abort", onAbort);
          resolve(turn);
        },
      };
      const onAbort = () => {
        const list = this.owners.get(owner);
        const index = list?.indexOf(waiter) ?? -1;
        if (list && index >= 0) {
          list.splice(index, 1);
          if (list.length === 0) this.owners.delete(owner);
        }
        reject(abortReason(signal!));
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      const list = this.owners.get(owner);
      if (list) list.push(waiter);
      else this.owners.set(owner, [waiter]);
    });
  }

  /** Resolves once nobody is at the head or waiting (at once if so now). */
  idle(signal?: AbortSignal): Promise<void> {
    if (!this.waiting) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const done = () => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      };
      const onAbort = () => {
        this.idleWaiters = this.idleWaiters.filter((w) => w !== done);
        reject(abortReason(signal!));
      };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener("abort", onAbort, { once: true });
      this.idleWaiters.push(done);
    });
  }

  private next(): void {
    // the owner that has waited longest since its last turn: the first in the map, unless that
    // is the owner just served and another one waits
    const entries = this.owners.entries();
    let first = entries.next();
    if (!first.done && first.value[0] === this.current && this.owners.size > 1) first = entries.next();
    if (first.done) {
      this.busy = false;
      this.current = null;
      const waiting = this.idleWaiters;
      this.idleWaiters = [];
      for (const wake of waiting) wake();
      return;
    }
    const [owner, list] = first.value;
    const waiter = list.shift()!;
    // to the back of the rotation with what it has left
    this.owners.delete(owner);
    if (list.length > 0) this.owners.set(owner, list);
    this.current = owner;
    waiter.start();
  }
}

export class FairQueue {
  private readonly lines: Record<PacedPriority, Line> = { interactive: new Line(), background: new Line() };

  /** Resolves when this request is at the head of its priority's line. */
  enter(priority: PacedPriority, owner: string, signal?: AbortSignal): Promise<Turn> {
    return this.lines[priority].enter(owner, signal);
  }

  /** Whether requests of this priority are being decided about or waiting. */
  waiting(priority: PacedPriority): boolean {
    return this.lines[priority].waiting;
  }

  /** Resolves once no request of this priority is being decided about or waiting. */
  idle(priority: PacedPriority, signal?: AbortSignal): Promise<void> {
    return this.lines[priority].idle(signal);
  }
}
