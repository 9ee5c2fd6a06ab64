// `npm test`: the whole suite, in the order that fails fastest on a broken tree: types, lint,
// schema-vs-migrations drift, unit, integration (real Postgres, simulator over HTTP), end-to-end
// (real Chromium). Every stage runs even when an earlier one failed, so one run shows all
// problems; the exit code is non-zero if any stage failed.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
const results = resolve(root, "test-results");
rmSync(results, { recursive: true, force: true });
mkdirSync(results, { recursive: true });

interface Stage {
  name: string;
  command: string[];
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
  { name: "typecheck", command: [bin("tsc"), "--noEmit", "-p", "."] },
  { name: "lint", command: [bin("eslint"), "."] },
  { name: "db:check", command: [bin("tsx"), "scripts/db-check.ts"] },
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

for (const stage of stages.filter((s) => only.length === 0 || only.includes(s.name))) {
  console.log(`\n=== ${stage.name} ===`);
  const t0 = Date.now();
  const run = spawnSync(stage.command[0]!, stage.command.slice(1), { cwd: root, stdio: "inherit", env: process.env });
  const ok = run.status === 0;
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
  console.log(`=== ${stage.name}: ${ok ? "ok" : "FAILED"} in ${((Date.now() - t0) / 1000).toFixed(1)} s ===`);
}

console.log(`\nAll stages finished in ${((Date.now() - started) / 1000).toFixed(0)} s${failedStages.length ? `; failed: ${failedStages.join(", ")}` : ""}.`);
console.log(`tests: ${passed} passed, ${failed} failed`);
for (const failure of failures) console.log(`  ✗ ${failure}`);
process.exit(failedStages.length === 0 && passed > 0 ? 0 : 1);

