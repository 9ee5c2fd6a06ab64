import "server-only";
import type PgBoss from "pg-boss";

// The pg-boss workers of this process, so that enqueueing an export wakes them at once
// instead of at their next poll.

const registry = globalThis as unknown as { myitsLocalWorkers?: { boss: PgBoss; ids: string[] } };

export function setLocalWorkers(boss: PgBoss, ids: string[]): void {
  registry.myitsLocalWorkers = { boss, ids };
}

export function clearLocalWorkers(): void {
  registry.myitsLocalWorkers = undefined;
}

export function notifyLocalWorkers(): void {
  const workers = registry.myitsLocalWorkers;
  if (!workers) return;
  for (const id of workers.ids) workers.boss.notifyWorker(id);
}
