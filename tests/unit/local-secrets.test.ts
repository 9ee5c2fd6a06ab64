import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadOrCreateLocalSecrets } from "@/lib/local-secrets";

const dirs: string[] = [];
const tempFile = () => {
  const dir = mkdtempSync(join(tmpdir(), "myits-secrets-"));
  dirs.push(dir);
  return join(dir, ".data", "secrets.json");
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe("local secrets file", () => {
  it("is generated once, readable by the owner only, and reused", () => {
    const file = tempFile();
    const first = loadOrCreateLocalSecrets(file);
    expect(first.created).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(Buffer.from(first.secrets.ENCRYPTION_KEY, "base64")).toHaveLength(32);
    const second = loadOrCreateLocalSecrets(file);
    expect(second.created).toBe(false);
    expect(second.secrets).toEqual(first.secrets);
  });

  it("refuses a corrupted file instead of silently replacing the keys", () => {
    const file = tempFile();
    loadOrCreateLocalSecrets(file);
    writeFileSync(file, JSON.stringify({ AUTH_SECRET: "short" }));
    expect(() => loadOrCreateLocalSecrets(file)).toThrow("not a valid secrets file");
    expect(readFileSync(file, "utf8")).toContain("short");
  });
});

describe("local secrets file from an older version", () => {
  it("gains the database passwords, keeps its keys, stays 0600", () => {
    const file = tempFile();
    const first = loadOrCreateLocalSecrets(file);
    const old = { AUTH_SECRET: first.secrets.AUTH_SECRET, ENCRYPTION_KEY: first.secrets.ENCRYPTION_KEY };
    writeFileSync(file, JSON.stringify(old), { mode: 0o644 });
    const migrated = loadOrCreateLocalSecrets(file);
    expect(migrated.added).toEqual(["POSTGRES_SUPERUSER_PASSWORD", "POSTGRES_APP_PASSWORD"]);
    expect(migrated.secrets).toMatchObject(old);
    expect(migrated.secrets.POSTGRES_SUPERUSER_PASSWORD).not.toBe(migrated.secrets.POSTGRES_APP_PASSWORD);
    expect(migrated.secrets.POSTGRES_APP_PASSWORD.length).toBeGreaterThanOrEqual(24);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual(migrated.secrets);
    expect(loadOrCreateLocalSecrets(file)).toEqual({ secrets: migrated.secrets, created: false, added: [] });
  });
});
