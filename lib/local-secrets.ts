import { randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { z } from "zod";

// Local mode (embedded database, no DATABASE_URL): the secrets a fresh machine lacks are
// generated once into a file only the owner can read, and reused on every start so sessions,
// encrypted secrets and the database's passwords survive restarts. Variables set in the
// environment still win. A file from an older version lacks the database passwords: they are
// generated and added on the next start, the other secrets kept as they are.

const password = z.string().min(24);
const fileSchema = z.object({
  AUTH_SECRET: z.string().min(32),
  ENCRYPTION_KEY: z.string().min(40),
  /** The embedded Postgres's superuser (postgres): used only to set the server up. */
  POSTGRES_SUPERUSER_PASSWORD: password,
  /** The role the app connects as: owns the app's database, not a superuser. */
  POSTGRES_APP_PASSWORD: password,
});
export type LocalSecrets = z.infer<typeof fileSchema>;

const generators: { [K in keyof LocalSecrets]: () => string } = {
  AUTH_SECRET: () => randomBytes(32).toString("base64url"),
  ENCRYPTION_KEY: () => randomBytes(32).toString("base64"),
  POSTGRES_SUPERUSER_PASSWORD: () => randomBytes(24).toString("base64url"),
  POSTGRES_APP_PASSWORD: () => randomBytes(24).toString("base64url"),
};

export interface LoadedSecrets {
  secrets: LocalSecrets;
  created: boolean;
  /** Secrets an older file lacked, generated and written into it now. */
  added: ("POSTGRES_SUPERUSER_PASSWORD" | "POSTGRES_APP_PASSWORD")[];
}

export function loadOrCreateLocalSecrets(file: string): LoadedSecrets {
  let existing: Record<string, unknown> | null = null;
  try {
    const text = readFileSync(file, "utf8");
    if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
    existing = JSON.parse(text) as Record<string, unknown>;
  } catch (error) {
    if (error instanceof SyntaxError) throw invalid(file);
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  if (existing) {
    // Only what older versions did not write; a missing key is damage, never replaced.
    const added = (["POSTGRES_SUPERUSER_PASSWORD", "POSTGRES_APP_PASSWORD"] as const).filter((name) => existing[name] === undefined);
    const completed = { ...existing, ...Object.fromEntries(added.map((name) => [name, generators[name]()])) };
    const parsed = fileSchema.safeParse(completed);
    if (!parsed.success || typeof existing !== "object" || Array.isArray(existing)) throw invalid(file);
    if (added.length > 0) write(file, parsed.data, "replace");
    return { secrets: parsed.data, created: false, added };
  }
  const secrets = Object.fromEntries(Object.entries(generators).map(([name, make]) => [name, make()])) as LocalSecrets;
  // 0711, not 0700: as root, the embedded Postgres runs as the postgres user and must traverse
  // this folder to reach its own data folder inside it. The secrets file itself stays 0600.
  mkdirSync(dirname(file), { recursive: true, mode: 0o711 });
  write(file, secrets, "new");
  return { secrets, created: true, added: [] };
}

function invalid(file: string): Error {
  return new Error(`${file} is not a valid secrets file; move it away to generate a new one`);
}

function write(file: string, secrets: LocalSecrets, mode: "new" | "replace"): void {
  const text = `${JSON.stringify(secrets, null, 2)}\n`;
  if (mode === "new") {
    writeFileSync(file, text, { mode: 0o600, flag: "wx" });
    return;
  }
  // Never a half-written file holding the only copy of the keys: write aside, then rename.
  const aside = `${file}.${process.pid}.tmp`;
  writeFileSync(aside, text, { mode: 0o600, flag: "wx" });
  renameSync(aside, file);
}
