import { resolve } from "node:path";

// How the dashboard's Next process is started: by `npm start`, `npm run demo` and `npm run dev`
// (serve.ts) and by the backup benchmark, so the benchmark measures the server users run.
//
// --heap-growing-percent=25: V8 lets the old generation grow to up to four times what was
// live after the last full collection before collecting again. A backup download streams
// millions of short-lived rows, enough of which are promoted that the server's RSS grew with
// the backup's size (about +300 MB for 1M trades, +110 MB for 100k) though what is live stays
// flat. Collecting once it has grown a quarter keeps a download's peak within ~30 MB of idle,
// for any size, at no measurable cost in rows/s (docs/benchmarks.md). NODE_OPTIONS does not
// accept this flag, hence node's own arguments.
export const NEXT_NODE_FLAGS = ["--heap-growing-percent=25"] as const;

export function nextCommand(root: string, args: readonly string[]): { command: string; args: string[] } {
  // peer-address.cjs: every request carries the socket's own address (lib/auth/request-meta.ts).
  // busy-sign-in.cjs: a sign-in the process has no room for is refused before Next routes it.
  const preload = ["--require", resolve(root, "scripts/lib/peer-address.cjs"), "--require", resolve(root, "scripts/lib/busy-sign-in.cjs")];
  return { command: process.execPath, args: [...NEXT_NODE_FLAGS, ...preload, resolve(root, "node_modules/next/dist/bin/next"), ...args] };
}
