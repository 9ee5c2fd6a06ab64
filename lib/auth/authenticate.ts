import "server-only";
import { recordEvent } from "@/lib/audit/record-event";
import type { Db, Tx } from "@/lib/db";
import { LOCKOUT_MAX_FAILURES, lockoutState, type FailureReason } from "./lockout";
import { burnPasswordCheck, verifyPassword } from "./password";
import type { RequestMeta } from "./request-meta";
import type { SignInInput } from "./schemas";
import { verifySecondFactor } from "./second-factor";

// Sign-in as a plain function: Auth.js's Credentials provider calls it, tests call it directly.
// Every attempt is recorded in Postgres (LoginAttempt) so the lockout holds across restarts
// and web processes; every outcome is audited.

export type AuthenticateResult =
  | { ok: true; user: { id: string; email: string; name: string | null; credentialVersion: number } }
  | { ok: false; reason: "invalid_credentials" | "totp_required" | "totp_invalid" }
  | { ok: false; reason: "locked_out"; until: Date };

export async function authenticate(
  client: Db,
  input: SignInInput,
  meta: RequestMeta,
  now = new Date(),
): Promise<AuthenticateResult> {
  const { email } = input;
  // One transaction per attempt, serialised per email by an advisory lock, so parallel guesses
  // cannot slip past the failure count.
  return client.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`login:${email}`}))`;
      const lock = await lockoutState(tx, email, now);
      if (lock.locked) {
        await recordAttempt(tx, email, null, "locked_out", meta, now);
        return { ok: false as const, reason: "locked_out" as const, until: lock.until! };
      }

      const user = await tx.user.findUnique({
        where: { email },
        omit: { passwordHash: false, totpSecretEnc: false },
      });
      if (!user) {
        await burnPasswordCheck(input.password);
        return fail(tx, email, null, "unknown_email", lock.failures, meta, now);
      }
      if (!(await verifyPassword(user.passwordHash, input.password))) {
        return fail(tx, email, user.id, "bad_password", lock.failures, meta, now);
      }
      if (user.totpEnabledAt) {
        if (!input.code) return { ok: false as const, reason: "totp_required" as const };
        const factor = await verifySecondFactor(tx, user, input.code, now);
        if (factor === "invalid") return fail(tx, email, user.id, "bad_totp", lock.failures, meta, now);
        if (factor === "recovery_code") {
          await recordEvent(tx, { userId: user.id, type: "auth.recovery_code.used", ...meta });
        }
      }
      await tx.loginAttempt.create({ data: { email, userId: user.id, succeeded: true, ip: meta.ip, createdAt: now } });
      await recordEvent(tx, { userId: user.id, type: "auth.login.succeeded", ...meta });
      return { ok: true as const, user: { id: user.id, email: user.email, name: user.name, credentialVersion: user.credentialVersion } };
    },
    { timeout: 15_000 },
  );
}

async function fail(
  tx: Tx,
  email: string,
  userId: string | null,
  reason: FailureReason,
  failuresBefore: number,
  meta: RequestMeta,
  now: Date,
): Promise<AuthenticateResult> {
  await recordAttempt(tx, email, userId, reason, meta, now);
  await recordEvent(tx, { userId, type: "auth.login.failed", data: { email, reason }, ...meta });
  if (failuresBefore + 1 >= LOCKOUT_MAX_FAILURES) {
    await recordEvent(tx, { userId, type: "auth.lockout", data: { email }, ...meta });
    const lock = await lockoutState(tx, email, now);
    return { ok: false, reason: "locked_out", until: lock.until ?? now };
  }
  return { ok: false, reason: reason === "bad_totp" ? "totp_invalid" : "invalid_credentials" };
}

async function recordAttempt(tx: Tx, email: string, userId: string | null, reason: FailureReason, meta: RequestMeta, now: Date) {
  await tx.loginAttempt.create({ data: { email, userId, succeeded: false, reason, ip: meta.ip, createdAt: now } });
}
