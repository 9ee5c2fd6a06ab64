// npm run worker [-- --concurrency 2] [--poll-seconds 2] [--orphan-after-seconds 60] [--watch-lease-seconds 120]
//
// A standalone export worker: runs trade exports queued by any web process, against the
// Postgres of DATABASE_URL (and EXCHANGE_ORIGIN_* like the web process). Start as many as
// you like, on any machine: pg-boss hands each job to one worker, and an export of a binding
// never runs twice at once. Ctrl-C (SIGINT) or SIGTERM stops it gracefully: running exports
// commit their current page and go back to the queue; a second signal exits at once. It also
// runs the key watch's scheduled re-checks (lib/watch), sharing them with every other worker.
import { parseArgs } from "node:util";
import { EnvError, parseEnv } from "@/lib/env";
import { loggableError } from "@/lib/errors";

const { values: flags } = parseArgs({
  options: {
    concurrency: { type: "string", default: "2" },
    "poll-seconds": { type: "string", default: "2" },
    "orphan-after-seconds": { type: "string", default: "60" },
    "watch-lease-seconds": { type: "string", default: "120" },
  },
});

function positive(name: string, value: string | undefined): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) {
    console.error(`worker: --${name} must be a positive number (got "${value}")`);
    process.exit(2);
  }
  return number;
}

function log(message: string): void {
  console.log(`[worker ${process.pid}] ${message}`);
}

async function main(): Promise<void> {
  let databaseUrl: string;
  try {
    databaseUrl = parseEnv(process.env).DATABASE_URL;
  } catch (error) {
    if (error instanceof EnvError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const concurrency = Math.floor(positive("concurrency", flags.concurrency));
  const { startWorker, stopWorker } = await import("@/lib/jobs/worker");
  const { db } = await import("@/lib/db");

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      log(`${signal} again: exiting now.`);
      process.exit(130);
    }
    stopping = true;
    log(`${signal}: stopping; running exports commit their current page and return to the queue…`);
    stopWorker({ timeoutMs: 25_000 })
      .then(() => db().$disconnect())
      .then(
        () => {
          log("stopped.");
          process.exit(0);
        },
        (error: unknown) => {
          console.error("worker: could not stop cleanly:", loggableError(error));
          process.exit(1);
        },
      );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));

  const worker = await startWorker({
    concurrency,
    pollingIntervalSeconds: positive("poll-seconds", flags["poll-seconds"]),
    orphanAfterMs: positive("orphan-after-seconds", flags["orphan-after-seconds"]) * 1000,
    keyWatch: { leaseMs: positive("watch-lease-seconds", flags["watch-lease-seconds"]) * 1000, pollingIntervalSeconds: positive("poll-seconds", flags["poll-seconds"]) },
  });
  const { host, pathname } = new URL(databaseUrl);
  log(`export worker running: ${worker.concurrency} at a time, database ${host}${pathname}.`);
}

main().catch((error: unknown) => {
  console.error("worker failed to start:", error instanceof Error ? error.message : error);
  process.exit(1);
});
