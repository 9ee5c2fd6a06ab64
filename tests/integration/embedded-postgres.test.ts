// Local mode's embedded Postgres, started for real in fresh mktemp folders (about 2 s each):
// the app connects as a role of its own that is not a superuser and owns its database, the
// superuser's password is the generated one (postgres/postgres is refused), a data folder from
// before the generated passwords is brought to the same state, and a folder the postgres user
// cannot reach (root in a mktemp folder) is refused with a paragraph that says what to do.

import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { EmbeddedPostgresError, startEmbeddedPostgres } from "@/lib/embedded-postgres";
import { loadOrCreateLocalSecrets } from "@/lib/local-secrets";
import { APP_ROLE, startLocalDatabase } from "../../scripts/lib/local-database";
import { freePort } from "../support/pg-server";

const folders: string[] = [];
afterAll(() => folders.forEach((folder) => rmSync(folder, { recursive: true, force: true })));

/** A fresh mktemp folder; `reachable` opens it to other users (as root, Postgres runs as postgres). */
function freshFolder(reachable = true): string {
  const folder = mkdtempSync(join(tmpdir(), "myits-embedded-"));
  folders.push(folder);
  if (reachable) chmodSync(folder, 0o711);
  return folder;
}

async function query<T extends pg.QueryResultRow>(config: string | pg.ClientConfig, sql: string): Promise<T[]> {
  const client = new pg.Client(config);
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

async function refusal(port: number, user: string, password: string): Promise<string | undefined> {
  try {
    await query({ host: "127.0.0.1", port, user, password, database: "postgres" }, "SELECT 1");
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code;
  }
}

async function expectAppRoleState(url: string, port: number, superuserPassword: string) {
  const [role] = await query<{ name: string; rolsuper: boolean; rolcreaterole: boolean; rolcreatedb: boolean; owner: string }>(
    url,
    "SELECT current_user AS name, r.rolsuper, r.rolcreaterole, r.rolcreatedb, pg_get_userbyid(d.datdba) AS owner FROM pg_roles r, pg_database d WHERE r.rolname = current_user AND d.datname = current_database()",
  );
  expect(role).toEqual({ name: APP_ROLE, rolsuper: false, rolcreaterole: false, rolcreatedb: false, owner: APP_ROLE });
  expect(await refusal(port, "postgres", "postgres")).toBe("28P01");
  expect(await refusal(port, APP_ROLE, "postgres")).toBe("28P01");
  expect(await refusal(port, "postgres", superuserPassword)).toBeUndefined();
}

describe("local mode's embedded Postgres", () => {
  it("gives the app a non-superuser role owning its database, and a generated superuser password", { timeout: 60_000 }, async () => {
    const dataDir = join(freshFolder(), ".data");
    const { secrets } = loadOrCreateLocalSecrets(join(dataDir, "secrets.json"));
    const port = await freePort();
    const database = await startLocalDatabase(dataDir, port, secrets);
    try {
      expect(database.created).toBe(true);
      expect(new URL(database.url).username).toBe(APP_ROLE);
      await expectAppRoleState(database.url, port, secrets.POSTGRES_SUPERUSER_PASSWORD);
      // it can do what migrations and pg-boss do: create schemas and tables in its database
      await query(database.url, "CREATE SCHEMA probe; CREATE TABLE probe.t (id serial PRIMARY KEY)");
    } finally {
      await database.stop();
    }
  });

  it("brings a data folder from before (postgres/postgres, tables owned by the superuser) to the same state", { timeout: 90_000 }, async () => {
    const dataDir = join(freshFolder(), ".data");
    const port = await freePort();
    // as the previous version started it, and as its migrations and pg-boss left it
    const legacy = await startEmbeddedPostgres({ dataDir: join(dataDir, "postgres"), port, database: "myits" });
    try {
      await query(
        legacy.url,
        `CREATE TYPE "Status" AS ENUM ('ACTIVE', 'UNBOUND');
         CREATE TABLE "Binding" (id serial PRIMARY KEY, status "Status" NOT NULL DEFAULT 'ACTIVE');
         INSERT INTO "Binding" DEFAULT VALUES;
         CREATE SEQUENCE standalone;
         CREATE SCHEMA pgboss; CREATE TABLE pgboss.job (id uuid PRIMARY KEY);
         CREATE FUNCTION pgboss.f() RETURNS int LANGUAGE sql AS 'SELECT 1';`,
      );
    } finally {
      await legacy.stop();
    }
    const secretsFile = join(dataDir, "secrets.json");
    writeFileSync(secretsFile, JSON.stringify({ AUTH_SECRET: "a".repeat(43), ENCRYPTION_KEY: Buffer.alloc(32, 7).toString("base64") }), { mode: 0o600 });
    const { secrets, added } = loadOrCreateLocalSecrets(secretsFile);
    expect(added).toEqual(["POSTGRES_SUPERUSER_PASSWORD", "POSTGRES_APP_PASSWORD"]);

    const database = await startLocalDatabase(dataDir, port, secrets);
    try {
      expect(database.created).toBe(false);
      await expectAppRoleState(database.url, port, secrets.POSTGRES_SUPERUSER_PASSWORD);
      const owners = await query<{ name: string; owner: string }>(
        database.url,
        `SELECT c.relname AS name, pg_get_userbyid(c.relowner) AS owner FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname IN ('public', 'pgboss') AND c.relkind IN ('r', 'S')
         UNION ALL SELECT typname, pg_get_userbyid(typowner) FROM pg_type WHERE typname = 'Status'
         UNION ALL SELECT nspname, pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = 'pgboss'
         UNION ALL SELECT proname, pg_get_userbyid(proowner) FROM pg_proc WHERE proname = 'f'
         ORDER BY 1`,
      );
      expect(owners.map((o) => o.name).sort()).toEqual(["Binding", "Binding_id_seq", "Status", "f", "job", "pgboss", "standalone"].sort());
      expect(owners.filter((o) => o.owner !== APP_ROLE)).toEqual([]);
      // the data is still there, and the app can run the next migration on it
      await query(database.url, `ALTER TABLE "Binding" ADD COLUMN label text; ALTER TYPE "Status" ADD VALUE 'REVOKED'`);
      expect(await query(database.url, `SELECT count(*)::int AS n FROM "Binding"`)).toEqual([{ n: 1 }]);
    } finally {
      await database.stop();
    }
    // and a second start changes nothing
    const again = await startLocalDatabase(dataDir, port, secrets);
    await expectAppRoleState(again.url, port, secrets.POSTGRES_SUPERUSER_PASSWORD);
    await again.stop();
  });

  it("as root, refuses a folder the postgres user cannot reach with what to do, and no stack trace", async () => {
    const dataDir = join(freshFolder(false), ".data");
    const { secrets } = loadOrCreateLocalSecrets(join(dataDir, "secrets.json"));
    const started = startLocalDatabase(dataDir, await freePort(), secrets);
    if (process.getuid?.() !== 0) {
      // not root: Postgres runs as this user, who owns the folder, and it just starts
      await (await started).stop();
      return;
    }
    const error = await started.then(
      async (db) => {
        await db.stop();
        throw new Error("expected a refusal");
      },
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(EmbeddedPostgresError);
    expect(error).toMatchObject({ reason: "permission-denied" });
    const message = (error as Error).message;
    expect(message).toContain(`cannot reach the data folder ${join(dataDir, "postgres")}`);
    expect(message).toContain(`chmod o+x ${dataDir.slice(0, dataDir.lastIndexOf("/"))}`);
    expect(message).toMatch(/DATABASE_URL/);
    expect(message).not.toMatch(/\n\s+at /);
  });
});
