import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { startEmbeddedPostgres } from "@/lib/embedded-postgres";
import type { LocalSecrets } from "@/lib/local-secrets";

// Local mode's database: an embedded Postgres in .data/postgres with the "myits" database,
// owned by the "myits" role the app connects as (not a superuser). Both passwords come from
// the local secrets file; a data folder from before them (postgres/postgres, tables owned by
// the superuser) is brought up to date on start.

export const APP_ROLE = "myits";
/** What data folders made before the generated passwords used. */
const LEGACY_SUPERUSER_PASSWORD = "postgres";

export interface LocalDatabase {
  url: string;
  port: number;
  created: boolean;
  stop(): Promise<void>;
}

export async function startLocalDatabase(dataDir: string, port: number, secrets: LocalSecrets): Promise<LocalDatabase> {
  const pgDir = resolve(dataDir, "postgres");
  const created = !existsSync(resolve(pgDir, "PG_VERSION"));
  const server = await startEmbeddedPostgres({
    dataDir: pgDir,
    port,
    portEnvVar: "EMBEDDED_PG_PORT",
    database: "myits",
    password: secrets.POSTGRES_SUPERUSER_PASSWORD,
    legacyPasswords: [LEGACY_SUPERUSER_PASSWORD],
    appRole: { name: APP_ROLE, password: secrets.POSTGRES_APP_PASSWORD },
  });
  return { url: server.url, port: server.port, created, stop: () => server.stop() };
}
