import { spawn, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync, readlinkSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { buildIsStale } from "../lib/build-freshness";
import { nextCommand } from "../lib/next-command";
import { freePort } from "../../tests/support/pg-server";

// The production server for the backup benchmark: `next start` on the current build (built
// first when the sources changed, as `npm start` does), started exactly as `npm start` starts
// it (scripts/lib/next-command.ts), against the benchmark's database.
// Memory is read from /proc for the process that actually listens on the port: `next start`
// may serve from a child of the process we spawn.

const root = resolve(import.meta.dirname, "../..");

export async function ensureBuild(): Promise<{ built: boolean; seconds: number }> {
  if (!buildIsStale(root)) return { built: false, seconds: 0 };
  const started = performance.now();
  await new Promise<void>((done, fail) => {
    const child = spawn(resolve(root, "node_modules/.bin/next"), ["build"], {
      cwd: root,
      stdio: ["ignore", "pipe", "inherit"],
      env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
    });
    // Quiet unless it fails: then its report (type errors, say) is what the user needs.
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("exit", (code) => (code === 0 ? done() : fail(new Error(`next build exited with ${code}:\n${output}`))));
  });
  return { built: true, seconds: (performance.now() - started) / 1000 };
}

export interface NextServer {
  origin: string;
  /** The process listening on the port. */
  pid: number;
  stop(): Promise<void>;
}

export async function startNextServer(env: Record<string, string>): Promise<NextServer> {
  const port = await freePort();
  const server = nextCommand(root, ["start", "-p", String(port), "-H", "127.0.0.1"]);
  // BENCH_CPU_PROF=<folder>: the server writes a V8 CPU profile there when it stops (open it in
  // Chrome's DevTools, Performance tab), to see where a benchmark's server time goes.
  const profile = process.env.BENCH_CPU_PROF ? ["--cpu-prof", `--cpu-prof-dir=${resolve(process.env.BENCH_CPU_PROF)}`] : [];
  const child = spawn(server.command, [...profile, ...server.args], {
    cwd: root,
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, ...env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
  });
  const exited = new Promise<void>((done) => child.once("exit", () => done()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    }
  };
  try {
    const origin = `http://127.0.0.1:${port}`;
    await waitForHttp(`${origin}/api/auth/csrf`, child);
    const pid = listeningPid(child, port);
    return { origin, pid, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function waitForHttp(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`next start exited with ${child.exitCode}`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`the server did not answer ${url} within 60 s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The pid among `child` and its descendants that holds the listening socket of `port`. */
function listeningPid(child: ChildProcess, port: number): number {
  const inodes = new Set<string>();
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let text = "";
    try {
      text = readFileSync(table, "utf8");
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      const fields = line.trim().split(/\s+/);
      const local = fields[1];
      // state 0A = LISTEN; the port is the hex after the colon
      if (local && fields[3] === "0A" && parseInt(local.split(":")[1] ?? "", 16) === port) inodes.add(fields[9] ?? "");
    }
  }
  const parents = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // pid (comm) state ppid ...: comm may contain spaces, so read after the last ")"
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      // gone meanwhile
    }
  }
  const family = [child.pid!];
  for (let i = 0; i < family.length; i++) {
    for (const [pid, parent] of parents) if (parent === family[i]) family.push(pid);
  }
  for (const pid of family) {
    try {
      for (const fd of readdirSync(`/proc/${pid}/fd`)) {
        const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
        const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
        if (inode && inodes.has(inode)) return pid;
      }
    } catch {
      // not ours to read, or gone
    }
  }
  throw new Error(`no process of the server listens on port ${port}`);
}

/** VmRSS and VmHWM (peak) of a process, in bytes. */
export function memoryOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN) * 1024;
  return { rss: kb("VmRSS"), peak: kb("VmHWM") };
}

/** Resets VmHWM to the current RSS (Linux 4.0+: "5" in clear_refs). False if not allowed. */
export function resetPeak(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, "5");
    return true;
  } catch {
    return false;
  }
}

/** Signs in through Auth.js's credentials endpoint, as the login form does; returns the Cookie header. */
export async function signIn(origin: string, email: string, password: string): Promise<string> {
  const csrf = await fetch(`${origin}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const jar = csrf.headers.getSetCookie().map((cookie) => cookie.split(";")[0]!);
  const response = await fetch(`${origin}/api/auth/callback/credentials`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: jar.join("; ") },
    body: new URLSearchParams({ email, password, csrfToken, callbackUrl: `${origin}/keys` }),
    redirect: "manual",
  });
  const session = response.headers
    .getSetCookie()
    .map((cookie) => cookie.split(";")[0]!)
    .find((cookie) => cookie.startsWith("authjs.session-token="));
  if (!session) throw new Error(`sign-in failed (HTTP ${response.status}, ${response.headers.get("location") ?? "no redirect"})`);
  return session;
}
