import { generate } from "otplib";
import { describe, expect, it } from "vitest";
import { checkTotp, newTotpSecret } from "@/lib/auth/totp";

describe("TOTP check", () => {
  const secret = newTotpSecret();
  const now = Date.parse("2026-11-23T12:00:10Z");
  const codeAt = (ms: number) => generate({ secret, epoch: Math.floor(ms / 1000) });

  it("accepts the current code and returns its time step", async () => {
    expect(await checkTotp(secret, await codeAt(now), null, now)).toBe(Math.floor(now / 30_000));
  });

  it("tolerates one step of clock drift but not two", async () => {
    expect(await checkTotp(secret, await codeAt(now - 30_000), null, now)).not.toBeNull();
    expect(await checkTotp(secret, await codeAt(now - 90_000), null, now)).toBeNull();
  });

  it("never accepts a step at or before the last one used (no replay)", async () => {
    const code = await codeAt(now);
    const step = await checkTotp(secret, code, null, now);
    expect(await checkTotp(secret, code, step, now)).toBeNull();
  });

  it("rejects malformed codes", async () => {
    expect(await checkTotp(secret, "12345", null, now)).toBeNull();
    expect(await checkTotp(secret, "abcdef", null, now)).toBeNull();
  });
});
