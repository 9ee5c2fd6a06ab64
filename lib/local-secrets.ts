import { randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { z } from "zod";

// Local mode (embedded database, no DATABASE_URL): the secrets a fresh machine lacks are
// generated once into a file only the owner can read, and reused on every start so sessions
// and encrypted secrets survive restarts. Variables set in the environment still win.

const fileSchema = z.object({ AUTH_SECRET: z.string().min(32), ENCRYPTION_KEY: z.string().min(40) });
export type LocalSecrets = z.infer<typeof fileSchema>;

export function loadOrCreateLocalSecrets(file: string): { secrets: LocalSecrets; created: boolean } {
  try {
    const text = readFileSync(file, "utf8");
    if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
    const parsed = fileSchema.safeParse(JSON.parse(text));
    if (!parsed.success) throw new Error(`${file} is not a valid secrets file; move it away to generate a new one`);
    return { secrets: parsed.data, created: false };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const secrets: LocalSecrets = {
    AUTH_SECRET: randomBytes(32).toString("base64url"),
    ENCRYPTION_KEY: randomBytes(32).toString("base64"),
  };
  // 0711, not 0700: as root, the embedded Postgres runs as the postgres user and must traverse
  // this folder to reach its own data folder inside it. The secrets file itself stays 0600.
  mkdirSync(dirname(file), { recursive: true, mode: 0o711 });
  writeFileSync(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600, flag: "wx" });
  return { secrets, created: true };
}
