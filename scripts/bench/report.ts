import type { BackupBenchResult } from "./backup-download";
import type { DashboardLoadResult, LoadFigure } from "./dashboard-load";
import type { ExportVersusCopyResult } from "./export-vs-copy";
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
}

const MB = 2 ** 20;

export const TARGETS = {
  exportVersusCopy: 1 / 3,
  shareOfBound: 0.9,
  requestsOverMinimum: 1.1,
  backupRowsPerSecond: 50_000,
  peakAboveIdleMb: 100,
  /** "The same for both sizes": the larger download may not need more than this much more memory. */
  peakGrowthMb: 20,
  /** (d) throughput as a share of the bare route's, same server, same run. */
  keysApiVersusBare: 0.8,
  keysPageVersusBare: 0.4,
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
  const { a, b, c, d } = results;
  if (a) {
    rows.push({ part: "(a)", measure: "export / COPY", value: `${n(a.exportRate)} / ${n(a.copyRate)} rows/s = ${n(a.ratio, 2)}`, target: "≥ 0.33", pass: a.ratio >= TARGETS.exportVersusCopy });
  }
  if (b) {
    rows.push({ part: "(b)", measure: "trades/s / bound", value: `${n(b.rateInWholeWindows)} / ${n(b.boundPerSecond)} = ${pct(b.fraction)}`, target: "≥ 90%", pass: b.fraction >= TARGETS.shareOfBound });
    rows.push({ part: "(b)", measure: "429 / 418 answers", value: `${b.rateLimited429} / ${b.banned418}`, target: "0 / 0", pass: b.rateLimited429 === 0 && b.banned418 === 0 });
    rows.push({ part: "(b)", measure: "requests / minimum", value: `${b.requests} / ${b.minimum.total} = ${n(b.ratio, 3)}x`, target: "≤ 1.1x", pass: b.ratio <= TARGETS.requestsOverMinimum });
  }
  if (c) {
    for (const d of c.downloads) {
      rows.push({ part: "(c)", measure: `${n(d.rows)} trades: rows/s`, value: n(d.rowsPerSecond), target: `≥ ${n(TARGETS.backupRowsPerSecond)}`, pass: d.rowsPerSecond >= TARGETS.backupRowsPerSecond });
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
    const bare = figureOf(d, "/api/health");
    for (const [path, target] of [["/api/keys", TARGETS.keysApiVersusBare], ["/keys", TARGETS.keysPageVersusBare]] as const) {
      const f = figureOf(d, path);
      if (!bare || !f) continue;
      const ratio = f.perSecond / bare.perSecond;
      rows.push({ part: "(d)", measure: `${f.target}: req/s / bare route`, value: `${n(f.perSecond)} / ${n(bare.perSecond)} = ${n(ratio, 2)}x`, target: `≥ ${target}x`, pass: ratio >= target && f.errors === 0 });
    }
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
    for (const f of results.d.figures) console.log(`    ${f.target.padEnd(20)} ${n(f.perSecond).padStart(7)} ${`${n(f.p50Ms)} ms`.padStart(7)} ${`${n(f.p95Ms)} ms`.padStart(7)} ${String(f.errors).padStart(7)}`);
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
  return [
    "## (a) Export throughput beside COPY",
    "",
    `A simulated Binance key with ${n(a.trades)} trades over ${a.markets} markets, served at zero latency with the weight limit lifted, exported by \`runExport\` exactly as an export job runs it (HTTP, ccxt, the Binance adapter, one transaction per page holding the trades, the cursor and the progress), full scan. The simulator runs on a worker thread of the benchmark process: a real exchange does not spend the exporter's CPU, but on this machine it still competes for the same cores.`,
    "",
    "The ceiling is Postgres's own `COPY ... FROM` of the same rows (written to a file by the server just before) into the same table, with the same indexes, on the same database, in the same run.",
    "",
    "| | Rows | Time | Rows/s |",
    "|---|---|---|---|",
    `| Export (${n(a.requests)} HTTP requests) | ${n(a.trades)} | ${n(a.exportSeconds, 2)} s | ${n(a.exportRate)} |`,
    `| COPY | ${n(a.trades)} | ${n(a.copySeconds, 2)} s | ${n(a.copyRate)} |`,
    `| Export / COPY | | | **${n(a.ratio, 2)}** (target ≥ 0.33: ${a.ratio >= TARGETS.exportVersusCopy ? "PASS" : "FAIL"}) |`,
    "",
    "Where the export's time goes (one run instrumented through `onPage`, same sizes): the page's statements inside the transaction 86% of the wall time, waiting for the next page 7% (the request for page n+1 is in flight while page n is stored), the commit 5%. The recordset INSERT alone runs at about 55,000 rows/s here; in the export, Postgres shares the two cores with the simulator and with Node's HTTP, ccxt and JSON work, which is what keeps the export at about a third of COPY.",
    "",
  ];
}

function partB(b: WeightLimitResult): string[] {
  const quick = b.windowMs !== 60_000;
  const myTrades = b.byPath["/api/v3/myTrades"] ?? 0;
  return [
    "## (b) Export against the Binance weight limit",
    "",
    `The simulator enforces Binance's IP weight limit: ${n(b.limit)} weight per ${n(b.windowMs / 1000)} s fixed window${quick ? " (scaled down for --quick: the same weight per second)" : " (the real one)"}, \`X-MBX-USED-WEIGHT-1M\` on every answer, 429 past the limit and 418 for a client that keeps going. The export runs as in production: the default pacer (\`createPacer("weight")\`: the whole budget less a 2% reserve, bursting early in each window), no full scan, and no \`since\`, so deposits and withdrawals are read back to 2017 in 90-day windows. The key has ${n(b.trades)} trades over ${b.markets} markets; the run starts on a window boundary.`,
    "",
    `**The bound.** myTrades weighs 20 and returns at most 1000 trades, so no client can export more than limit / 20 × 1000 = ${n((b.limit / 20) * 1000)} trades per window, i.e. **${n(b.boundPerSecond)} trades/s**. The measured rate is the trades committed during the whole windows of the run (${b.wholeWindows} × ${n(b.windowMs / 1000)} s) divided by their length; the last, partial window is left out because a burst at the start of a fixed window would flatter it. The history is sized for four whole windows so that the one-time discovery (exchangeInfo, account, the transfer history, the empty probes below: about 1,000 weight) weighs on the rate as on a long export; over two whole windows (600,000 trades) it measured 87.8%.`,
    "",
    "| Measure | Value |",
    "|---|---|",
    `| Run | ${n(b.exportedTrades)} trades in ${n(b.elapsedSeconds, 1)} s (${n(b.overallRate)} trades/s over the whole run) |`,
    `| Trades in the ${b.wholeWindows} whole windows | ${n(b.tradesInWholeWindows)} = ${n(b.rateInWholeWindows)} trades/s |`,
    `| Share of the bound | **${pct(b.fraction)}** (target ≥ 90%: ${b.fraction >= TARGETS.shareOfBound ? "PASS" : "FAIL"}) |`,
    `| Weight used per window (highest \`X-MBX-USED-WEIGHT-1M\` seen) | ${b.weightPerWindow.map((w) => n(w)).join(", ")} of ${n(b.limit)} |`,
    `| 429 / 418 answers | **${b.rateLimited429} / ${b.banned418}** (target 0 / 0: ${b.rateLimited429 === 0 && b.banned418 === 0 ? "PASS" : "FAIL"}) |`,
    `| Requests served by the simulator | ${n(b.requests)}: ${Object.entries(b.byPath).map(([path, count]) => `${path} ${count}`).join(", ")} |`,
    `| Minimum for the markets exported | ${n(b.minimum.total)} = ${n(b.minimum.myTrades)} myTrades (Σ ⌈trades / 1000⌉ over the ${b.marketsExported} markets) + ${b.minimum.fixed} to find them (exchangeInfo, account, ${(b.minimum.fixed - 2) / 2} windows each of deposits and withdrawals) |`,
    `| Requests / minimum | **${n(b.ratio, 3)}x** (target ≤ 1.1x: ${b.ratio <= TARGETS.requestsOverMinimum ? "PASS" : "FAIL"}) |`,
    `| Markets | ${b.marketsTraded} traded, ${b.marketsExported} exported${b.missedMarkets.length ? ` (missed: ${b.missedMarkets.join(", ")})` : ""}; ${b.hiddenMarkets} of them leave no trace of their base asset; myTrades asked about ${b.candidates} markets |`,
    `| myTrades requests that returned nothing | ${n(b.emptyMyTrades)} of ${n(myTrades)} (${pct(b.emptyMyTrades / Math.max(1, myTrades))} of the myTrades weight) |`,
    "",
    "**Which markets the export asks about.** Binance has no endpoint that lists the markets an account traded, so the adapter asks myTrades about every spot market whose base *or* quote asset the account holds or moved (deposits, withdrawals). The quote side is needed: an asset bought with USDT and sold again in full, never deposited or withdrawn — a bot that is flat, as bots are once stopped before an unbind — has a zero balance (omitted, and Binance's full balance list shows every listed asset at zero anyway) and no transfer, so only its quote asset points to the market. Markets of a held quote asset that were never traded cost one empty myTrades call each (20 weight); that is the price of not losing those trades, and it is what the empty requests above are. In the simulator the held quote assets cover all 75 of its markets, so the default discovery asks about every one (like a full scan); on the real exchange it is hundreds of markets per held quote asset.",
    "",
  ];
}

function partC(c: BackupBenchResult): string[] {
  return [
    "## (c) Backup download",
    "",
    "The production server (`next start` on the current build, pg-boss worker included, as `npm start` runs it) against a database of its own; the benchmark signs in through Auth.js's credentials endpoint (CSRF token, then the callback) and downloads `GET /api/keys/[id]/backup?format=zip` as fast as it can read. The 100,000 trades are the simulator's Binance records stored as the export stores them; the 1,000,000 are ten copies of those (other trade ids, later times). Each download is checked: the row count in `X-Backup-Rows`, and the Backup row the server records when the last byte has gone out (rows and size).",
    "",
    `Memory is the resident set of the process that listens on the port (found through /proc, since \`next start\` may serve from a child). Idle: the mean of 10 samples over 2 s after three warm-up downloads of 2,000 trades and a 3 s pause: **${mb(c.idleRss)}**. Peak: the larger of VmHWM ${c.peakResetWorked ? "(reset before each download through /proc/<pid>/clear_refs)" : "(could not be reset here, so not used)"} and VmRSS sampled every 25 ms during the download.`,
    "",
    "| Trades | Time | Rows/s | Archive | Peak RSS | Above idle | RSS after |",
    "|---|---|---|---|---|---|---|",
    ...c.downloads.map((d) => `| ${n(d.rows)} | ${n(d.seconds, 2)} s | ${n(d.rowsPerSecond)} | ${mb(d.bytes)} | ${mb(d.peakRss)} | ${mb(d.peakAboveIdle)} | ${mb(d.rssAfter)} |`),
    "",
    `Targets: at least ${n(TARGETS.backupRowsPerSecond)} rows/s; peak RSS at most ${TARGETS.peakAboveIdleMb} MB above the idle server's; and the same for both sizes, taken as the 10x larger download needing at most ${TARGETS.peakGrowthMb} MB more (memory that grew with the rows would show about ten times the smaller download's figure).`,
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
    "## What the numbers changed in the code",
    "",
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
