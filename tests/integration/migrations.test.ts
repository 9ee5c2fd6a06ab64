// The migrations, applied by the real Prisma CLI through prisma/schema-engine.mjs. The
// protocol between the CLI and the engine is internal to Prisma: this test is what fails when
// an upgrade of prisma, @prisma/adapter-pg or @prisma/schema-engine-wasm breaks it.

import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createDatabase, databaseUrlOn, dropDatabase, uniqueDatabaseName } from "../support/pg-server";
import { projectRoot, runCommand, runPrismaCli } from "../support/prisma-cli";
import { createTestDatabase, type TestDatabase } from "../support/test-database";

const migrationsDir = path.join(projectRoot, "prisma", "migrations");
const migrationNames = readdirSync(migrationsDir, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

describe("prisma migrations on a brand-new database", () => {
  const adminUrl = inject("pgAdminUrl");
  const name = uniqueDatabaseName(inject("pgDatabasePrefix"));
  let url: string;

  beforeAll(async () => {
    url = await createDatabase(adminUrl, name);
  });
  afterAll(() => dropDatabase(adminUrl, name));

  it("applies every migration with `prisma migrate deploy`", async () => {
    const deploy = await runPrismaCli(["migrate", "deploy"], { DATABASE_URL: url });
    expect(deploy.code, deploy.stderr + deploy.stdout).toBe(0);
    expect(deploy.stdout).toContain("All migrations have been successfully applied");

    // Prisma's own bookkeeping: one row per migration, checksum = sha256 of the file.
    const rows = await withClient(url, async (client) => {
      const result = await client.query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
        'SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" ORDER BY migration_name',
      );
      return result.rows;
    });
    expect(rows.map((row) => row.migration_name)).toEqual(migrationNames);
    for (const row of rows) {
      const file = readFileSync(path.join(migrationsDir, row.migration_name, "migration.sql"));
      expect(row.checksum).toBe(createHash("sha256").update(file).digest("hex"));
      expect(row.finished_at).not.toBeNull();
    }
  });

  it("reports the database up to date with `prisma migrate status`", async () => {
    const status = await runPrismaCli(["migrate", "status"], { DATABASE_URL: url });
    expect(status.code, status.stderr + status.stdout).toBe(0);
    expect(status.stdout).toContain("Database schema is up to date");
  });

  it("passes the drift check (`npm run db:check`)", async () => {
    // The same server as the tests (it may be an embedded one that only this run knows).
    const check = await runCommand("npm", ["run", "--silent", "db:check"], {
      DATABASE_URL: databaseUrlOn(adminUrl, "postgres"),
    });
    expect(check.code, check.stderr + check.stdout).toBe(0);
    expect(check.stdout).toContain("db:check passed");
  });

  it("keeps AuditEvent append-only: UPDATE, DELETE and TRUNCATE are refused", async () => {
    await withClient(url, async (client) => {
      await client.query(
        `INSERT INTO "User" (id, email, "passwordHash", "updatedAt") VALUES ('u-audit', 'audit@example.test', 'x', now())`,
      );
      await client.query(`INSERT INTO "AuditEvent" ("userId", type, data) VALUES ('u-audit', 'key.bound', '{"a":1}')`);

      await expect(client.query(`UPDATE "AuditEvent" SET type = 'rewritten'`)).rejects.toThrow(/append-only: UPDATE/);
      await expect(client.query(`DELETE FROM "AuditEvent"`)).rejects.toThrow(/append-only: DELETE/);
      await expect(client.query(`TRUNCATE "AuditEvent"`)).rejects.toThrow(/append-only: TRUNCATE/);

      // Inserting is still allowed, and the first row is untouched.
      await client.query(`INSERT INTO "AuditEvent" ("userId", type) VALUES ('u-audit', 'key.unbound')`);
      const { rows } = await client.query<{ type: string }>(`SELECT type FROM "AuditEvent" ORDER BY id`);
      expect(rows.map((row) => row.type)).toEqual(["key.bound", "key.unbound"]);
    });
  });
});

describe("test databases cloned from the run's template", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  it("have every migration applied", async () => {
    const applied = await withClient(db.url, async (client) => {
      const { rows } = await client.query<{ migration_name: string }>(
        'SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL ORDER BY migration_name',
      );
      return rows.map((row) => row.migration_name);
    });
    expect(applied).toEqual(migrationNames);
  });
});
