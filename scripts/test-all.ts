// `npm test`: the whole suite, in the order that fails fastest on a broken tree: types, lint,
// schema-vs-migrations drift, unit, integration (real Postgres, simulator over HTTP), end-to-end
// (real Chromium). Every stage runs even when an earlier one failed, so one run shows all
// problems; the exit code is non-zero if any stage failed.
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
const results = resolve(root, "test-results");
rmSync(results, { recursive: true, force: true });
mkdirSync(results, { recursive: true });

interface Stage {
  name: string;
  command: string[];
  /** Runs beside the other such stages before it (single-threaded tools, two cores); its output is shown when it ends. */
  beside?: true;
  /** Reads passed/failed test counts, and each failure's name and first lines, from the runner's JSON report. */
  counts?: () => { passed: number; failed: number; failures: string[] };
}

// The failures are repeated at the very end because CI keeps only the tail of a long log.
const firstLines = (message: string) => message.split("\n").slice(0, 3).join("\n      ");

const bin = (name: string) => resolve(root, "node_modules/.bin", name);
const vitestCounts = (file: string) => () => {
  const report = JSON.parse(readFileSync(file, "utf8")) as {
    numPassedTests: number;
    numFailedTests: number;
    testResults: { name: string; message?: string; assertionResults: { fullName: string; status: string; failureMessages: string[] }[] }[];
  };
  const failures = report.testResults.flatMap((suite) => {
    const where = suite.name.replace(`${root}/`, "");
    const tests = suite.assertionResults.filter((test) => test.status === "failed");
    if (tests.length === 0 && suite.message) return [`${where}\n      ${firstLines(suite.message)}`];
    return tests.map((test) => `${where} › ${test.fullName}\n      ${firstLines(test.failureMessages[0] ?? "")}`);
  });
  return { passed: report.numPassedTests, failed: report.numFailedTests, failures };
};

interface PlaywrightSuite {
  title: string;
  file: string;
  specs: { title: string; ok: boolean; tests: { results: { status: string; error?: { message?: string } }[] }[] }[];
  suites?: PlaywrightSuite[];
}
const playwrightFailures = (suites: PlaywrightSuite[]): string[] =>
  suites.flatMap((suite) => [
    ...suite.specs
      .filter((spec) => !spec.ok)
      .map((spec) => {
        const error = spec.tests.flatMap((test) => test.results).find((result) => result.error)?.error?.message ?? "";
        return `${suite.file} › ${spec.title}\n      ${firstLines(error)}`;
      }),
    ...playwrightFailures(suite.suites ?? []),
  ]);

const stages: Stage[] = [
  { name: "typecheck", command: [bin("tsc"), "--noEmit", "-p", "."], beside: true },
  { name: "lint", command: [bin("eslint"), "."], beside: true },
  { name: "db:check", command: [bin("tsx"), "scripts/db-check.ts"], beside: true },
  ...(["unit", "integration"] as const).map((project) => ({
    name: project,
    command: [bin("vitest"), "run", "--project", project, "--reporter=default", "--reporter=json", `--outputFile.json=${results}/${project}.json`],
    counts: vitestCounts(`${results}/${project}.json`),
  })),
  {
    name: "e2e",
    command: [bin("playwright"), "test"],
    counts: () => {
      const report = JSON.parse(readFileSync(`${results}/e2e.json`, "utf8")) as {
        stats: { expected: number; unexpected: number; flaky: number };
        suites: PlaywrightSuite[];
      };
      return { passed: report.stats.expected, failed: report.stats.unexpected + report.stats.flaky, failures: playwrightFailures(report.suites) };
    },
  },
];

const only = process.argv.slice(2);
let passed = 0;
let failed = 0;
const failures: string[] = [];
const failedStages: string[] = [];
const started = Date.now();

/** Runs a stage, its output straight to ours or, `buffered`, kept until it ends. */
function run(stage: Stage, buffered: boolean): Promise<{ ok: boolean; output: string; seconds: number }> {
  const t0 = Date.now();
  return new Promise((resolvePromise) => {
    const child = spawn(stage.command[0]!, stage.command.slice(1), { cwd: root, stdio: buffered ? ["ignore", "pipe", "pipe"] : "inherit", env: process.env });
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const done = (ok: boolean) => resolvePromise({ ok, output, seconds: (Date.now() - t0) / 1000 });
    child.once("error", (error) => {
      output += `${error.message}\n`;
      done(false);
    });
    child.once("close", (code) => done(code === 0));
  });
}

function settle(stage: Stage, ok: boolean, seconds: number) {
  if (!ok) failedStages.push(stage.name);
  // next.config.js: the e2e stage's build need not check the types again.
  if (stage.name === "typecheck" && ok) process.env.MYITS_TYPES_CHECKED = "1";
  if (stage.counts) {
    try {
      const counts = stage.counts();
      passed += counts.passed;
      failed += counts.failed;
      failures.push(...counts.failures.map((failure) => `[${stage.name}] ${failure}`));
    } catch {
      if (!ok) failed += 1; // the runner crashed before reporting: a failure, never nothing
    }
  }
  console.log(`=== ${stage.name}: ${ok ? "ok" : "FAILED"} in ${seconds.toFixed(1)} s ===`);
}

const chosen = stages.filter((s) => only.length === 0 || only.includes(s.name));
for (let i = 0; i < chosen.length; ) {
  let end = i + 1;
  while (chosen[i]!.beside && end < chosen.length && chosen[end]!.beside) end++;
  const group = chosen.slice(i, end);
  i = end;
  if (group.length === 1 && !group[0]!.beside) {
    console.log(`\n=== ${group[0]!.name} ===`);
    const result = await run(group[0]!, false);
    settle(group[0]!, result.ok, result.seconds);
    continue;
  }
  const results = await Promise.all(group.map((stage) => run(stage, true)));
  group.forEach((stage, k) => {
    console.log(`\n=== ${stage.name} ===`);
    process.stdout.write(results[k]!.output);
    settle(stage, results[k]!.ok, results[k]!.seconds);
  });
}

console.log(`\nAll stages finished in ${((Date.now() - started) / 1000).toFixed(0)} s${failedStages.length ? `; failed: ${failedStages.join(", ")}` : ""}.`);
console.log(`tests: ${passed} passed, ${failed} failed`);
for (const failure of failures) console.log(`  ✗ ${failure}`);
process.exit(failedStages.length === 0 && passed > 0 ? 0 : 1);

