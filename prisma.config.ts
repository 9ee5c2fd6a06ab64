// Prisma 7 CLI configuration: where the schema and migrations live, and which database to use.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "prisma/config";

const root = path.dirname(fileURLToPath(import.meta.url));

// The CLI would download a native schema engine, which these machines cannot reach. This
// script hands its work to the WebAssembly engine in node_modules (see
// prisma/schema-engine.mjs). An explicitly set variable still wins.
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= path.join(root, "prisma", "schema-engine.mjs");

export default defineConfig({
  schema: path.join(root, "prisma", "schema.prisma"),
  migrations: { path: path.join(root, "prisma", "migrations") },
  // Read directly rather than with prisma/config's env(), which throws when the variable is
  // missing: `prisma generate` must run without a database (postinstall on a fresh clone).
  // SHADOW_DATABASE_URL is optional: without it a temporary shadow database is created and
  // dropped on the server of DATABASE_URL when a command needs one (migrate dev, migrate diff).
  datasource: { url: process.env.DATABASE_URL, shadowDatabaseUrl: process.env.SHADOW_DATABASE_URL },
});
