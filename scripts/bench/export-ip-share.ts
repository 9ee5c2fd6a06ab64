import { spawn, type ChildProcess } from "node:child_process";
import os from "node:os";
import { enqueueExport } from "@/lib/jobs/enqueue-export";
import { stopBoss } from "@/lib/jobs/boss";
import { projectRoot } from "../../tests/support/prisma-cli";
import { benchBinding, benchUser, READ_ONLY } from "./fixtures";
import { benchDatabase } from "./setup";
import { startSimThread } from "./sim-thread";

// (f) Several worker processes exporting at once on one IP's Binance weight (issue 13, point 5):
// nine spot-only bindings queued together, exported by three `npm run worker` processes (three
// exports each), every process pacing by the same Postgres ledger (lib/exchanges/pacing/ledger.ts).
// Measured at the simulator, whose /api+/sapi limit is the IP's budget: 429s and 418s, the
// weight of each window, and the share of the bound: the exports together cannot end before
// their weight has been spent at the limit (weight / limit windows), over the time from the
// first request to the last.

export interface ExportIpShareOptions {
  bindings: number;
  workers: number;
  /** Exports each worker runs at once. */
  concurrency: number;
  tradesPerBinding: number;
  markets: number;
  limit: number;
  windowMs: number;
  latencyMs: number;
}

export interface ExportIpShareResult extends ExportIpShareOptions {
  succeeded: number;
  rateLimited429: number;
  banned418: number;
  /** Weight the simulator counted in each window, oldest first. */
  perWindow: number[];
  weight: number;
  boundSeconds: number;
  elapsedSeconds: number;
  fraction: number;
  loadBefore: number;
  loadAfter: number;
}

export async function benchExportIpShare(options: ExportIpShareOptions, log: (line: string) => void = console.log): Promise<ExportIpShareResult> {
  const loadBefore = os.loadavg()[0]!;
  const db = await benchDatabase("ipshare");
  const sim = await startSimThread({ seed: 29, binance: { weightLimitPerMinute: options.limit, windowMs: options.windowMs } });
  const children: ChildProcess[] = [];
  try {
    const { client } = db;
    const jobs: string[] = [];
    const owners: Array<{ userId: string; bindingId: string }> = [];
    for (let i = 0; i < options.bindings; i++) {
      const userId = await benchUser(client);
      const key = await sim.createKey({ exchange: "binance", permissions: READ_ONLY, ipWhitelist: ["127.0.0.1"], trades: { count: options.tradesPerBinding, markets: options.markets } });
      owners.push({ userId, bindingId: await benchBinding(client, userId, { ...key, label: `Export ${i}` }) });
    }
    if (options.latencyMs > 0) await sim.setFault({ exchange: "binance", kind: "latency", ms: options.latencyMs });
    await sim.resetStats();
    for (const { userId, bindingId } of owners) jobs.push((await enqueueExport(client, userId, bindingId, { fullScan: false })).job.id);
    await stopBoss({ timeoutMs: 2000 });
    log(`    ${options.bindings} exports of ${options.tradesPerBinding.toLocaleString("en-US")} trades queued; starting ${options.workers} workers…`);

    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: db.url,
      EXCHANGE_ORIGIN_BINANCE: sim.origin,
      ...(options.limit === 6000 && options.windowMs === 60_000
        ? {}
        : { EXCHANGE_WEIGHT_LIMIT_BINANCE: String(options.limit), EXCHANGE_WEIGHT_WINDOW_MS_BINANCE: String(options.windowMs) }),
    };
    for (let i = 0; i < options.workers; i++) {
      const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/worker.ts", "--concurrency", String(options.concurrency), "--poll-seconds", "0.5"], {
        cwd: projectRoot,
        env,
        stdio: ["ignore", "pipe", "pipe"],
      });
      let output = "";
      child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
      child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
      child.once("exit", (code) => {
        if (code !== 0 && code !== null && code !== 130) log(`    worker ${child.pid} exited with ${code}: ${output.slice(-2000)}`);
      });
      children.push(child);
    }

    const expectedMs = ((options.bindings * options.tradesPerBinding * 20) / 1000 / (options.limit * 0.96)) * options.windowMs;
    // beside the trades, each export reads transfers back to 2017, convert, dust and the listings
    const deadline = Date.now() + 300_000 + 10 * expectedMs;
    let lastLog = Date.now();
    let succeeded = 0;
    let endedAt = Date.now();
    for (;;) {
      const rows = await client.exportJob.groupBy({ by: ["status"], where: { id: { in: jobs } }, _count: { _all: true } });
      const count = (status: string) => rows.find((r) => r.status === status)?._count._all ?? 0;
      succeeded = count("SUCCEEDED");
      endedAt = Date.now();
      if (succeeded + count("FAILED") + count("CANCELLED") >= jobs.length) break;
      if (Date.now() > deadline) {
        log(`    stopped at the time limit: ${succeeded} of ${jobs.length} exports done`);
        break;
      }
      if (Date.now() - lastLog > 15_000) {
        lastLog = Date.now();
        log(`    ${succeeded} of ${jobs.length} exports done…`);
      }
      await new Promise((r) => setTimeout(r, 500));
    }
    const stats = (await sim.stats()) as unknown as { binance: { rateLimited429: number; banned418: number; windowPeaks: Record<string, number> } };
    const starts = Object.keys(stats.binance.windowPeaks).map(Number).sort((a, b) => a - b);
    const perWindow = starts.map((s) => stats.binance.windowPeaks[String(s)]!);
    const weight = perWindow.reduce((a, b) => a + b, 0);
    const span = (await client.$queryRaw<Array<{ first: Date | null; last: Date | null }>>`SELECT min("startedAt") AS first, max("finishedAt") AS last FROM "ExportJob" WHERE id = ANY(${jobs})`)[0]!;
    // cut at the time limit: up to then
    const last = succeeded === jobs.length && span.last ? span.last.getTime() : endedAt;
    const elapsedSeconds = span.first ? (last - span.first.getTime()) / 1000 : Number.NaN;
    const boundSeconds = (weight / options.limit) * (options.windowMs / 1000);
    return {
      ...options,
      succeeded,
      rateLimited429: stats.binance.rateLimited429,
      banned418: stats.binance.banned418,
      perWindow,
      weight,
      boundSeconds,
      elapsedSeconds,
      fraction: boundSeconds / elapsedSeconds,
      loadBefore,
      loadAfter: os.loadavg()[0]!,
    };
  } finally {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    await Promise.all(children.map((child) => (child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((r) => child.once("exit", r)))));
    await sim.close();
    await db.close();
  }
}
