import "server-only";
import type PgBoss from "pg-boss";
import type { Db } from "@/lib/db";
import { env } from "@/lib/env";
import { runWatchTick, type WatchTickOptions } from "./run-watch-tick";

// The key watch's pg-boss wiring, run by every process that runs the export worker (the web
// process unless EXPORT_WORKER=0, and `npm run worker`). A pg-boss schedule sends one tick job
// a minute (pg-boss keeps one schedule per name across all processes); whichever worker takes
// it checks the keys that are due (run-watch-tick.ts). Ticks are not retried: the next one
// comes a minute later, and a key a dead tick left half-checked is claimed again once its
// lease runs out. Each process also sends a tick when it starts, so a restarted worker picks up
// at once what a killed one left.

export const WATCH_QUEUE = "key-watch";
export const WATCH_CRON = "* * * * *";

export interface KeyWatch {
  stop(): void;
}

export interface KeyWatchOptions extends Omit<WatchTickOptions, "periodMs" | "signal"> {
  periodMs?: number;
  pollingIntervalSeconds?: number;
}

export async function startKeyWatch(boss: PgBoss, client: Db, options: KeyWatchOptions = {}): Promise<KeyWatch> {
  if (!(await boss.getQueue(WATCH_QUEUE))) {
    try {
      await boss.createQueue(WATCH_QUEUE, { name: WATCH_QUEUE, policy: "standard", retryLimit: 0, expireInSeconds: 15 * 60 });
    } catch (error) {
      if (!(await boss.getQueue(WATCH_QUEUE))) throw error;
    }
  }
  await boss.schedule(WATCH_QUEUE, WATCH_CRON, {}, { tz: "UTC", retryLimit: 0 });
  const controller = new AbortController();
  const periodMs = options.periodMs ?? env().KEY_WATCH_PERIOD_HOURS * 3_600_000;
  const { pollingIntervalSeconds, ...tickOptions } = options;
  await boss.work(WATCH_QUEUE, { batchSize: 1, pollingIntervalSeconds: pollingIntervalSeconds ?? 2 }, async () => {
    const report = await runWatchTick(client, { ...tickOptions, periodMs, signal: controller.signal });
    if (report.checked + report.failed > 0) console.info(`[watch] checked ${report.checked} key(s)${report.failed ? `, ${report.failed} failed` : ""}.`);
    return report;
  });
  await boss.send(WATCH_QUEUE, {}, { retryLimit: 0 });
  return {
    stop() {
      controller.abort();
    },
  };
}
