import { AppError } from "@/lib/errors";

// A bound on how many of one kind of expensive work run at once in this process. Callers past
// the bound wait in a first-come queue; when the queue itself is full the caller is told to try
// again shortly (AppError BUSY, 503) instead of piling up memory and latency behind the others.
// A slot is handed to the next waiter the moment it is released; with `minSlotMs` it is released
// no sooner than that after it was taken (the caller has its result at once), which caps the
// work's share of a core as well as its concurrency.

export interface SemaphoreOptions {
  /** Work that may run at once. */
  concurrency: number;
  /** Callers that may wait for a slot; one more is refused. */
  maxQueue: number;
  /** What a refused caller is told. */
  busyMessage: string;
  /** Each slot is held at least this long: at most concurrency × 1000 / minSlotMs runs per second. */
  minSlotMs?: number;
}

export class Semaphore {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly options: SemaphoreOptions) {}

  /** Work holding a slot now. */
  get active(): number {
    return this.running;
  }

  /** Callers waiting for a slot. */
  get queued(): number {
    return this.waiting.length;
  }

  /** Whether a caller would get a slot or a place in the queue now. */
  hasRoom(): boolean {
    return this.running < this.options.concurrency || this.waiting.length < this.options.maxQueue;
  }

  /** Throws BUSY now if a caller would be refused now: lets a caller skip work it would waste. */
  assertRoom(): void {
    if (!this.hasRoom()) throw new AppError("BUSY", this.options.busyMessage);
  }

  /** Runs `work` when a slot is free; throws BUSY at once when the queue is full. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    await this.acquire();
    const started = Date.now();
    try {
      return await work();
    } finally {
      const rest = (this.options.minSlotMs ?? 0) - (Date.now() - started);
      if (rest > 0) setTimeout(() => this.release(), rest);
      else this.release();
    }
  }

  private acquire(): Promise<void> {
    if (this.running < this.options.concurrency) {
      this.running++;
      return Promise.resolve();
    }
    if (this.waiting.length >= this.options.maxQueue) {
      return Promise.reject(new AppError("BUSY", this.options.busyMessage));
    }
    // The slot passes straight to the waiter: `running` stays the same.
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running--;
  }
}
