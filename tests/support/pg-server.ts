// Which Postgres server the tests use, and throwaway databases on it.
//
// Order: the server of DATABASE_URL when set (its server only: tests never touch that
// database), else the machine's server on 127.0.0.1:5432 when it accepts connections, else an
// embedded Postgres in a temporary folder. TEST_POSTGRES=embedded skips the machine's server.
// Shared by the vitest integration setup, Playwright and scripts/db-check.ts.

import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { startEmbeddedPostgres } from "../../lib/embedded-postgres";

export const LOCAL_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres";

export interface PgServer {
  /** URL of the server's `postgres` maintenance database: create and drop databases with it. */
  adminUrl: string;
  kind: "database-url" | "local" | "embedded";
  /** Stops the server if this process started it (embedded); otherwise does nothing. */
  stop(): Promise<void>;
}

export interface ChoosePgServerOptions {
  env?: Record<string, string | undefined>;
  /** Accept a DATABASE_URL on another machine (scripts that only add and drop their own database). */
  allowRemoteDatabaseUrl?: boolean;
}

/** Picks the server for this run; see the top of the file. */
export async function choosePgServer(options: ChoosePgServerOptions = {}): Promise<PgServer> {
  const env = options.env ?? process.env;
  const databaseUrl = env.DATABASE_URL?.trim();
  if (databaseUrl) {
    if (!options.allowRemoteDatabaseUrl) assertLocalDatabaseUrl(databaseUrl, env);
    return { adminUrl: databaseUrlOn(databaseUrl, "postgres"), kind: "database-url", stop: async () => {} };
  }
  // TEST_POSTGRES=embedded skips the machine's server: to exercise the zero-configuration path.
  if (env.TEST_POSTGRES !== "embedded" && (await canConnect(LOCAL_ADMIN_URL))) {
    return { adminUrl: LOCAL_ADMIN_URL, kind: "local", stop: async () => {} };
  }
  return startTemporaryEmbeddedServer();
}

/**
 * Tests create and drop databases: refuse a server that is not on this machine, so a
 * DATABASE_URL copied from production cannot be hit by accident.
 */
export function assertLocalDatabaseUrl(url: string, env: Record<string, string | undefined> = process.env): void {
  if (env.ALLOW_REMOTE_TEST_DB === "1") return;
  const host = new URL(url).hostname.replace(/^\[|\]$/g, "");
  if (!["127.0.0.1", "localhost", "::1"].includes(host)) {
    throw new Error(
      `Refusing to run tests against the Postgres server at "${host}" (from DATABASE_URL): tests create ` +
        "and drop databases. Use a local server, or set ALLOW_REMOTE_TEST_DB=1 if this server is disposable.",
    );
  }
}

/** The same server and credentials as `url`, with another database. */
export function databaseUrlOn(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}

/** A database name no other run or test uses: `<prefix>_<random>`, e.g. myits_test_4242_k3j9x0q1. */
export function uniqueDatabaseName(prefix = `myits_test_${process.pid}`): string {
  return `${prefix}_${randomBytes(5).toString("hex")}`;
}

/** Runs `work` with a connection to the admin database of `adminUrl`. */
export async function withAdminClient<T>(adminUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Creates database `name` (a copy of `template` when given) and returns its URL. */
export async function createDatabase(adminUrl: string, name: string, options: { template?: string } = {}): Promise<string> {
  await withAdminClient(adminUrl, async (client) => {
    const sql =
      `CREATE DATABASE ${client.escapeIdentifier(name)}` +
      (options.template ? ` TEMPLATE ${client.escapeIdentifier(options.template)}` : "");
    // Copying a template fails while another session is connected to it (55006), which can
    // happen for a moment when parallel test files clone it: retry briefly.
    for (let attempt = 1; ; attempt++) {
      try {
        await client.query(sql);
        return;
      } catch (error) {
        if ((error as { code?: string }).code !== "55006" || attempt === 20) throw error;
        await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
      }
    }
  });
  return databaseUrlOn(adminUrl, name);
}

/** Drops database `name` if it exists, ending its open sessions. */
export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  await withAdminClient(adminUrl, (client) =>
    client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`),
  );
}

/** Drops every database whose name starts with `prefix` (what a crashed test left behind). */
export async function dropDatabasesWithPrefix(adminUrl: string, prefix: string): Promise<string[]> {
  const names = await withAdminClient(adminUrl, async (client) => {
    const { rows } = await client.query<{ datname: string }>(
      "SELECT datname FROM pg_database WHERE starts_with(datname, $1)",
      [prefix],
    );
    return rows.map((row) => row.datname);
  });
  for (const name of names) await dropDatabase(adminUrl, name);
  return names;
}

/** True when `url` accepts a connection within `timeoutMs`. */
export async function canConnect(url: string, timeoutMs = 2_000): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

async function startTemporaryEmbeddedServer(): Promise<PgServer> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "myits-test-pg-"));
  try {
    const server = await startEmbeddedPostgres({
      dataDir,
      port: await freePort(),
      // A throwaway server: durability only costs time here.
      postgresFlags: ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"],
    });
    return {
      adminUrl: server.adminUrl,
      kind: "embedded",
      stop: async () => {
        await server.stop();
        await fs.rm(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await fs.rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}

/** A TCP port on 127.0.0.1 that nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
