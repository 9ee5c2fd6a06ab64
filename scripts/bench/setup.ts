import { randomBytes } from "node:crypto";
import { createPrismaClient, type Db } from "@/lib/db";
import { choosePgServer, createDatabase, databaseUrlOn, dropDatabase, uniqueDatabaseName } from "../../tests/support/pg-server";
import { runPrismaCli } from "../../tests/support/prisma-cli";

// A migrated database of its own for one benchmark, on the same Postgres the tests use
// (DATABASE_URL's server, else 127.0.0.1:5432, else an embedded one), dropped afterwards.

export interface BenchDatabase {
  url: string;
  client: Db;
  close(): Promise<void>;
}

export async function benchDatabase(tag: string): Promise<BenchDatabase> {
  const server = await choosePgServer({ allowRemoteDatabaseUrl: false });
  const name = uniqueDatabaseName(`myits_bench_${tag}`);
  await createDatabase(server.adminUrl, name);
  const url = databaseUrlOn(server.adminUrl, name);
  const migrated = await runPrismaCli(["migrate", "deploy"], { DATABASE_URL: url });
  if (migrated.code !== 0) throw new Error(`migrate deploy failed: ${migrated.stderr}`);
  process.env.DATABASE_URL ??= url;
  process.env.AUTH_SECRET ??= randomBytes(32).toString("base64url");
  process.env.ENCRYPTION_KEY ??= randomBytes(32).toString("base64");
  const client = createPrismaClient(url);
  return {
    url,
    client,
    close: async () => {
      await client.$disconnect();
      await dropDatabase(server.adminUrl, name);
      await server.stop?.();
    },
  };
}
