import { randomBytes } from "node:crypto";
import { hashPassword } from "@/lib/auth/password";
import { benchBinding, benchUser, READ_ONLY } from "./fixtures";
import { ensureBuild, signIn, startNextServer } from "./next-server";
import { benchDatabase } from "./setup";
import { startSimThread } from "./sim-thread";

// (d) The dashboard under load: the production server (`next start`, its export worker on), 50
// signed-in sessions, each a user with two bound simulator keys, hammering GET /api/keys and
// then the keys page while an export of a large history runs in the same server. Beside them,
// in the same run and server, the bare route GET /api/health (no session, no database) gives
// what the server and this client manage with nothing else involved, and Auth.js's
// GET /api/auth/session (the session cookie decoded, no database) and GET /api/audit (session,
// the credential check and one query, no exchange) show where the time of a keys request goes.
// Each target is loaded on its own for the same time by 50 concurrent loops; the figures are
// completed requests per second and the 95th percentile latency.
//
// Before the export starts, the sign-in flood (issue 11, point 2): one signed-in user asks
// GET /api/keys 20 times a second for 30 s, first alone, then while 50 wrong-password sign-ins a
// second arrive through Auth.js's credentials endpoint, each from an address of its own (sent as
// X-Forwarded-For, which the server trusts from 127.0.0.1 here: the distributed attacker whom
// no per-IP limit stops), half of them for real accounts. The figure is the user's p95 with the
// flood over its p95 without.

export interface LoadFigure {
  target: string;
  path: string;
  requests: number;
  perSecond: number;
  p50Ms: number;
  p95Ms: number;
  errors: number;
}

export interface DashboardLoadResult {
  sessions: number;
  seconds: number;
  figures: LoadFigure[];
  /** The signed-in user's GET /api/keys without and with the sign-in flood. */
  signInFlood: SignInFloodResult;
  /** Whether the export was still running when the last phase ended (the load was "beside an export"). */
  exportRanThroughout: boolean;
  build: { built: boolean; seconds: number };
}

export interface SignInFloodResult {
  attemptsPerSecond: number;
  seconds: number;
  /** Sign-in attempts sent, and how the server answered them (Auth.js's error code, or "no code"). */
  attempts: number;
  outcomes: Record<string, number>;
  quiet: LoadFigure;
  flooded: LoadFigure;
}

const SESSIONS = 50;
const FLOOD_RATES = { attemptsPerSecond: 50, userRequestsPerSecond: 20 };

async function hammer(target: string, url: string, cookies: string[], seconds: number): Promise<LoadFigure> {
  const latencies: number[] = [];
  let errors = 0;
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    cookies.map(async (cookie) => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        try {
          const response = await fetch(url, { headers: { cookie }, redirect: "manual" });
          await response.arrayBuffer();
          if (response.status !== 200) errors++;
        } catch {
          errors++;
        }
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return { target, path: new URL(url).pathname, requests: latencies.length, perSecond: latencies.length / elapsed, p50Ms: at(0.5), p95Ms: at(0.95), errors };
}

/** One user's GET requests at a steady pace (the next one goes when it is due, or when the last answered). */
async function paced(target: string, url: string, cookie: string, seconds: number, perSecond: number): Promise<LoadFigure> {
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  for (let next = started; performance.now() < deadline; next += 1000 / perSecond) {
    const wait = next - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const t0 = performance.now();
    try {
      const response = await fetch(url, { headers: { cookie }, redirect: "manual" });
      await response.arrayBuffer();
      if (response.status !== 200) errors++;
    } catch {
      errors++;
    }
    latencies.push(performance.now() - t0);
  }
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return { target, path: new URL(url).pathname, requests: latencies.length, perSecond: latencies.length / elapsed, p50Ms: at(0.5), p95Ms: at(0.95), errors };
}

/** Wrong-password sign-ins at a fixed rate, each from its own address, until `stop` resolves. */
async function floodSignIns(origin: string, emails: string[], perSecond: number, stop: Promise<void>): Promise<{ attempts: number; outcomes: Record<string, number> }> {
  const csrf = await fetch(`${origin}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const jar = csrf.headers.getSetCookie().map((cookie) => cookie.split(";")[0]!).join("; ");
  const outcomes: Record<string, number> = {};
  const inFlight: Promise<void>[] = [];
  let stopped = false;
  void stop.then(() => (stopped = true));
  const started = performance.now();
  for (let i = 0; !stopped; i++) {
    const wait = started + (i * 1000) / perSecond - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    if (stopped) break;
    // 10.0.0.0/8, one address per attempt; every other attempt names a real account
    const address = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
    const email = i % 2 ? emails[i % emails.length]! : `nobody-${i}@flood.invalid`;
    inFlight.push(
      fetch(`${origin}/api/auth/callback/credentials`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", cookie: jar, "x-forwarded-for": address },
        body: new URLSearchParams({ email, password: `wrong guess ${i}`, csrfToken, callbackUrl: `${origin}/keys` }),
        redirect: "manual",
      }).then(
        async (response) => {
          await response.arrayBuffer();
          const location = response.headers.get("location") ?? "";
          const code = /[?&]code=([^&]+)/.exec(location)?.[1] ?? (response.status >= 500 ? `HTTP ${response.status}` : "no code");
          outcomes[code] = (outcomes[code] ?? 0) + 1;
        },
        () => {
          outcomes["network error"] = (outcomes["network error"] ?? 0) + 1;
        },
      ),
    );
  }
  await Promise.all(inFlight);
  return { attempts: inFlight.length, outcomes };
}

async function benchSignInFlood(origin: string, cookie: string, emails: string[], seconds: number, log: (line: string) => void): Promise<SignInFloodResult> {
  const url = `${origin}/api/keys`;
  const FLOOD = { ...FLOOD_RATES, seconds };
  log(`    sign-in flood: one user's GET /api/keys at ${FLOOD.userRequestsPerSecond}/s for ${FLOOD.seconds} s alone…`);
  const quiet = await paced("signed-in user, quiet", url, cookie, FLOOD.seconds, FLOOD.userRequestsPerSecond);
  log(`    …and for ${FLOOD.seconds} s with ${FLOOD.attemptsPerSecond} wrong-password sign-ins a second from distinct addresses…`);
  let stop!: () => void;
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  const flood = floodSignIns(origin, emails, FLOOD.attemptsPerSecond, stopped);
  const flooded = await paced("signed-in user, flood", url, cookie, FLOOD.seconds, FLOOD.userRequestsPerSecond);
  stop();
  const { attempts, outcomes } = await flood;
  return { attemptsPerSecond: FLOOD.attemptsPerSecond, seconds: FLOOD.seconds, attempts, outcomes, quiet, flooded };
}

export async function benchDashboardLoad(options: { seconds: number; exportTrades: number }, log: (line: string) => void): Promise<DashboardLoadResult> {
  const database = await benchDatabase("load");
  const { client } = database;
  // far limits: the export must keep running (and the live checks answer) for the whole run
  const sim = await startSimThread({ seed: 4, binance: { weightLimitPerMinute: 100_000_000 } });
  let server: Awaited<ReturnType<typeof startNextServer>> | undefined;
  try {
    const password = `bench-${randomBytes(6).toString("hex")}`;
    const passwordHash = await hashPassword(password);
    log(`    ${SESSIONS} users with two keys each…`);
    const users: Array<{ id: string; email: string; bindings: string[] }> = [];
    for (let i = 0; i < SESSIONS; i++) {
      const id = await benchUser(client, passwordHash);
      const { email } = await client.user.findUniqueOrThrow({ where: { id }, select: { email: true } });
      const bindings: string[] = [];
      for (const label of ["Main", "Bots"]) {
        const key = await sim.createKey({ exchange: "binance", permissions: READ_ONLY, ipWhitelist: ["127.0.0.1"] });
        bindings.push(await benchBinding(client, id, { exchange: "binance", label, apiKey: key.apiKey, secret: key.secret }));
      }
      users.push({ id, email, bindings });
    }
    const exporter = await benchUser(client, passwordHash);
    const { email: exporterEmail } = await client.user.findUniqueOrThrow({ where: { id: exporter }, select: { email: true } });
    const big = await sim.createKey({ exchange: "binance", permissions: READ_ONLY, trades: { count: options.exportTrades, markets: 30 } });
    const bigBinding = await benchBinding(client, exporter, { exchange: "binance", label: "Big history", apiKey: big.apiKey, secret: big.secret });

    log("    building the dashboard if the sources changed…");
    const build = await ensureBuild();
    server = await startNextServer({
      DATABASE_URL: database.url,
      AUTH_SECRET: process.env.AUTH_SECRET!,
      ENCRYPTION_KEY: process.env.ENCRYPTION_KEY!,
      EXCHANGE_ORIGIN_BINANCE: sim.origin,
      THROTTLE_SCALE: "1000",
      // the sign-in flood's attempts each come "through" this proxy from an address of their own
      TRUSTED_PROXIES: "127.0.0.1",
    });
    const { origin } = server;
    log("    signing in 50 sessions…");
    const cookies: string[] = [];
    for (const user of users) cookies.push(await signIn(origin, user.email, password));
    const exporterCookie = await signIn(origin, exporterEmail, password);

    // The flood first, with no export running: the two halves must differ only by the flood.
    for (let i = 0; i < 20; i++) await (await fetch(`${origin}/api/keys`, { headers: { cookie: cookies[0]! } })).arrayBuffer();
    const signInFlood = await benchSignInFlood(origin, cookies[0]!, users.map((u) => u.email), options.seconds * 2, log);

    const started = await fetch(`${origin}/api/keys/${bigBinding}/exports`, {
      method: "POST",
      headers: { cookie: exporterCookie, origin, "content-type": "application/json" },
      body: JSON.stringify({ fullScan: true }),
    });
    if (!started.ok) throw new Error(`(d) could not start the export: HTTP ${started.status} ${await started.text()}`);
    const { job } = (await started.json()) as { job: { id: string } };

    // Warm up every path (and the live facts cache, as a user who has the page open has it).
    for (const cookie of cookies.slice(0, 5)) for (const path of ["/api/health", "/api/auth/session", "/api/audit", "/api/keys", "/keys"]) await (await fetch(`${origin}${path}`, { headers: { cookie } })).arrayBuffer();
    await Promise.all(cookies.map(async (cookie) => (await fetch(`${origin}/api/keys`, { headers: { cookie } })).arrayBuffer()));

    const figures: LoadFigure[] = [];
    for (const [target, path] of [
      ["bare route", "/api/health"],
      ["session only", "/api/auth/session"],
      ["session + database", "/api/audit"],
      ["GET /api/keys", "/api/keys"],
      ["keys page", "/keys"],
    ] as const) {
      log(`    ${target} (${path}) for ${options.seconds} s…`);
      figures.push(await hammer(target, `${origin}${path}`, cookies, options.seconds));
    }
    const exportJob = await client.exportJob.findUniqueOrThrow({ where: { id: job.id }, select: { status: true } });
    return { sessions: SESSIONS, seconds: options.seconds, figures, signInFlood, exportRanThroughout: exportJob.status === "RUNNING", build };
  } finally {
    await server?.stop();
    await sim.close();
    await database.close();
  }
}
