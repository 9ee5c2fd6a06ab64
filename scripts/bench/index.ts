// npm run bench [-- --quick] [-- --only=a,b,c]: the export and backup benchmarks of
// docs/benchmarks.md, measured on this machine, printed as a table and written to that file
// (by a full run of all three at the stated sizes only). Each benchmark makes and drops its own
// databases. Not part of npm test.
//
//   (a) export-vs-copy.ts       export throughput at zero latency beside a plain COPY
//   (b) export-weight-limit.ts  a complete account's export against Binance's weight pools: share of the bound, requests
//   (c) backup-download.ts      backup download of 100k and 1M trades from the real server: rows/s, RSS
//   (d) dashboard-load.ts       50 signed-in sessions on GET /api/keys and the keys page during an
//                               export, beside the bare route /api/health (`npm run bench -- load` alone)
//   (e) key-watch-scale.ts      every binding of 1,000 users re-checked by three worker processes on
//                               one IP's Binance weight, with users' live checks timed meanwhile (`-- watch`)
//   (f) export-ip-share.ts      nine Binance exports by three worker processes at once on one IP's weight (`-- share`)
import { writeFile } from "node:fs/promises";
import os from "node:os";
import { parseArgs } from "node:util";
import { benchBackupDownloads } from "./backup-download";
import { benchDashboardLoad } from "./dashboard-load";
import { benchExportVersusCopy } from "./export-vs-copy";
import { benchExportAtWeightLimit } from "./export-weight-limit";
import { benchExportIpShare } from "./export-ip-share";
import { benchKeyWatchScale } from "./key-watch-scale";
import { describeMachine } from "./machine";
import { printTable, renderReport, type BenchResults, type RunInfo } from "./report";

const ALL = ["a", "b", "c", "d", "e", "f"];
const NAMES: Record<string, string> = { copy: "a", limit: "b", backup: "c", load: "d", watch: "e", share: "f" };
const { values: flags, positionals } = parseArgs({ options: { quick: { type: "boolean", default: false }, only: { type: "string" } }, allowPositionals: true });
const quick = flags.quick === true;
// `npm run bench -- load` (or --only=d) runs one part; names or letters
const picked = [...positionals, ...(flags.only ?? "").split(",")].map((s) => s.trim()).filter(Boolean).map((s) => NAMES[s] ?? s);
const only = new Set(picked.length ? picked : ALL);

// The stated sizes; --quick only checks that everything runs (same bound per second, smaller
// windows). (b)'s products: see export-weight-limit.ts for why these make /api+/sapi and /fapi
// the bottleneck together; its 200 ms a request is about what a server in Europe sees from
// Binance's API (in Tokyo), the case where latency, not weight, could set the pace.
const B_FULL = {
  products: {
    spot: { count: 1_000_000, markets: 30 },
    margin: { count: 150_000, markets: 5 },
    isolated_margin: { count: 50_000, markets: 3 },
    usdm: { count: 160_000, markets: 8 },
    coinm: { count: 80_000, markets: 6 },
  },
  ledger: { converts: 300, dust: 40, income: 270 },
  limits: { spot: 6000, fapi: 2400, dapi: 2400, uid: 180_000 },
  windowMs: 60_000,
  latencyMs: 200,
};
const B_QUICK = {
  products: {
    spot: { count: 60_000, markets: 30 },
    margin: { count: 10_000, markets: 5 },
    isolated_margin: { count: 4_000, markets: 3 },
    usdm: { count: 10_000, markets: 8 },
    coinm: { count: 5_000, markets: 6 },
  },
  ledger: { converts: 30, dust: 10, income: 30 },
  limits: { spot: 600, fapi: 240, dapi: 240, uid: 18_000 },
  windowMs: 6_000,
  sinceDays: 200,
  latencyMs: 200,
};
// (e): issue 13's sizes; --quick scales the window down by ten at the same weight per second
const E_FULL = { users: 1_000, bindings: 10_000, workers: 3, limit: 6000, windowMs: 60_000, interactiveLoops: 2, interactiveGapMs: 250 };
const E_QUICK = { users: 200, bindings: 2_000, workers: 3, limit: 600, windowMs: 6_000, interactiveLoops: 2, interactiveGapMs: 250 };
// (f): nine spot-only exports whose weight is a few windows' worth, at (b)'s 200 ms a request
const F_FULL = { bindings: 9, workers: 3, concurrency: 3, tradesPerBinding: 100_000, markets: 10, limit: 6000, windowMs: 60_000, latencyMs: 200 };
const F_QUICK = { bindings: 9, workers: 3, concurrency: 3, tradesPerBinding: 10_000, markets: 10, limit: 600, windowMs: 6_000, latencyMs: 200 };
const SIZES = quick
  ? { a: { trades: 20_000, markets: 10, complete: { scale: 0.1 } }, b: B_QUICK, c: [5_000, 50_000], d: { seconds: 3, exportTrades: 200_000 }, e: E_QUICK, f: F_QUICK }
  : { a: { trades: 200_000, markets: 30, complete: { scale: 1 } }, b: B_FULL, c: [100_000, 1_000_000], d: { seconds: 15, exportTrades: 2_000_000 }, e: E_FULL, f: F_FULL };

async function main(): Promise<void> {
  const started = Date.now();
  const run: RunInfo = {
    date: new Date().toISOString().slice(0, 10),
    quick,
    machine: await describeMachine(),
    loadBefore: os.loadavg()[0]!,
    loadAfter: 0,
    minutes: 0,
  };
  const results: BenchResults = {};
  if (only.has("a")) {
    console.log(`(a) export of ${SIZES.a.trades.toLocaleString("en-US")} trades beside COPY…`);
    results.a = await benchExportVersusCopy(SIZES.a);
  }
  if (only.has("b")) {
    const trades = Object.values(SIZES.b.products).reduce((sum, p) => sum + p.count, 0);
    console.log(`(b) export of a complete Binance account (${trades.toLocaleString("en-US")} trades) at every pool's weight limit (windows of ${SIZES.b.windowMs / 1000} s; about ${quick ? 1 : 5} min)…`);
    results.b = await benchExportAtWeightLimit(SIZES.b);
  }
  if (only.has("c")) {
    console.log(`(c) backup downloads of ${SIZES.c.map((n) => n.toLocaleString("en-US")).join(" and ")} trades…`);
    results.c = await benchBackupDownloads(SIZES.c, console.log);
  }
  if (only.has("d")) {
    console.log(`(d) the dashboard under load: 50 sessions, ${SIZES.d.seconds} s per path, beside an export…`);
    results.d = await benchDashboardLoad(SIZES.d, console.log);
  }
  if (only.has("e")) {
    console.log(`(e) the key watch: ${SIZES.e.bindings.toLocaleString("en-US")} bindings re-checked by ${SIZES.e.workers} workers on one IP's weight (${SIZES.e.limit} per ${SIZES.e.windowMs / 1000} s), users' live checks timed meanwhile…`);
    results.e = await benchKeyWatchScale(SIZES.e, console.log);
  }
  if (only.has("f")) {
    console.log(`(f) ${SIZES.f.bindings} Binance exports by ${SIZES.f.workers} workers at once on one IP's weight (${SIZES.f.limit} per ${SIZES.f.windowMs / 1000} s)…`);
    results.f = await benchExportIpShare(SIZES.f, console.log);
  }
  run.loadAfter = os.loadavg()[0]!;
  run.minutes = (Date.now() - started) / 60_000;
  printTable(results);
  if (quick) {
    // (b)'s one-time discovery alone is more than a whole scaled window, and (c)'s sizes are
    // a tenth and a twentieth: the verdicts only mean something at the stated sizes.
    console.log("\n--quick: a smoke test at small sizes; the targets hold only for a full run.");
  }
  if (only.size === ALL.length && !quick) {
    await writeFile("docs/benchmarks.md", renderReport(run, results));
    console.log("\nWritten to docs/benchmarks.md");
  } else {
    console.log("\n(--quick or --only: docs/benchmarks.md left as it is)");
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    // In full, unlike the app's logs (lib/errors.ts loggableError): every key here is a simulator's.
    console.error(error);
    process.exit(1);
  },
);
