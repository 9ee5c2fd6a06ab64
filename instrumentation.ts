// Runs once when a Next.js server process starts: the web process exports trades in the
// background too (EXPORT_WORKER=0 leaves that to `npm run worker` processes).
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startWebWorker } = await import("./lib/jobs/web-worker");
  await startWebWorker();
}
