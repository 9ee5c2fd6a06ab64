import type { BackupBenchResult } from "./backup-download";
import type { DashboardLoadResult, LoadFigure } from "./dashboard-load";
import type { ExportIpShareResult } from "./export-ip-share";
import type { ExportVersusCopyResult } from "./export-vs-copy";
import type { KeyWatchScaleResult } from "./key-watch-scale";
import type { WeightLimitResult } from "./export-weight-limit";
import type { Machine } from "./machine";

// The targets, the verdicts and docs/benchmarks.md. Every number in the file comes from the run.

export interface RunInfo {
  date: string;
  quick: boolean;
  machine: Machine;
  /** One-minute load average before and after: other processes on the machine skew the numbers. */
  loadBefore: number;
  loadAfter: number;
  minutes: number;
}

export interface BenchResults {
  a?: ExportVersusCopyResult;
  b?: WeightLimitResult;
  c?: BackupBenchResult;
  d?: DashboardLoadResult;
  e?: KeyWatchScaleResult;
  f?: ExportIpShareResult;
}

const MB = 2 ** 20;

export const TARGETS = {
  /** Raised from 1/3 to what the 2026-11-30 run measured: the export must not fall back. */
  exportVersusCopy: 0.43,
  shareOfBound: 0.9,
  requestsOverMinimum: 1.1,
  /** The download's rows/s as a share of COPY ... TO STDOUT through zlib of the same rows, same run. */
  backupVersusCopy: 0.5,
  peakAboveIdleMb: 100,
  /** "The same for both sizes": the larger download may not need more than this much more memory. */
  peakGrowthMb: 20,
  /** (d) throughput as a share of the bare route's, same server, same run. */
  keysApiVersusBare: 0.8,
  keysPageVersusBare: 0.4,
  /** (d) a signed-in user's GET /api/keys p95 during 50 wrong sign-ins a second, over its p95 without. */
  floodP95Growth: 2,
  /** (e) the workers' use of one IP's weight in the windows with a backlog throughout. */
  watchShareOfBudget: 0.9,
  /** (e) a user's live check, p95, while the schedule runs. */
  watchLiveCheckP95Ms: 1000,
} as const;

interface Verdict {
  part: string;
  measure: string;
  value: string;
  target: string;
  pass: boolean;
}

const n = (x: number, digits = 0) => x.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
const pct = (x: number, digits = 1) => `${n(x * 100, digits)}%`;
const mb = (bytes: number) => `${n(bytes / MB, 1)} MB`;

export function verdicts(results: BenchResults): Verdict[] {
  const rows: Verdict[] = [];
  const { a, b, c, d, e, f } = results;
  if (a) {
    rows.push({ part: "(a)", measure: "export / COPY (legacy spot key)", value: `${n(a.exportRate)} / ${n(a.copyRate)} rows/s = ${n(a.ratio, 2)}`, target: `≥ ${n(TARGETS.exportVersusCopy, 2)}`, pass: a.ratio >= TARGETS.exportVersusCopy });
  }
  if (b) {
    rows.push({ part: "(b)", measure: "share of the bound (pools in parallel)", value: `${n(b.boundSeconds, 1)} s (${b.busiest}) / ${n(b.elapsedSeconds, 1)} s = ${pct(b.fraction)}`, target: "≥ 90%", pass: b.fraction >= TARGETS.shareOfBound });
    rows.push({ part: "(b)", measure: "429 / 418 answers, every pool", value: `${b.rateLimited429} / ${b.banned418}`, target: "0 / 0", pass: b.rateLimited429 === 0 && b.banned418 === 0 });
    rows.push({ part: "(b)", measure: "requests / minimum", value: `${n(b.requests)} / ${n(b.minimum)} = ${n(b.ratio, 3)}x`, target: "≤ 1.1x", pass: b.ratio <= TARGETS.requestsOverMinimum });
  }
  if (c) {
    for (const d of c.downloads) {
      rows.push({ part: "(c)", measure: `${n(d.rows)} trades: download / COPY + zlib`, value: `${n(d.rowsPerSecond)} / ${n(d.copy.rowsPerSecond)} rows/s = ${n(d.ratio, 2)}`, target: `≥ ${n(TARGETS.backupVersusCopy, 2)}`, pass: d.ratio >= TARGETS.backupVersusCopy });
      rows.push({ part: "(c)", measure: `${n(d.rows)} trades: peak RSS above idle`, value: mb(d.peakAboveIdle), target: `≤ ${TARGETS.peakAboveIdleMb} MB`, pass: d.peakAboveIdle / MB <= TARGETS.peakAboveIdleMb });
    }
    const first = c.downloads[0];
    const last = c.downloads.at(-1);
    if (first && last && first !== last) {
      const growth = last.peakAboveIdle - first.peakAboveIdle;
      rows.push({
        part: "(c)",
        measure: `peak RSS, ${n(last.rows)} vs ${n(first.rows)} trades`,
        value: `${growth >= 0 ? "+" : ""}${mb(growth)}`,
        target: `≤ +${TARGETS.peakGrowthMb} MB (the same)`,
        pass: growth / MB <= TARGETS.peakGrowthMb,
      });
    }
  }
  if (d) {
    const { quiet, flooded } = d.signInFlood;
    const growth = flooded.p95Ms / quiet.p95Ms;
    rows.push({
      part: "(d)",
      measure: `GET /api/keys p95 under ${d.signInFlood.attemptsPerSecond} wrong sign-ins/s / without`,
      value: `${n(flooded.p95Ms)} / ${n(quiet.p95Ms)} ms = ${n(growth, 2)}x`,
      target: `≤ ${TARGETS.floodP95Growth}x`,
      pass: growth <= TARGETS.floodP95Growth && flooded.errors === 0 && quiet.errors === 0,
    });
    const bare = figureOf(d, "/api/health");
    for (const [path, target] of [["/api/keys", TARGETS.keysApiVersusBare], ["/keys", TARGETS.keysPageVersusBare]] as const) {
      const f = figureOf(d, path);
      if (!bare || !f) continue;
      const ratio = f.perSecond / bare.perSecond;
      rows.push({ part: "(d)", measure: `${f.target}: req/s / bare route`, value: `${n(f.perSecond)} / ${n(bare.perSecond)} = ${n(ratio, 2)}x`, target: `≥ ${target}x`, pass: ratio >= target && f.errors === 0 });
    }
  }
  if (e) {
    rows.push({ part: "(e)", measure: "bindings checked by the schedule", value: `${n(e.checked)} of ${n(e.bindings)} in ${n(e.seconds, 1)} s`, target: "all", pass: e.checked >= e.bindings });
    rows.push({ part: "(e)", measure: `429 / 418 answers, ${n(e.bindings)} re-checks by ${e.workers} workers`, value: `${e.rateLimited429} / ${e.banned418}`, target: "0 / 0", pass: e.rateLimited429 === 0 && e.banned418 === 0 });
    const windows = e.windows.filter((w) => w.withWork).length;
    rows.push({
      part: "(e)",
      measure: "use of one IP's weight while there is work",
      value: e.shareWhileWork === null ? "no whole window with work" : `${pct(e.shareWhileWork)} (${windows} window${windows === 1 ? "" : "s"})`,
      target: `≥ ${pct(TARGETS.watchShareOfBudget, 0)}`,
      pass: e.shareWhileWork !== null && e.shareWhileWork >= TARGETS.watchShareOfBudget,
    });
    rows.push({
      part: "(e)",
      measure: "a user's live check meanwhile, p95",
      value: `${n(e.interactive.p95Ms)} ms (${n(e.interactive.count)} checks, ${e.interactive.notValid} not valid)`,
      target: `< ${n(TARGETS.watchLiveCheckP95Ms)} ms`,
      pass: e.interactive.p95Ms < TARGETS.watchLiveCheckP95Ms && e.interactive.notValid === 0 && e.interactive.count > 0,
    });
  }
  if (f) {
    rows.push({ part: "(f)", measure: `429 / 418 answers, ${f.bindings} exports by ${f.workers} workers`, value: `${f.rateLimited429} / ${f.banned418} (${f.succeeded} of ${f.bindings} succeeded)`, target: "0 / 0", pass: f.rateLimited429 === 0 && f.banned418 === 0 && f.succeeded === f.bindings });
    rows.push({ part: "(f)", measure: "share of one IP's bound, together", value: `${n(f.boundSeconds, 1)} s / ${n(f.elapsedSeconds, 1)} s = ${pct(f.fraction)}`, target: "≥ 90%", pass: f.fraction >= TARGETS.shareOfBound });
  }
  return rows;
}

function figureOf(d: DashboardLoadResult, path: string): LoadFigure | undefined {
  return d.figures.find((f) => f.path === path);
}

export function printTable(results: BenchResults): void {
  const rows = verdicts(results).map((v) => [v.part, v.measure, v.value, v.target, v.pass ? "PASS" : "FAIL"]);
  const header = ["", "Measure", "Value", "Target", ""];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i]!)).join("  ");
  console.log(`\n${line(header)}\n${widths.map((w) => "-".repeat(w)).join("  ")}`);
  for (const row of rows) console.log(line(row));
  if (results.d) {
    console.log("\n(d) target                 req/s     p50     p95  errors");
    const flood = results.d.signInFlood;
    console.log(`    sign-in flood: ${n(flood.attempts)} attempts answered: ${Object.entries(flood.outcomes).map(([code, count]) => `${code} ${n(count)}`).join(", ")}`);
    for (const f of [...results.d.figures, flood.quiet, flood.flooded]) console.log(`    ${f.target.padEnd(20)} ${n(f.perSecond).padStart(7)} ${`${n(f.p50Ms)} ms`.padStart(7)} ${`${n(f.p95Ms)} ms`.padStart(7)} ${String(f.errors).padStart(7)}`);
  }
}

function summary(results: BenchResults): string[] {
  return [
    "| | Measure | Value | Target | Result |",
    "|---|---|---|---|---|",
    ...verdicts(results).map((v) => `| ${v.part} | ${v.measure} | ${v.value} | ${v.target} | **${v.pass ? "PASS" : "FAIL"}** |`),
  ];
}

function partA(a: ExportVersusCopyResult): string[] {
  const c = a.complete;
  const rows = (r: Record<string, number>) => Object.entries(r).filter(([, count]) => count > 0).map(([table, count]) => `${n(count)} ${table}`).join(", ");
  return [
    "## (a) Export throughput beside COPY",
    "",
    `A simulated Binance key with ${n(a.trades)} trades over ${a.markets} markets, served at zero latency with the weight limits lifted, exported by \`runExport\` exactly as an export job runs it (HTTP, ccxt, the Binance adapter, one transaction per page holding the records, the cursor and the progress), full scan. It is the key of earlier runs, a legacy spot-only key: the export now also asks about margin, isolated margin, USDⓈ-M and COIN-M, and, since the key has none of them (empty margin accounts, no futures account), that costs a few requests and no rows. The simulator runs on a worker thread of the benchmark process: a real exchange does not spend the exporter's CPU, but on this machine it still competes for the same cores.`,
    "",
    "The ceiling is Postgres's own `COPY ... FROM` of the same rows (written to files by the server just before: every column the export wrote, effects included) into the same tables, with the same indexes, on the same database, in the same run.",
    "",
    "| | Records | Time | Records/s |",
    "|---|---|---|---|",
    `| Export, legacy spot key (${n(a.requests)} HTTP requests) | ${n(a.records)} | ${n(a.exportSeconds, 2)} s | ${n(a.exportRate)} |`,
    `| COPY of the same rows | ${n(a.records)} | ${n(a.copySeconds, 2)} s | ${n(a.copyRate)} |`,
    `| Export / COPY | | | **${n(a.ratio, 2)}** (target ≥ ${n(TARGETS.exportVersusCopy, 2)}: ${a.ratio >= TARGETS.exportVersusCopy ? "PASS" : "FAIL"}) |`,
    `| Export, complete account (${n(c.requests)} HTTP requests) | ${n(c.records)} | ${n(c.exportSeconds, 2)} s | ${n(c.exportRate)} |`,
    `| COPY of the same rows | ${n(c.records)} | ${n(c.copySeconds, 2)} s | ${n(c.copyRate)} |`,
    `| Export / COPY, complete account | | | ${n(c.ratio, 2)} (informational) |`,
    "",
    `The complete account (informational, no target): ${rows(c.rows)}: spot, cross and isolated margin, USDⓈ-M and COIN-M trades, their income, convert and dust, deposits and withdrawals, read over the last 200 days with every pool's limit lifted.`,
    "",
    "Where the export's time goes (the legacy key's export instrumented through `onPage`, same sizes, 2026-12-01, load 2.2-3.2): the page transactions take 92% of the wall time (7.0 of 7.65 s), waiting for the next page under 2% (the request for page n+1 is in flight while page n is stored). Of the transactions, the 200 pages with trades take about 6 s and the 234 answers without records about 0.8-1.3 s: the other products' empty markets, the empty convert, dust and income windows, each still a transaction that saves the cursor (about 5 KB of JSON now that it holds every product's tasks) and the progress. The recordset INSERT of the same 200,000 trades alone, 1000 to a transaction with nothing else, ran at 39,000 rows/s (44,000 without the new effects column), 0.46 of the 84,000 rows/s that (a)'s COPY measured minutes before: the store path itself, not the exchange side, sets the ceiling, and the export spends the rest on the cursor and progress of every page and on sharing the two cores with the simulator, HTTP, ccxt and JSON. The ratio also moves with the machine's load: 0.27 in a full run at load 2.0 earlier on 2026-12-01, " + n(a.ratio, 2) + " in the run above. On 2026-11-30 the same INSERT ran at 55,000 rows/s; since then every trade row carries its product and its effects (jsonb) and the unique key has four columns. Reaching 0.43 again needs the store path: e.g. no transaction for answers without records (their cursor can be saved with the next page that has some, as a re-read empty answer costs nothing), and a smaller cursor per page.",
    "",
  ];
}

function partB(b: WeightLimitResult): string[] {
  const quick = b.windowMs !== 60_000;
  const trades = Object.values(b.stored.trades).reduce((sum, x) => sum + x, 0);
  const product = (p: keyof WeightLimitResult["products"], name: string) => `${name} ${n(b.products[p].count)} over ${b.products[p].markets} markets`;
  const seconds = (ms: number) => `${n(ms / 1000, 1)} s`;
  return [
    "## (b) A complete account's export against Binance's weight pools",
    "",
    `A complete Binance account: ${product("spot", "spot")}, ${product("margin", "cross margin")}, ${product("isolated_margin", "isolated margin")}, ${product("usdm", "USDⓈ-M")} (all within the 3 months of income Binance serves), ${product("coinm", "COIN-M")}; ${n(b.ledger.converts)} convert trades, ${n(b.ledger.dust)} dust conversions, ${n(b.ledger.income)} funding rows per futures product besides the commission and realized-P&L rows of every futures trade; deposits and withdrawals. The simulator enforces every pool${quick ? " (windows scaled down for --quick: the same weight per second)" : ""}: ${POOLS_LINE(b)} per ${n(b.windowMs / 1000)} s fixed window, the used-weight headers, 429 past a limit and 418 for a client that keeps going. The export runs as in production: the production pacer (\`createPacer("weight")\`: one WeightPacer per pool, each spending its budget less a 2% reserve as fast as requests come), four streams at once (one per pool), no full scan, ${b.sinceDays ? `and (--quick only) history from ${b.sinceDays} days back` : "and no `since`, so transfers are read back to 2017 in 90-day windows and convert from 2019 in 30-day ones"}; the simulator answers ${b.latencyMs ? `after ${b.latencyMs} ms` : "at once"}. The run starts on a window boundary.`,
    "",
    "**The bound.** The pools are independent, so the export cannot end before its busiest pool has spent its weight at that pool's limit: max over pools of weight / limit. The share of the bound is that time over the actual elapsed time. A pool's weight is what the exchange counted (the highest used-weight header of each window, summed), not the adapter's table. The sizes make /api+/sapi (spot trades: 20 weight per 1000) and /fapi (USDⓈ-M trades at 5 per 1000, but about 1.7 income rows per trade at 30 per 1000) need about the same time, so the measure shows whether the streams keep two pools busy at once rather than one after the other.",
    "",
    "| Measure | Value |",
    "|---|---|",
    `| Run | ${n(b.records)} records (${n(trades)} trades, ${n(b.stored.income)} income rows, ${n(b.stored.transfers)} transfers, ${n(b.stored.conversions)} conversions) in ${n(b.elapsedSeconds, 1)} s = ${n(b.recordsPerSecond)} records/s; every one checked against the simulator's ground truth |`,
    `| Bound: the busiest pool (${b.busiest}) at its limit | ${n(b.boundSeconds, 1)} s |`,
    `| Share of the bound | **${pct(b.fraction)}** (target ≥ 90%: ${b.fraction >= TARGETS.shareOfBound ? "PASS" : "FAIL"}) |`,
    `| 429 / 418 answers | **${b.rateLimited429} / ${b.banned418}** over all pools (target 0 / 0: ${b.rateLimited429 === 0 && b.banned418 === 0 ? "PASS" : "FAIL"}) |`,
    `| Requests / minimum | **${n(b.ratio, 3)}x** = ${n(b.requests)} / ${n(b.minimum)} (target ≤ 1.1x: ${b.ratio <= TARGETS.requestsOverMinimum ? "PASS" : "FAIL"}) |`,
    "",
    "Per pool (weight as the exchange counted it; bound = limit × elapsed. The time columns cover the pool's first request to its last answer: pacer waits (how many times a request waited for the next window, and the waiting summed over requests), in flight (summed over requests: up to three markets' trade pages are in flight at once in a stream), and idle: nothing in flight and nobody asking, because the stream is parsing a page, its page waits to be stored, or its work is done):",
    "",
    "| Pool | Weight | Limit × elapsed | Share | Windows needed | Weight per window | Requests / minimum | 429 / 418 | Pacer waits | In flight | Idle |",
    "|---|---|---|---|---|---|---|---|---|---|---|",
    ...b.pools.map(
      (p) =>
        `| ${p.name} | ${n(p.weight)} | ${n(p.limit)} × ${n(b.elapsedSeconds / (b.windowMs / 1000), 2)} = ${n((p.limit * b.elapsedSeconds) / (b.windowMs / 1000))} | ${pct(p.shareOfElapsed)} | ${n(p.windowsNeeded, 2)} | ${p.perWindow.map((w) => n(w)).join(", ")} | ${n(p.requests)} / ${n(p.minimum)} | ${p.rateLimited429} / ${p.banned418} | ${n(p.pacerWaits)}, ${seconds(p.pacerWaitMs)} | ${seconds(p.inFlightMs)} | ${seconds(p.idleMs)} |`,
    ),
    "",
    `**Where the time goes.** The busiest pool, ${b.pools.find((x) => x.pool === b.busiest)!.name}, spent in each whole window what its pacer allows (${n(b.limits[b.busiest] - Math.ceil(b.limits[b.busiest] * 0.02))} of ${n(b.limits[b.busiest])}: the 2% reserve is kept for other processes' requests in flight) and waited for the next window with its budget spent; a new window is used ${n(Math.min(1000, b.windowMs / 50) / 1000, 1)} s after its nominal start (the pacer's guard against a clock ahead of the exchange's); with three markets in flight the pool was idle ${n(b.pools.find((x) => x.pool === b.busiest)!.idleMs / 1000, 1)} s in all. Its first window carried ${n(b.pools.find((x) => x.pool === b.busiest)!.perWindow[0] ?? 0)}: a new pacer does not know the server's limit until the server has accepted a window's weight, so up to that level it sends one request at a time (requests still in flight when a 429 comes back would arrive after it, which earns a ban), and at ${b.latencyMs} ms an answer the serial start (deposits and withdrawals back to 2017, the listings, then trades) cannot fill the window. From the second window on the pool runs three markets at once. In production one pacer serves every export of a process (lib/exchanges/pacing/shared.ts), so this is paid once per process, not per export; the benchmark starts from a new one. The streams' last page was stored ${n(b.tail.lastStreamPageSeconds, 1)} s after the start; reading the balances of every wallet for the reconciliation then took ${n(b.tail.balancesSeconds, 1)} s, and storing the last page and building the coverage report over all ${n(b.records)} records ${n(b.tail.finishSeconds, 1)} s. The other pools' windows are in the table above: one whose windows stay full while the busiest pool is still at work kept pace in parallel rather than after it.`,
    "",
    `**The minimum** per pool: one request per 1000 trades of each market (${b.tradeRequests.map((t) => `${t.endpoint} ${n(t.requests)} of a minimum ${n(t.minimum)}`).join("; ")}); per window each time-ordered endpoint accepts and per full page in it (deposits and withdrawals 90 days back to July 2017, convert 30 days back to 2019, COIN-M income a year, USDⓈ-M income its 3 months, dust 100 operations a request); and the listings and balances the export needs (exchangeInfo per pool; account, margin accounts and futures balances once to find the markets and once at the end for the reconciliation). Above it: ${n(b.emptyTradePages)} trade-history answers were empty (markets asked about because a held or moved asset points to them, but never traded: spot at 20 weight, cross and isolated margin pairs at 10, futures perpetuals; the price of not missing a market, as Binance lists no account's traded markets), and the adapter's windows where the API takes longer ones: COIN-M income in 30-day windows back to 2017 where the simulator (after Binance) accepts a year (about 100 requests, 2,000 /dapi weight, here in a pool that is not the busiest), and dust in 90-day windows where one request serves the newest 100 operations.`,
    "",
    `Requests served: ${Object.entries(b.byPath).sort(([x], [y]) => x.localeCompare(y)).map(([path, count]) => `${path} ${n(count)}`).join(", ")}.`,
    "",
  ];
}

function POOLS_LINE(b: WeightLimitResult): string {
  return `/api+/sapi ${n(b.limits.spot)}, /fapi ${n(b.limits.fapi)}, /dapi ${n(b.limits.dapi)} IP weight and the UID weight of convert ${n(b.limits.uid)}`;
}

function partC(c: BackupBenchResult): string[] {
  return [
    "## (c) Backup download",
    "",
    "The production server (`next start` on the current build, pg-boss worker included, as `npm start` runs it) against a database of its own; the benchmark signs in through Auth.js's credentials endpoint (CSRF token, then the callback) and downloads `GET /api/keys/[id]/backup?format=zip` as fast as it can read: archive format 2 (trades.csv with its product and effects columns, transfers.csv, conversions.csv and income.csv, empty here, coverage.json, key.json, bots.json and the manifest with every file's SHA-256). The 100,000 trades are the simulator's Binance records stored as the export stores them; the 1,000,000 are ten copies of those (other trade ids, later times). Each download is checked: the row count in `X-Backup-Rows`, and the Backup row the server records when the last byte has gone out (rows and size).",
    "",
    `Memory is the resident set of the process that listens on the port (found through /proc, since \`next start\` may serve from a child). Idle: the mean of 10 samples over 2 s after three warm-up downloads of 2,000 trades and a 3 s pause: **${mb(c.idleRss)}**. Peak: the larger of VmHWM ${c.peakResetWorked ? "(reset before each download through /proc/<pid>/clear_refs)" : "(could not be reset here, so not used)"} and VmRSS sampled every 25 ms during the download.`,
    "",
    "| Trades | Time | Rows/s | Archive | COPY + zlib | Rows/s | Download / COPY | Peak RSS | Above idle | RSS after |",
    "|---|---|---|---|---|---|---|---|---|---|",
    ...c.downloads.map(
      (d) =>
        `| ${n(d.rows)} | ${n(d.seconds, 2)} s | ${n(d.rowsPerSecond)} | ${mb(d.bytes)} | ${n(d.copy.seconds, 2)} s, ${mb(d.copy.bytes)} | ${n(d.copy.rowsPerSecond)} | **${n(d.ratio, 2)}** | ${mb(d.peakRss)} | ${mb(d.peakAboveIdle)} | ${mb(d.rssAfter)} |`,
    ),
    "",
    `The baseline is Postgres's own \`COPY (SELECT ...) TO STDOUT\` of the same rows (the columns trades.csv is made of, in the download's order: (tradedAt, id)), read by psql and deflated by Node's zlib at the archive's level (6), measured right after each download in the same run: the fastest this machine turns those rows into a compressed CSV, with no HTTP, Auth.js, route, CSV writer or ZIP around it. It replaces the absolute 50,000 rows/s target, because this machine's speed varies threefold between days (COPY of the same 200k rows measured 99k rows/s on one day, 29k on another).`,
    "",
    "Where the download's time goes beyond the baseline (not profiled in this run): the same rows leave Postgres through Prisma's driver adapter in keyset batches rather than one COPY stream, become CSV in JavaScript on the server's one main thread (which also serves HTTP, runs Auth.js and the pg-boss worker) while zlib deflates on the thread pool, and every file is hashed (SHA-256) for the manifest; the archive's other files are small here.",
    ...(c.downloads.length > 1
      ? [
          "",
          `From ${n(c.downloads[0]!.rows)} to ${n(c.downloads.at(-1)!.rows)} trades the baseline went from ${n(c.downloads[0]!.copy.rowsPerSecond)} to ${n(c.downloads.at(-1)!.copy.rowsPerSecond)} rows/s and the download from ${n(c.downloads[0]!.rowsPerSecond)} to ${n(c.downloads.at(-1)!.rowsPerSecond)}, so the ratio depends on the size too: each size is judged on its own.`,
        ]
      : []),
    "",
    `Targets: the download at least ${n(TARGETS.backupVersusCopy, 2)} of COPY + zlib; peak RSS at most ${TARGETS.peakAboveIdleMb} MB above the idle server's; and the same for both sizes, taken as the 10x larger download needing at most ${TARGETS.peakGrowthMb} MB more (memory that grew with the rows would show about ten times the smaller download's figure).`,
    ...(c.build.built ? ["", `(The sources had changed since the last build, so the run built the dashboard first: ${n(c.build.seconds)} s, not part of any figure.)`] : []),
    "",
  ];
}

function partD(d: DashboardLoadResult): string[] {
  const bare = figureOf(d, "/api/health");
  return [
    "## (d) The dashboard under load",
    "",
    `The production server as in (c), ${d.sessions} users signed in through Auth.js, each with two bound simulator keys, and an export of a large history running in the server's own worker${d.exportRanThroughout ? " for the whole measurement" : " (it finished before the last phase: the later figures are without it)"}. Each row is ${d.sessions} concurrent loops on one path for ${d.seconds} s, one after the other, from the benchmark process on the same machine (it takes CPU from the server too). The bare route GET /api/health (no session, no database) is the server's ceiling in this run; Auth.js's GET /api/auth/session (the JWT decoded, no database) and GET /api/audit (the session checked against the user's credential version, one query, no exchange) tell where a keys request spends its time. The live facts are cached (warmed before the run, as for a user who has the page open).`,
    "",
    "| Target | Path | Requests | Req/s | vs bare | p50 | p95 | p95 vs bare | Errors |",
    "|---|---|---|---|---|---|---|---|---|",
    ...d.figures.map((f) => `| ${f.target} | \`${f.path}\` | ${n(f.requests)} | ${n(f.perSecond)} | ${bare ? `${n(f.perSecond / bare.perSecond, 2)}x` : ""} | ${n(f.p50Ms)} ms | ${n(f.p95Ms)} ms | ${bare ? `${n(f.p95Ms / bare.p95Ms, 1)}x` : ""} | ${f.errors} |`),
    "",
    `Targets: GET /api/keys at least ${TARGETS.keysApiVersusBare}x the bare route's throughput, the keys page at least ${TARGETS.keysPageVersusBare}x.`,
    "",
    "Where the time goes (V8 CPU profiles of the server, `BENCH_CPU_PROF=<folder> npm run bench -- --only=d`, 2026-12-01): Next's own routing of every request is the largest share in every phase. The session check no longer runs Auth.js's `auth()` (a whole Auth.js request per call, the token decoded and encoded again, the key derived by HKDF on the thread pool each time): the token is read with the derived key kept and each verified token remembered (lib/auth/session-claims.ts, session-jwt.ts), and the credential version is checked against a per-process cache that Postgres invalidates by NOTIFY (lib/auth/session-user-cache.ts). The keys list and page read the bindings once; what remains on them is Next's rendering of a dynamic page and the live re-checks once the facts' minute is up, each building a new ccxt exchange instance (shown stale while one check runs behind it, lib/keys/live-facts.ts).",
    "",
    ...floodSection(d),
  ];
}

function floodSection(d: DashboardLoadResult): string[] {
  const f = d.signInFlood;
  const outcomes = Object.entries(f.outcomes).sort((a, b) => b[1] - a[1]).map(([code, count]) => `${code} ${n(count)}`).join(", ");
  return [
    "### A signed-in user during a sign-in flood",
    "",
    `Before the export starts, in the same server: one signed-in user asks GET /api/keys ${n(f.quiet.perSecond)} times a second for ${f.seconds} s alone, then for ${f.seconds} s while ${f.attemptsPerSecond} wrong-password sign-ins a second go to Auth.js's credentials endpoint, each from an address of its own (X-Forwarded-For, trusted from 127.0.0.1 for this run: an attacker spread over many addresses, whom no per-IP limit stops), every other one for a real account. ${n(f.attempts)} attempts were answered: ${outcomes}.`,
    "",
    "| Phase | Requests | p50 | p95 | Errors |",
    "|---|---|---|---|---|",
    ...[f.quiet, f.flooded].map((x) => `| ${x.target} | ${n(x.requests)} | ${n(x.p50Ms)} ms | ${n(x.p95Ms)} ms | ${x.errors} |`),
    "",
    `Target: the p95 with the flood at most ${TARGETS.floodP95Growth}x the p95 without (measured: ${n(f.flooded.p95Ms / f.quiet.p95Ms, 2)}x).`,
    "",
  ];
}

function partE(e: KeyWatchScaleResult, quick: boolean): string[] {
  const withWork = e.windows.filter((w) => w.withWork);
  return [
    "## (e) The key watch at scale: one IP's budget shared by every process",
    "",
    `${n(e.bindings)} Binance bindings over ${n(e.users)} users, all due at once, re-checked by ${e.workers} \`npm run worker\` processes (the key watch: a tick each as they start, then the minute's schedule; four checks at a time per tick) against the simulator, whose /api+/sapi weight limit, ${n(e.limit)} per ${n(e.windowMs / 1000)} s fixed window${quick ? " (scaled down for --quick: the same weight per second)" : ""}, is the one IP's budget${quick ? " (configured for the scaled windows; at the stated sizes the pacers start from Binance's default)" : ""}. Every process paces by the same Postgres ledger (lib/exchanges/pacing/ledger.ts), the workers' checks as background work. Meanwhile the benchmark process, standing for a web process, runs users' live checks (\`checkKeyLive\`, forced, so each asks the exchange), ${e.interactiveLoops} loops one after the other with ${e.interactiveGapMs} ms between, and times them. Measured at the simulator: 429 and 418 answers, and the weight of each window; the windows "while there is work" are those after the window of the first scheduled check and before the window of the last.`,
    "",
    "| Measure | Value |",
    "|---|---|",
    `| Scheduled checks | ${n(e.checked)} in ${n(e.seconds, 1)} s (from the workers' start) |`,
    `| 429 / 418 | ${e.rateLimited429} / ${e.banned418} |`,
    `| Use of the budget while there is work | ${e.shareWhileWork === null ? "no whole window with work" : `**${pct(e.shareWhileWork)}** over ${withWork.length} window(s)`} (target ≥ ${pct(TARGETS.watchShareOfBudget, 0)}) |`,
    `| Weight per window (s from the first: weight${e.windows.some((w) => w.withWork) ? ", * with work throughout" : ""}) | ${e.windows.map((w) => `${n(w.offsetMs / 1000)}: ${n(w.weight)}${w.withWork ? "*" : ""}`).join(", ")} |`,
    `| Users' live checks meanwhile | ${n(e.interactive.count)}: p50 ${n(e.interactive.p50Ms)} ms, **p95 ${n(e.interactive.p95Ms)} ms**, max ${n(e.interactive.maxMs)} ms; ${e.interactive.notValid} not valid (target p95 < ${n(TARGETS.watchLiveCheckP95Ms)} ms) |`,
    `| Load average | ${n(e.loadBefore, 2)} before, ${n(e.loadAfter, 2)} after |`,
    "",
  ];
}

function partF(f: ExportIpShareResult, quick: boolean): string[] {
  return [
    "## (f) Exports by several worker processes on one IP's weight",
    "",
    `${f.bindings} Binance keys, ${n(f.tradesPerBinding)} spot trades each over ${f.markets} markets, queued together and exported by ${f.workers} \`npm run worker\` processes, ${f.concurrency} exports at a time each (discovery, no full scan), all pacing by the same Postgres ledger. The simulator's /api+/sapi limit, ${n(f.limit)} per ${n(f.windowMs / 1000)} s fixed window${quick ? " (scaled down for --quick: the same weight per second)" : ""}, is the IP's budget; it answers after ${f.latencyMs} ms. **The bound:** the exports together cannot end before their weight (what the simulator counted, ${n(f.weight)}) has been spent at the limit: ${n(f.boundSeconds, 1)} s; the share of the bound is that over the time from the first export's start to the last one's end.`,
    "",
    "| Measure | Value |",
    "|---|---|",
    `| Exports | ${f.succeeded} of ${f.bindings} succeeded |`,
    `| 429 / 418 | ${f.rateLimited429} / ${f.banned418} |`,
    `| Share of the bound | **${pct(f.fraction)}** (${n(f.boundSeconds, 1)} s / ${n(f.elapsedSeconds, 1)} s; target ≥ 90%) |`,
    `| Weight per window | ${f.perWindow.map((w) => n(w)).join(", ")} |`,
    `| Load average | ${n(f.loadBefore, 2)} before, ${n(f.loadAfter, 2)} after |`,
    "",
  ];
}

export function renderReport(run: RunInfo, results: BenchResults): string {
  const m = run.machine;
  const lines = [
    "# Benchmarks",
    "",
    `Measured by \`npm run bench${run.quick ? " -- --quick" : ""}\` on **${run.date}**${run.quick ? " (**quick run: smaller sizes and a scaled-down weight window; not the stated sizes**)" : ""}. The file is rewritten by every full run.`,
    "",
    `**Machine:** ${m.cpu}, ${m.cores} cores, ${n(m.memoryGiB, 1)} GiB RAM; Node ${m.node}; PostgreSQL ${m.postgres} (${m.postgresKind}, default settings). One-minute load average ${n(run.loadBefore, 2)} before and ${n(run.loadAfter, 2)} after the run (other processes on the machine take cores from it); the run took ${n(run.minutes, 1)} minutes.`,
    "",
    "## Summary",
    "",
    ...summary(results),
    "",
    ...(results.a ? partA(results.a) : []),
    ...(results.b ? partB(results.b) : []),
    ...(results.c ? partC(results.c) : []),
    ...(results.d ? partD(results.d) : []),
    ...(results.e ? partE(results.e, run.quick) : []),
    ...(results.f ? partF(results.f, run.quick) : []),
    "## What the numbers changed in the code",
    "",
    "- A WeightPacer lets requests go side by side only up to a window weight the server has already accepted, and Binance's UID pool (convert, a /sapi path) waits while /api+/sapi is held back by a 429 or 418 (lib/exchanges/pacing): with three markets in flight, the pacing test with an unknown limit met bans, from the requests in flight when the 429 came back and from a convert page sent 75 ms after it. The price is the first window of a new pacer, sent one request at a time; before this change the full (b) at 200 ms measured 95.2% of the bound (load 0.5-1.7).",
    "- A Binance export stream reads the trades of three markets at once (lib/exchanges/binance/export-history.ts, `TRADE_LANES`). With one request at a time, latency alone capped a pool: with the simulator answering after 200 ms, (b) at scaled windows measured 67% of the bound, the /api+/sapi pool never waiting for its window and always one request in flight; with three markets at once, 93%. At zero latency the full (b) measured 96.9% before the change (load 4.5-7 on this machine, 2026-12-01): there the stream's own pauses (parsing, the page waiting to be stored: 54 s idle of 244 s) still left the pool enough time to spend each window's budget.",
    "- The export requests page n+1 from the exchange while page n is being stored (lib/backups/read-ahead.ts); before, it did one after the other.",
    "- Pages are stored with a plain INSERT; `ON CONFLICT DO NOTHING` made the page inserts 12-18% slower here and is only needed when trades from elsewhere (an imported archive, a reset cursor) are already stored, so the export switches to it for the rest of a run when a page meets one (lib/backups/records/store-records.ts).",
    "- After each page, the cursor and the job's progress are saved by one SQL statement in the page's transaction; Prisma's upsert and update there took about a fifth of a zero-latency export (34k to 41k trades/s).",
    "- Backups read trades by keyset pagination on (tradedAt, id); the index had no id, so every batch scanned the binding's trades from the start (15k rows/s at 100k trades). The index now ends with id (migration 20261130034500).",
    "- Raw records leave Postgres as jsonb text and go into trades.csv as they are (JsonText), instead of being parsed into objects and printed again; this also keeps numbers past 2^53 exact.",
    "- trades.csv is deflated by Node's zlib on the thread pool (lib/backups/archive/native-deflate.ts) instead of fflate's JavaScript deflate on the main thread, and the next batch is queried while this one becomes CSV: 40k to about 60k rows/s through the server.",
    "- The server runs with `--heap-growing-percent=25` (scripts/lib/next-command.ts): V8 let the old generation grow to four times the live heap before collecting, so a download's promoted garbage made the peak RSS grow with the backup (+110 MB at 100k trades, +300 MB at 1M). Now it stays within about 30 MB of idle at both sizes.",
    "",
    "Run it again with `npm run bench` (about 7 minutes on this machine); `npm run bench -- --quick` is a smoke test at small sizes and leaves this file alone.",
    "",
  ];
  return lines.join("\n");
}
