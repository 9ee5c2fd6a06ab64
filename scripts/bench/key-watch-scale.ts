import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import os from "node:os";
import { maskKey } from "@/lib/crypto/mask";
import { sealCredentials } from "@/lib/keys/credentials";
import { keyFingerprint } from "@/lib/keys/fingerprint";
import { checkKeyLive } from "@/lib/keys/live-facts";
import { planSlots } from "@/lib/watch/key-watch-slots";
import { projectRoot } from "../../tests/support/prisma-cli";
import { READ_ONLY } from "./fixtures";
import { benchDatabase } from "./setup";
import { startSimThread } from "./sim-thread";

// (e) The key watch at a real service's scale (issue 13, point 5): every binding of every user
// due at once, re-checked by several `npm run worker` processes against the simulator's Binance,
// whose /api+/sapi weight limit is the one IP's budget they share through the Postgres ledger
// (lib/exchanges/pacing/ledger.ts). Meanwhile this process, standing for a web process, runs
// users' live checks (checkKeyLive, forced: each asks the exchange) and times them.
//
// The run starts as three workers that have just started do: each sends one watch tick
// (lib/watch/watch-worker.ts) and takes one; the minute's schedule sends more. It ends when
// every binding has its scheduled check. Measured at the simulator: 429s and 418s, and the
// weight of each window; "while there is work" are the windows after the one in which the first
// scheduled check was served and before the one of the last (whole windows with a backlog).

export interface KeyWatchScaleOptions {
  users: number;
  bindings: number;
  workers: number;
  /** The simulator's (and the pacers') /api+/sapi weight per window. */
  limit: number;
  windowMs: number;
  /** Users' live checks run in this many loops, one after the other in each, this far apart. */
  interactiveLoops: number;
  interactiveGapMs: number;
}

export interface KeyWatchScaleResult extends KeyWatchScaleOptions {
  checked: number;
  seconds: number;
  rateLimited429: number;
  banned418: number;
  /** Every window the run touched, oldest first: its start (ms since the first one), the weight the simulator counted, whether it had a backlog throughout. */
  windows: Array<{ offsetMs: number; weight: number; withWork: boolean }>;
  /** Weight of the windows with work over their limit (null: no whole window had work throughout). */
  shareWhileWork: number | null;
  interactive: { count: number; p50Ms: number; p95Ms: number; maxMs: number; notValid: number };
  loadBefore: number;
  loadAfter: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
}

export async function benchKeyWatchScale(options: KeyWatchScaleOptions, log: (line: string) => void = console.log): Promise<KeyWatchScaleResult> {
  const loadBefore = os.loadavg()[0]!;
  const db = await benchDatabase("watch");
  const sim = await startSimThread({ seed: 13, binance: { weightLimitPerMinute: options.limit, windowMs: options.windowMs } });
  const children: ChildProcess[] = [];
  // the users' live checks run until the schedule is done (or the run fails)
  let done = false;
  let loops: Array<Promise<void>> = [];
  try {
    const { client } = db;
    // users and their bindings, as the dashboard stores them (sealed secrets), in bulk
    const userIds: string[] = [];
    for (let i = 0; i < options.users; i += 500) {
      const batch = Array.from({ length: Math.min(500, options.users - i) }, (_, j) => ({ id: `u${randomBytes(8).toString("hex")}`, email: `watch-${i + j}-${randomBytes(3).toString("hex")}@bench.local`, passwordHash: "-" }));
      await client.user.createMany({ data: batch });
      userIds.push(...batch.map((u) => u.id));
    }
    const owners: Array<{ userId: string; bindingId: string }> = [];
    for (let i = 0; i < options.bindings; i += 500) {
      const size = Math.min(500, options.bindings - i);
      const keys = await Promise.all(Array.from({ length: size }, () => sim.createKey({ exchange: "binance", permissions: READ_ONLY, ipWhitelist: ["127.0.0.1"] })));
      const data = keys.map((key, j) => {
        const userId = userIds[(i + j) % userIds.length]!;
        const id = `b${randomBytes(8).toString("hex")}`;
        owners.push({ userId, bindingId: id });
        return {
          id,
          userId,
          exchange: "binance",
          label: `Key ${i + j}`,
          apiKeyMasked: maskKey(key.apiKey),
          keyFingerprint: keyFingerprint("binance", key.apiKey),
          ...sealCredentials({ apiKey: key.apiKey, secret: key.secret }),
        };
      });
      await client.exchangeBinding.createMany({ data });
    }
    const periodMs = 24 * 3_600_000;
    await planSlots(client, periodMs);
    await client.$executeRaw`UPDATE "KeyWatchSlot" SET "dueAt" = now() - interval '1 second'`;
    log(`    ${options.bindings.toLocaleString("en-US")} bindings over ${options.users.toLocaleString("en-US")} users, all due; starting ${options.workers} workers…`);

    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: db.url,
      EXCHANGE_ORIGIN_BINANCE: sim.origin,
      // Binance's own limit and window are the pacers' defaults: configured only when scaled
      ...(options.limit === 6000 && options.windowMs === 60_000
        ? {}
        : { EXCHANGE_WEIGHT_LIMIT_BINANCE: String(options.limit), EXCHANGE_WEIGHT_WINDOW_MS_BINANCE: String(options.windowMs) }),
      KEY_WATCH_PERIOD_HOURS: "24",
    };
    await sim.resetStats();
    const started = Date.now();
    for (let i = 0; i < options.workers; i++) {
      const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/worker.ts", "--concurrency", "1", "--poll-seconds", "0.5", "--watch-lease-seconds", "60"], {
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

    const scheduled = async () => (await client.$queryRaw<Array<{ n: number }>>`SELECT count(DISTINCT "bindingId")::int AS n FROM "KeyCheck" WHERE source = 'scheduled'`)[0]!.n;
    // users' live checks, from this process (its own pacer on the same ledger), until the schedule is done

    const latencies: number[] = [];
    let notValid = 0;
    const context = { env: env as Record<string, string | undefined> };
    const loop = async () => {
      while (!done) {
        const { userId, bindingId } = owners[Math.floor(Math.random() * owners.length)]!;
        const t = performance.now();
        const facts = await checkKeyLive(client, userId, bindingId, { force: true, context }).catch(() => null);
        // only while the schedule still had work
        if (!done) {
          latencies.push(performance.now() - t);
          if (facts?.status !== "valid") notValid++;
        }
        await new Promise((r) => setTimeout(r, options.interactiveGapMs));
      }
    };
    // the live checks start once the schedule's checks have
    const expectedMs = (options.bindings / (options.limit * 0.96)) * options.windowMs;
    const deadline = started + 120_000 + 4 * expectedMs;
    while ((await scheduled()) === 0) {
      if (Date.now() > deadline) throw new Error("(e) the workers never started checking");
      await new Promise((r) => setTimeout(r, 200));
    }
    loops = Array.from({ length: options.interactiveLoops }, loop);
    let lastLog = Date.now();
    for (;;) {
      const n = await scheduled();
      if (n >= options.bindings) break;
      if (Date.now() > deadline) {
        // the figures of what was done are still worth reporting; the verdict says the rest
        log(`    stopped at the time limit: ${n} of ${options.bindings} checked`);
        break;
      }
      if (Date.now() - lastLog > 15_000) {
        lastLog = Date.now();
        log(`    ${n.toLocaleString("en-US")} of ${options.bindings.toLocaleString("en-US")} checked…`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    done = true;
    await Promise.all(loops);
    const seconds = (Date.now() - started) / 1000;
    const span = (await client.$queryRaw<Array<{ first: Date; last: Date }>>`SELECT min("checkedAt") AS first, max("checkedAt") AS last FROM "KeyCheck" WHERE source = 'scheduled'`)[0]!;

    for (const child of children) child.kill("SIGTERM");
    await Promise.all(children.map((child) => (child.exitCode !== null ? Promise.resolve() : new Promise((r) => child.once("exit", r)))));

    const stats = await sim.stats();
    const binance = (stats as unknown as { binance: { rateLimited429: number; banned418: number; windowPeaks: Record<string, number> } }).binance;
    const firstWindow = Math.floor(span.first.getTime() / options.windowMs) * options.windowMs;
    const lastWindow = Math.floor(span.last.getTime() / options.windowMs) * options.windowMs;
    const starts = Object.keys(binance.windowPeaks).map(Number).sort((a, b) => a - b);
    const windows = starts.map((start) => ({ offsetMs: start - starts[0]!, start, weight: binance.windowPeaks[String(start)]!, withWork: start > firstWindow && start < lastWindow }));
    const withWork = windows.filter((w) => w.withWork);
    const sorted = [...latencies].sort((a, b) => a - b);
    return {
      ...options,
      checked: await scheduled(),
      seconds,
      rateLimited429: binance.rateLimited429,
      banned418: binance.banned418,
      windows: windows.map(({ offsetMs, weight, withWork: w }) => ({ offsetMs, weight, withWork: w })),
      shareWhileWork: withWork.length ? withWork.reduce((sum, w) => sum + w.weight, 0) / (withWork.length * options.limit) : null,
      interactive: { count: sorted.length, p50Ms: percentile(sorted, 0.5), p95Ms: percentile(sorted, 0.95), maxMs: sorted.at(-1) ?? 0, notValid },
      loadBefore,
      loadAfter: os.loadavg()[0]!,
    };
  } finally {
    done = true;
    await Promise.all(loops);
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    await sim.close();
    await db.close();
  }
}
