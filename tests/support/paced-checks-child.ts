// One "web or worker process" for tests/integration/exchanges/shared-budget.test.ts: it checks
// Binance keys against the simulator, as many as it is told, a few at a time, through its own
// process-wide pacer (sharedPacer: on the ledger of DATABASE_URL) as background work, and
// prints what its pacer did as one JSON line. It says "ready" once loaded and starts on a "go"
// line on stdin, so that the test's processes start together. Run with `node --conditions=react-server --import tsx`.
//
// Input (environment): PACED_CHECKS_KEYS (JSON [{apiKey, secret}]), PACED_CHECKS_COUNT,
// PACED_CHECKS_LANES, and the exchange configuration (EXCHANGE_ORIGIN_BINANCE, limits).

import { bindSignal, sharedPacer } from "@/lib/exchanges/pacing/shared";
import { getAdapter } from "@/lib/exchanges/registry";
import type { KeyCredentials } from "@/lib/exchanges/types";

async function main(): Promise<void> {
  const keys = JSON.parse(process.env.PACED_CHECKS_KEYS ?? "[]") as KeyCredentials[];
  const count = Number(process.env.PACED_CHECKS_COUNT ?? "0");
  const lanes = Number(process.env.PACED_CHECKS_LANES ?? "4");
  if (keys.length === 0 || !(count > 0)) throw new Error("PACED_CHECKS_KEYS and PACED_CHECKS_COUNT are required");
  const shared = sharedPacer("binance", "weight", process.env);
  const pacer = bindSignal(shared, undefined, { priority: "background", owner: `pid-${process.pid}` });
  const adapter = getAdapter("binance", { env: process.env, enableRateLimit: false, pacer });
  process.stdout.write("ready\n");
  await new Promise<void>((resolve) => {
    let input = "";
    process.stdin.on("data", (chunk: Buffer) => {
      input += chunk.toString();
      if (input.includes("go")) resolve();
    });
  });
  process.stdin.pause();
  const statuses: Record<string, number> = {};
  let next = 0;
  const lane = async () => {
    while (next < count) {
      const credentials = keys[next++ % keys.length]!;
      const description = await adapter.describeKey(credentials);
      const label = description.status === "valid" ? "valid" : `${description.status}:${description.reason}`;
      statuses[label] = (statuses[label] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: lanes }, lane));
  process.stdout.write(`${JSON.stringify({ statuses, stats: shared.stats })}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
