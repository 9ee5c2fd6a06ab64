import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { EnvError, exchangeEndpoints, parseEnv } from "@/lib/env";

const valid = {
  DATABASE_URL: "postgres://postgres@127.0.0.1:5432/myits",
  AUTH_SECRET: "x".repeat(40),
  ENCRYPTION_KEY: randomBytes(32).toString("base64"),
};

function errorOf(source: Record<string, string | undefined>): EnvError {
  try {
    parseEnv(source);
  } catch (error) {
    if (error instanceof EnvError) return error;
    throw error;
  }
  throw new Error("expected parseEnv to fail");
}

describe("environment validation", () => {
  it("accepts a complete configuration and applies defaults", () => {
    const env = parseEnv(valid);
    expect(env.ENCRYPTION_KEY_VERSION).toBe(1);
    expect(env.NODE_ENV).toBe("development");
    expect(env.ENCRYPTION_PREVIOUS_KEYS.size).toBe(0);
  });

  it("reads the key watch's period, the rotation age and the mail settings, with defaults", () => {
    expect(parseEnv(valid)).toMatchObject({ KEY_WATCH_PERIOD_HOURS: 24, KEY_ROTATION_DAYS: 90, MAIL_FROM: "MyITS alerts <alerts@myits.local>" });
    expect(parseEnv(valid).SMTP_URL).toBeUndefined();
    expect(parseEnv({ ...valid, KEY_WATCH_PERIOD_HOURS: "6", KEY_ROTATION_DAYS: "30", SMTP_URL: "smtps://user:pass@mail.example.com:465" })).toMatchObject({
      KEY_WATCH_PERIOD_HOURS: 6,
      KEY_ROTATION_DAYS: 30,
      SMTP_URL: "smtps://user:pass@mail.example.com:465",
    });
    expect(errorOf({ ...valid, SMTP_URL: "http://mail.example.com" }).message).toContain("SMTP_URL must be an smtp:// or smtps:// URL");
    expect(errorOf({ ...valid, KEY_WATCH_PERIOD_HOURS: "0" }).variables).toEqual(["KEY_WATCH_PERIOD_HOURS"]);
  });

  it("names each missing variable", () => {
    const error = errorOf({ DATABASE_URL: valid.DATABASE_URL });
    expect(error.variables).toEqual(expect.arrayContaining(["AUTH_SECRET", "ENCRYPTION_KEY"]));
    expect(error.message).toContain("AUTH_SECRET is not set");
    expect(error.message).toContain("ENCRYPTION_KEY is not set");
  });

  it("explains a malformed value", () => {
    expect(errorOf({ ...valid, ENCRYPTION_KEY: "too-short" }).message).toContain("ENCRYPTION_KEY must be 32 bytes");
    expect(errorOf({ ...valid, AUTH_SECRET: "short" }).message).toContain("AUTH_SECRET must be at least 32 characters");
    expect(errorOf({ ...valid, DATABASE_URL: "mysql://x@y/z" }).message).toContain("DATABASE_URL must be a postgres:// connection URL");
  });

  it("parses previous encryption keys for rotation", () => {
    const old = randomBytes(32).toString("base64");
    const env = parseEnv({ ...valid, ENCRYPTION_KEY_VERSION: "2", ENCRYPTION_PREVIOUS_KEYS: `1:${old}` });
    expect(env.ENCRYPTION_KEY_VERSION).toBe(2);
    expect(env.ENCRYPTION_PREVIOUS_KEYS.get(1)).toBe(old);
    expect(errorOf({ ...valid, ENCRYPTION_PREVIOUS_KEYS: "1:nope" }).message).toContain("ENCRYPTION_PREVIOUS_KEYS");
  });

  it("checks every exchange's endpoint variables with the rest, by their pattern", () => {
    const env = parseEnv({ ...valid, EXCHANGE_ORIGIN_ANYEXCHANGE: "http://127.0.0.1:4010/", EXCHANGE_SANDBOX_OTHER: "1", EXCHANGE_TIMEOUT_MS: "2500" });
    expect(env.EXCHANGE_TIMEOUT_MS).toBe(2500);
    expect(parseEnv(valid).EXCHANGE_TIMEOUT_MS).toBe(10_000);
    const error = errorOf({ ...valid, EXCHANGE_ORIGIN_ANYEXCHANGE: "http://127.0.0.1:4010/api", EXCHANGE_SANDBOX_OTHER: "yes", EXCHANGE_TIMEOUT_MS: "soon" });
    expect(error.variables.sort()).toEqual(["EXCHANGE_ORIGIN_ANYEXCHANGE", "EXCHANGE_SANDBOX_OTHER", "EXCHANGE_TIMEOUT_MS"]);
    expect(error.message).toMatch(/EXCHANGE_ORIGIN_ANYEXCHANGE .*origin only/);
  });

  it("reads one exchange's endpoints, unset or empty meaning its own", () => {
    expect(exchangeEndpoints("some.exchange", { EXCHANGE_ORIGIN_SOME_EXCHANGE: "https://sim.test:9/", EXCHANGE_SANDBOX_SOME_EXCHANGE: "TRUE" })).toEqual({
      origin: "https://sim.test:9",
      sandbox: true,
      timeoutMs: 10_000,
    });
    expect(exchangeEndpoints("some.exchange", { EXCHANGE_ORIGIN_SOME_EXCHANGE: " " })).toEqual({ origin: null, sandbox: false, timeoutMs: 10_000 });
    expect(() => exchangeEndpoints("some.exchange", { EXCHANGE_SANDBOX_SOME_EXCHANGE: "on" })).toThrow(/EXCHANGE_SANDBOX_SOME_EXCHANGE/);
  });
});
