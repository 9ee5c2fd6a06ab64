import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { startEmbeddedPostgres } from "@/lib/embedded-postgres";

// Local mode's database: an embedded Postgres in .data/postgres with the "myits" database.

export interface LocalDatabase {
  url: string;
  port: number;
  created: boolean;
  stop(): Promise<void>;
}

export async function startLocalDatabase(dataDir: string, port: number): Promise<LocalDatabase> {
  const pgDir = resolve(dataDir, "postgres");
  const created = !existsSync(resolve(pgDir, "PG_VERSION"));
  const server = await startEmbeddedPostgres({ dataDir: pgDir, port, portEnvVar: "EMBEDDED_PG_PORT", database: "myits" });
  return { url: server.url, port: server.port, created, stop: () => server.stop() };
}
