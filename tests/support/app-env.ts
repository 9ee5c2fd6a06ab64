import { randomBytes } from "node:crypto";

// The configuration lib/env.ts expects, pointing at a test database. Call before the first
// use of anything that reads env() (it is read once per process, i.e. once per test file).
export function useTestEnv(databaseUrl: string): void {
  process.env.DATABASE_URL = databaseUrl;
  process.env.AUTH_SECRET ??= randomBytes(32).toString("base64url");
  process.env.ENCRYPTION_KEY ??= randomBytes(32).toString("base64");
  // The tests' webhook receivers listen on 127.0.0.1; the public-only rule is tested by
  // passing allowPrivateNetworks: false.
  process.env.WEBHOOK_ALLOW_PRIVATE_NETWORKS ??= "1";
}
