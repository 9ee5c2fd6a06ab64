// npm run db:check [-- --schema <path>]
//
// The drift check: fails when prisma/schema.prisma and prisma/migrations disagree, i.e. when
// someone changed the schema without creating a migration (or edited a migration by hand in
// a way the schema does not reflect). Prisma replays every migration in a throwaway database
// and compares the result with the schema.
//
// Needs a Postgres server, not a database: the server of DATABASE_URL when set, else the
// machine's 127.0.0.1:5432, else an embedded Postgres in a temporary folder. The throwaway
// database is created and dropped here.

import { parseArgs } from "node:util";
import { choosePgServer, createDatabase, databaseUrlOn, dropDatabase, uniqueDatabaseName } from "../tests/support/pg-server";
import { projectRoot, runPrismaCli } from "../tests/support/prisma-cli";

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { schema: { type: "string", default: "prisma/schema.prisma" } } });
  const schemaPath = values.schema!;

  const server = await choosePgServer({ allowRemoteDatabaseUrl: true });
  const shadowName = uniqueDatabaseName(`myits_dbcheck_${process.pid}`);
  try {
    const shadowUrl = await createDatabase(server.adminUrl, shadowName);
    const result = await runPrismaCli(
      ["migrate", "diff", "--from-migrations", "prisma/migrations", "--to-schema", schemaPath, "--script", "--exit-code"],
      // The engine needs a database to connect to; it only reads the maintenance database.
      { DATABASE_URL: databaseUrlOn(server.adminUrl, "postgres"), SHADOW_DATABASE_URL: shadowUrl },
    );

    if (result.code === 0) {
      console.log(`db:check passed: ${schemaPath} matches prisma/migrations.`);
      return 0;
    }
    if (result.code === 2) {
      console.error(
        `db:check FAILED: ${schemaPath} and prisma/migrations disagree.\n` +
          "Create a migration for the schema change with:  npx prisma migrate dev --name <what-changed>\n" +
          "(against a development database), and commit it. SQL the migrations are missing:\n\n" +
          result.stdout.trim(),
      );
      return 1;
    }
    console.error(
      `db:check could not compare the schema with the migrations (prisma exited with ${result.code}` +
        ` in ${projectRoot}):\n${(result.stderr + result.stdout).trim()}`,
    );
    return 1;
  } finally {
    await dropDatabase(server.adminUrl, shadowName).catch((error: unknown) => {
      console.error(`db:check: could not drop the throwaway database ${shadowName}:`, error);
    });
    await server.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error("db:check failed:", error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
