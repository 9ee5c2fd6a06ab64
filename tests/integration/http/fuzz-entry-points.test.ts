// Every entry point, found by looking at the files (a new route or action is fuzzed without
// anyone listing it): each method of app/api/**/route.ts and each exported server action of
// app/**/actions.ts (and app/actions/) is called signed in, with malformed, oversized and
// wrong-typed input and with another user's ids. Each answers a 4xx (an action: its error
// state, or the redirect it uses for invalid input), never a 5xx or a thrown error, and writes
// nothing: the row count of every table is the same afterwards, except the bookkeeping of
// refusals (per-IP throttle counters, failed sign-in attempts and their audit events) and of the
// exchange budget.

import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { noRequestMeta } from "@/lib/auth/request-meta";
import { signUp } from "@/lib/auth/sign-up";
import { createPrismaClient, type Db } from "@/lib/db";
import { useTestEnv } from "../../support/app-env";
import { callRoute, inRequestScope, ORIGIN, signInCookie } from "../../support/route-harness";
import { createSealedBinding } from "../../support/sealed-binding";
import { createTestDatabase, type TestDatabase } from "../../support/test-database";

const PASSWORD = "a long enough password";
const ROOT = path.resolve(import.meta.dirname, "../../..");
let database: TestDatabase;
let client: Db;
let cookie: string;
/** Ids that exist, but belong to another user. */
const theirs: Record<string, string> = {};
const problems: string[] = [];

// Tables a refusal may write to, and why.
const REFUSAL_BOOKKEEPING = new Set([
  "public.Throttle", // per-IP allowances count refused requests too
  "public.LoginAttempt", // a failed sign-in through Auth.js's callback is recorded
  "public.SignInBackoff",
  // the shared exchange budget's windows (lib/exchanges/pacing/ledger.ts): a valid read of the
  // key list re-checks the user's own stale keys in the background, and each request to the
  // exchange takes its weight there first; it holds no user's data
  "public.PacingLedger",
]);
const REFUSAL_EVENTS = /(failed|refused|denied)$/;

beforeAll(async () => {
  database = await createTestDatabase();
  useTestEnv(database.url);
  // Past the allowances, every request would be the throttle's 429 and nothing behind it would be reached.
  process.env.THROTTLE_SCALE = "1000";
  // A live check of the signed-in user's own key must fail fast, not go to the internet.
  process.env.EXCHANGE_ORIGIN_BINANCE = "http://127.0.0.1:9";
  client = createPrismaClient(database.url);
  const email = `fuzz-${Date.now()}@it.test`;
  const me = await signUp(client, { email, password: PASSWORD }, noRequestMeta);
  await createSealedBinding(client, me.id, { exchange: "binance", label: "Mine", apiKey: "fuzz-own-key-00000001", secret: "own-secret" });
  const other = await signUp(client, { email: `other-${email}`, password: PASSWORD }, noRequestMeta);
  theirs.id = await createSealedBinding(client, other.id, { exchange: "binance", label: "Theirs", apiKey: "fuzz-their-key-0000001", secret: "their-secret" });
  theirs.jobId = (await client.exportJob.create({ data: { userId: other.id, bindingId: theirs.id }, select: { id: true } })).id;
  theirs.sessionId = (await client.unbindSession.create({ data: { userId: other.id, bindingId: theirs.id, exchange: "binance", step: "backup", evidence: {} }, select: { id: true } })).id;
  theirs.targetId = (await client.notificationTarget.create({ data: { userId: other.id, name: "Theirs", url: "https://example.com/hook", secretEnc: "x" }, select: { id: true } })).id;
  const { handlers } = await import("@/auth");
  cookie = await signInCookie(handlers, email, PASSWORD);
}, 120_000);

afterAll(async () => {
  await client?.$disconnect();
  await database?.drop();
});

function filesUnder(dir: string, match: (file: string) => boolean): string[] {
  return readdirSync(path.join(ROOT, dir), { recursive: true, encoding: "utf8" })
    .filter(match)
    .map((file) => path.join(dir, file))
    .sort();
}

async function rowCounts(): Promise<Map<string, number>> {
  const pool = new pg.Pool({ connectionString: database.url, max: 1 });
  try {
    const { rows } = await pool.query<{ s: string; t: string }>(
      `SELECT table_schema AS s, table_name AS t FROM information_schema.tables WHERE table_type = 'BASE TABLE' AND table_schema IN ('public', 'pgboss') AND table_name <> '_prisma_migrations'`,
    );
    const counts = new Map<string, number>();
    for (const { s, t } of rows) counts.set(`${s}.${t}`, Number((await pool.query(`SELECT count(*)::int AS n FROM "${s}"."${t}"`)).rows[0].n));
    return counts;
  } finally {
    await pool.end();
  }
}

async function expectNothingWritten(before: Map<string, number>, since: Date): Promise<void> {
  const after = await rowCounts();
  const changed = [...after].filter(([table, n]) => n !== before.get(table) && table !== "public.AuditEvent" && !REFUSAL_BOOKKEEPING.has(table));
  expect(changed, "tables whose row count changed").toEqual([]);
  const events = await client.auditEvent.findMany({ where: { createdAt: { gte: since } }, select: { type: true } });
  expect(events.map((e) => e.type).filter((type) => !REFUSAL_EVENTS.test(type)), "only refusals are audited").toEqual([]);
}

// --- inputs ---------------------------------------------------------------------------------

const huge = "x".repeat(2_000_000);
const deep = `${"[".repeat(20_000)}${"]".repeat(20_000)}`;

/** Values for a dynamic segment named `name`: junk, and an id that exists but is someone else's. */
const segmentValues = (name: string): string[] => [
  "",
  "x",
  "a".repeat(5000),
  "../../etc/passwd",
  "constructor",
  "__proto__",
  "%00",
  "12345678901234567890123456789012345678901",
  ...(theirs[name] ? [theirs[name]] : []),
];

const BODIES: Array<[string, string]> = [
  ["not JSON", "{not json"],
  ["an array", "[1,2,3]"],
  ["null", "null"],
  ["wrong types", JSON.stringify({ exchange: 1, label: [], apiKey: {}, secret: true, bindingId: 7, type: 42, fullScan: "yes", reason: null })],
  ["prototype keys", '{"__proto__":{"admin":true},"constructor":{"prototype":{}},"type":"constructor"}'],
  ["an oversized string", JSON.stringify({ exchange: "binance", label: huge, apiKey: huge, secret: huge, bindingId: huge, type: huge })],
  ["deep nesting", deep],
  ["another user's key", JSON.stringify({ bindingId: theirs.id ?? "", reason: "cleanup", type: "confirm" })],
  ["an unknown exchange", JSON.stringify({ exchange: "constructor", label: "x", apiKey: "k".repeat(20), secret: "s".repeat(20) })],
];

// Query strings that are wrong; unknown parameters are ignored, which is fine (not5xx).
const QUERIES: Array<[string, "4xx" | "not5xx"]> = [
  ["?refresh=2&format=exe&limit=-5&before=abc", "4xx"],
  ["?refresh=1&refresh=0&format=zip&format=csv", "not5xx"],
  [`?refresh=${"1".repeat(10_000)}&limit=${"9".repeat(10_000)}&format=${"z".repeat(10_000)}`, "4xx"],
  [`?unknown=${"a".repeat(20_000)}`, "not5xx"],
];

// --- route handlers ---------------------------------------------------------------------------

interface RouteModule {
  file: string;
  urlPath: string;
  segments: string[];
  catchAll: string | null;
  readsQuery: boolean;
  methods: Record<string, (request: Request, context: { params: Promise<unknown> }) => Promise<Response>>;
}

async function discoverRoutes(): Promise<RouteModule[]> {
  const routes: RouteModule[] = [];
  for (const file of filesUnder("app/api", (f) => f.endsWith("route.ts"))) {
    const dir = path.dirname(file).replace(/^app/, "");
    const mod = (await import(/* @vite-ignore */ path.join(ROOT, file))) as Record<string, unknown>;
    // A handler that reads no query (the bare /api/health) rightly ignores one.
    const readsQuery = /searchParams/.test(readFileSync(path.join(ROOT, file), "utf8"));
    const methods = Object.fromEntries(Object.entries(mod).filter(([name, value]) => /^(GET|POST|PUT|PATCH|DELETE)$/.test(name) && typeof value === "function")) as RouteModule["methods"];
    routes.push({
      file,
      urlPath: dir,
      segments: [...dir.matchAll(/\[(\w+)\]/g)].map((m) => m[1]!),
      catchAll: /\[\.\.\.(\w+)\]/.exec(dir)?.[1] ?? null,
      readsQuery,
      methods,
    });
  }
  return routes;
}

function concrete(route: RouteModule, values: Record<string, string>): string {
  return route.urlPath.replace(/\[\.\.\.\w+\]/, "callback/credentials").replace(/\[(\w+)\]/g, (_, name: string) => encodeURIComponent(values[name] ?? "x"));
}

async function callRouteOnce(route: RouteModule, method: string, params: Record<string, unknown>, url: string, init: RequestInit, expectation: "4xx" | "not5xx", what: string) {
  const handler = route.methods[method]!;
  let response: Response;
  try {
    response = await callRoute(handler as never, new Request(url, { ...init, method, headers: { cookie, origin: ORIGIN, ...(init.headers as Record<string, string>) } }), params);
  } catch (error) {
    problems.push(`${method} ${route.urlPath} with ${what}: threw ${error instanceof Error ? error.name : typeof error}`);
    return;
  }
  const status = response.status;
  await response.body?.cancel();
  // Auth.js answers a refused callback with a redirect to its error page.
  const authRedirect = route.catchAll !== null && status >= 300 && status < 400;
  const ok = expectation === "4xx" ? (status >= 400 && status < 500) || authRedirect : status < 500;
  if (!ok) problems.push(`${method} ${route.urlPath} with ${what}: ${status}`);
}

describe("fuzzing every route handler and server action", () => {
  it("route handlers answer junk and other users' ids with a 4xx and write nothing", async () => {
    const routes = await discoverRoutes();
    expect(routes.map((r) => r.urlPath)).toEqual(expect.arrayContaining(["/api/keys", "/api/keys/[id]/restore", "/api/unbind/[sessionId]"]));
    const before = await rowCounts();
    const since = new Date();
    let calls = 0;
    for (const route of routes) {
      const variants: Array<Record<string, string>> = route.segments.length === 0 ? [{}] : route.segments.flatMap((name) => segmentValues(name).map((value) => ({ ...Object.fromEntries(route.segments.map((s) => [s, theirs[s] ?? "x"])), [name]: value })));
      for (const values of variants) {
        const params = route.catchAll ? { [route.catchAll]: ["callback", "credentials"] } : values;
        const base = `${ORIGIN}${concrete(route, values)}`;
        const label = JSON.stringify(values).slice(0, 80);
        for (const method of Object.keys(route.methods)) {
          if (method === "GET") {
            // a wrong id alone must already be refused; for routes without one, only wrong queries
            if (route.segments.length > 0) await callRouteOnce(route, method, params, base, {}, route.catchAll ? "not5xx" : "4xx", `params ${label}`);
            for (const [query, expectation] of QUERIES) {
              await callRouteOnce(route, method, params, `${base}${query}`, {}, route.segments.length > 0 && !route.catchAll ? "4xx" : route.readsQuery ? expectation : "not5xx", `params ${label}, query ${query.slice(0, 40)}`);
              calls++;
            }
          } else {
            for (const [what, body] of BODIES) {
              await callRouteOnce(route, method, params, base, { body, headers: { "content-type": "application/json" } }, "4xx", `params ${label}, ${what}`);
              calls++;
            }
            // the multipart upload: a body that is not one
            await callRouteOnce(route, method, params, base, { body: `--x\r\n${huge.slice(0, 100_000)}`, headers: { "content-type": "multipart/form-data; boundary=x" } }, "4xx", `params ${label}, broken multipart`);
          }
        }
      }
    }
    expect(calls).toBeGreaterThan(100);
    expect(problems).toEqual([]);
    await expectNothingWritten(before, since);
  }, 300_000);

  it("server actions answer junk and other users' ids with their error state and write nothing", async () => {
    const files = [...filesUnder("app", (f) => /(^|\/)actions\.ts$/.test(f)), ...filesUnder("app/actions", (f) => f.endsWith(".ts"))];
    const actions: Array<{ name: string; fn: (...args: unknown[]) => Promise<unknown>; takesInput: boolean }> = [];
    for (const file of [...new Set(files)]) {
      const source = readFileSync(path.join(ROOT, file), "utf8");
      expect(source.startsWith('"use server"'), `${file} is a server action module`).toBe(true);
      const mod = (await import(/* @vite-ignore */ path.join(ROOT, file))) as Record<string, unknown>;
      for (const [name, value] of Object.entries(mod)) {
        if (typeof value !== "function") continue;
        // Actions without a form (sign out, sign out everywhere, start TOTP enrolment...) have no input to get wrong.
        const takesInput = !new RegExp(`export (async function ${name}\\(\\)|const ${name} = \\w+Action\\(z\\.object\\(\\{\\}\\))`).test(source);
        actions.push({ name: `${file}#${name}`, fn: value as (...args: unknown[]) => Promise<unknown>, takesInput });
      }
    }
    expect(actions.length).toBeGreaterThan(10);
    const forms: Array<[string, () => FormData]> = [
      ["an empty form", () => new FormData()],
      ["wrong types", () => fill({ bindingId: "1", exchange: "1", enabled: "maybe", botIds: "x", items: "y", type: "constructor", to: "nowhere", code: "abc", url: "javascript:alert(1)", email: "not-an-email" })],
      ["oversized fields", () => fill({ bindingId: huge, label: huge, apiKey: huge, secret: huge, password: huge, email: huge, url: huge, reason: huge, code: huge, type: huge })],
      ["prototype names", () => fill({ __proto__: "x", constructor: "y", toString: "z", bindingId: "__proto__", targetId: "constructor", type: "__proto__" })],
      ["a file instead of text", () => withFile()],
      ["another user's ids", () => fill({ bindingId: theirs.id!, targetId: theirs.targetId!, sessionId: theirs.sessionId!, deliveryId: theirs.sessionId!, type: "confirm", enabled: "on" })],
    ];
    const before = await rowCounts();
    const since = new Date();
    for (const action of actions.filter((a) => a.takesInput)) {
      for (const [what, make] of forms) {
        const request = new Request(`${ORIGIN}/keys`, { method: "POST", headers: { cookie, origin: ORIGIN } });
        try {
          const state = (await inRequestScope(request, () => action.fn({}, make()))) as { ok?: boolean; message?: string } | undefined;
          if (!state || state.ok === true || typeof state.message !== "string") problems.push(`${action.name} with ${what}: answered ${JSON.stringify(state)?.slice(0, 120)}`);
        } catch (error) {
          // The redirect an action answers invalid input with is its error state.
          const digest = (error as { digest?: unknown }).digest;
          if (!(typeof digest === "string" && digest.startsWith("NEXT_REDIRECT"))) problems.push(`${action.name} with ${what}: threw ${error instanceof Error ? `${error.name}: ${error.message.slice(0, 100)}` : typeof error}`);
        }
      }
    }
    expect(problems).toEqual([]);
    await expectNothingWritten(before, since);
    // The actions without a form do what they do whatever is posted: they must not throw on a
    // stray form. (Signing out ends this test's session: Auth.js's signOut also needs a real
    // response to write its cookie into, which the harness does not give.)
    for (const action of actions.filter((a) => !a.takesInput && !/signOut/i.test(a.name))) {
      const request = new Request(`${ORIGIN}/settings/security`, { method: "POST", headers: { cookie, origin: ORIGIN } });
      await inRequestScope(request, () => action.fn(fill({ junk: huge })));
    }
  }, 300_000);
});

function fill(fields: Record<string, string>): FormData {
  const data = new FormData();
  for (const name of Object.keys(fields)) data.append(name, fields[name]!);
  // a field twice: only the first counts, the second must not confuse anything
  for (const name of Object.keys(fields)) data.append(name, "second");
  return data;
}

function withFile(): FormData {
  const data = new FormData();
  for (const name of ["bindingId", "exchange", "label", "apiKey", "secret", "password", "email", "url", "type", "code"]) data.append(name, new File([huge.slice(0, 100_000)], "x.bin"));
  return data;
}
