import "server-only";
import { auditEventRow, recordEvent, type AuditEventInput } from "@/lib/audit/record-event";
import type { Db } from "@/lib/db";
import {
  backoffDelayMs,
  claimAttempt,
  FREE_FAILURES,
  ipClient,
  isKnownClient,
  releaseAttempt,
  settleSuccess,
  type FailureReason,
} from "./lockout";
import { burnPasswordCheck, passwordHashing, verifyPassword } from "./password";
import type { RequestMeta } from "./request-meta";
import type { SignInInput } from "./schemas";
import { verifySecondFactor } from "./second-factor";

// Sign-in as a plain function: Auth.js's Credentials provider calls it, tests call it directly.
// Every attempt is recorded in Postgres (LoginAttempt) and every outcome is audited; the
// backoff (lockout.ts) holds across restarts and web processes.
//
// No transaction is open and no lock is waited for while a password is checked: the attempt is
// claimed first with one short statement, the argon2 work runs (bounded by password.ts's
// semaphore) with no database connection held, and the outcome is written afterwards in one
// short transaction of inserts. Fifty parallel guesses therefore cost CPU time, bounded, and
// never the connections signed-in users need.

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
  const clientKey = ipClient(meta.ip);
  // When the password checks are at their bound, say so before spending queries on the attempt.
  passwordHashing.assertRoom();
  const claim = await claimAttempt(client, email, clientKey, () => isKnownClient(client, email, clientKey, now), now);
  if (!claim.allowed) {
    await client.loginAttempt.create({ data: { email, succeeded: false, reason: "locked_out", ip: meta.ip, client: clientKey, createdAt: now } });
    return { ok: false, reason: "locked_out", until: claim.retryAt };
  }

  const attempt: Attempt = { client, email, clientKey, failures: claim.failures, meta, now };
  const user = await client.user.findUnique({ where: { email }, omit: { passwordHash: false, totpSecretEnc: false } });
  let passwordOk: boolean;
  try {
    // An unknown email costs the same check against a decoy, so timing tells nothing.
    if (user) passwordOk = await verifyPassword(user.passwordHash, input.password);
    else {
      await burnPasswordCheck(input.password);
      passwordOk = false;
    }
  } catch (error) {
    // Refused as busy before the password was checked: this attempt was no guess.
    await releaseAttempt(client, email, clientKey);
    throw error;
  }
  if (!user) return fail(attempt, null, "unknown_email");
  if (!passwordOk) return fail(attempt, user.id, "bad_password");

  let usedRecoveryCode = false;
  if (user.totpEnabledAt) {
    if (!input.code) {
      await releaseAttempt(client, email, clientKey);
      return { ok: false, reason: "totp_required" };
    }
    const factor = await verifySecondFactor(client, user, input.code, now);
    if (factor === "invalid") return fail(attempt, user.id, "bad_totp");
    usedRecoveryCode = factor === "recovery_code";
  }
  await client.$transaction(async (tx) => {
    await tx.loginAttempt.create({ data: { email, userId: user.id, succeeded: true, ip: meta.ip, client: clientKey, createdAt: now } });
    if (usedRecoveryCode) await recordEvent(tx, { userId: user.id, type: "auth.recovery_code.used", ...meta });
    await recordEvent(tx, { userId: user.id, type: "auth.login.succeeded", ...meta });
    await settleSuccess(tx, email, clientKey);
  });
  return { ok: true, user: { id: user.id, email: user.email, name: user.name, credentialVersion: user.credentialVersion } };
}

interface Attempt {
  client: Db;
  email: string;
  clientKey: string;
  /** The client's failures, this attempt included. */
  failures: number;
  meta: RequestMeta;
  now: Date;
}

/** Records a counted failure; from the FREE_FAILURES-th on, the answer says how long to wait. */
async function fail(attempt: Attempt, userId: string | null, reason: FailureReason): Promise<AuthenticateResult> {
  const { client, email, clientKey, failures, meta, now } = attempt;
  const events: AuditEventInput[] = [{ userId, type: "auth.login.failed", data: { email, reason }, ...meta }];
  if (failures === FREE_FAILURES) events.push({ userId, type: "auth.lockout", data: { email }, ...meta });
  // One batched transaction: the cheapest way to write a failure, the path a flood takes.
  await client.$transaction([
    client.loginAttempt.create({ data: { email, userId, succeeded: false, reason, ip: meta.ip, client: clientKey, createdAt: now } }),
    client.auditEvent.createMany({ data: events.map(auditEventRow) }),
  ]);
  if (failures >= FREE_FAILURES) return { ok: false, reason: "locked_out", until: new Date(now.getTime() + backoffDelayMs(failures)) };
  return { ok: false, reason: reason === "bad_totp" ? "totp_invalid" : "invalid_credentials" };
}
