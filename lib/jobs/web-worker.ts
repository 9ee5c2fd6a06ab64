import "server-only";
import { env } from "@/lib/env";
import { ensureWorkerStarted } from "./worker";

// The export worker inside the web process. An export cut off by the process stopping is
// resumable: its page commits are atomic, and the orphan sweep of the next worker (here or in
// `npm run worker`) hands it back to the queue.
export async function startWebWorker(): Promise<void> {
  const config = env();
  if (!config.EXPORT_WORKER) return;
  try {
    const worker = await ensureWorkerStarted({ concurrency: config.EXPORT_CONCURRENCY });
    console.info(`[myits] Export worker running in the web process (${worker.concurrency} at once).`);
  } catch (error) {
    // The dashboard still serves pages; exports wait in the queue until a worker runs.
    console.error(`[myits] The export worker did not start: ${error instanceof Error ? error.message : String(error)}`);
  }
}
