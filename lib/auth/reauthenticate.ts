import "server-only";
import { recordEvent } from "@/lib/audit/record-event";
import type { Db, Tx } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { REAUTH_WINDOW_MS, reauthValid } from "./reauth-window";
import { backoffDelayMs, claimAttempt, FREE_FAILURES, releaseAttempt, sessionClient, settleSuccess } from "./lockout";
import { passwordHashing, verifyPassword } from "./password";
import type { RequestMeta } from "./request-meta";
import type { ReauthInput } from "./schemas";
import { verifySecondFactor } from "./second-factor";
import { forgetSessionUser } from "./session-user-cache";

// Destructive steps (unbinding a key, turning the second factor on or off) need the password,
// and the authenticator code when enrolled, given again within the last five minutes in the
// same sign-in session: the grant is a ReauthGrant row keyed by user and session id, so a
// confirmation in browser A opens nothing in browser B.
//
// A wrong password here is a guess like any other and is counted, but for this session alone
// (lockout.ts: the client is the session): failed sign-ins from elsewhere, however many, never
// block a live session's re-authentication. As in authenticate.ts, the password check runs
// outside any transaction.

export { REAUTH_WINDOW_MS, reauthValid } from "./reauth-window";

export type ReauthResult =
  | { ok: true; until: Date }
  | { ok: false; reason: "invalid_password" | "totp_required" | "totp_invalid" }
  | { ok: false; reason: "locked_out"; until: Date };

export async function reauthenticate(
  client: Db,
  userId: string,
  sessionId: string,
  input: ReauthInput,
  meta: RequestMeta,
  now = new Date(),
): Promise<ReauthResult> {
  const user = await client.user.findUniqueOrThrow({ where: { id: userId }, omit: { passwordHash: false, totpSecretEnc: false } });
  const clientKey = sessionClient(sessionId);
  passwordHashing.assertRoom();
  const claim = await claimAttempt(client, user.email, clientKey, true, now);
  if (!claim.allowed) return { ok: false, reason: "locked_out", until: claim.retryAt };

  const refuse = async (reason: "bad_password" | "bad_totp"): Promise<ReauthResult> => {
    await client.$transaction(async (tx) => {
      await tx.loginAttempt.create({ data: { email: user.email, userId, succeeded: false, reason, ip: meta.ip, client: clientKey, createdAt: now } });
      await recordEvent(tx, { userId, type: "auth.reauth.failed", data: { reason }, ...meta });
      if (claim.failures === FREE_FAILURES) await recordEvent(tx, { userId, type: "auth.lockout", data: { email: user.email }, ...meta });
    });
    if (claim.failures >= FREE_FAILURES) return { ok: false, reason: "locked_out", until: new Date(now.getTime() + backoffDelayMs(claim.failures)) };
    return { ok: false, reason: reason === "bad_password" ? "invalid_password" : "totp_invalid" };
  };

  let passwordOk: boolean;
  try {
    passwordOk = await verifyPassword(user.passwordHash, input.password);
  } catch (error) {
    // Refused as busy before the password was checked: this attempt was no guess.
    await releaseAttempt(client, user.email, clientKey);
    throw error;
  }
  if (!passwordOk) return refuse("bad_password");
  if (user.totpEnabledAt) {
    if (!input.code) {
      await releaseAttempt(client, user.email, clientKey);
      return { ok: false, reason: "totp_required" };
    }
    if ((await verifySecondFactor(client, user, input.code, now)) === "invalid") return refuse("bad_totp");
  }
  await client.$transaction(async (tx) => {
    await grantReauth(tx, userId, sessionId, now);
    await recordEvent(tx, { userId, type: "auth.reauth.succeeded", ...meta });
    await settleSuccess(tx, user.email, clientKey);
  });
  forgetSessionUser(userId);
  return { ok: true, until: new Date(now.getTime() + REAUTH_WINDOW_MS) };
}

async function grantReauth(tx: Tx, userId: string, sessionId: string, now: Date): Promise<void> {
  await tx.reauthGrant.upsert({
    where: { userId_sessionId: { userId, sessionId } },
    create: { userId, sessionId, grantedAt: now },
    update: { grantedAt: now },
  });
  // Grants of sessions that are long gone would only accumulate.
  await tx.reauthGrant.deleteMany({ where: { userId, grantedAt: { lt: new Date(now.getTime() - REAUTH_WINDOW_MS) } } });
}

/** When this session of the user last re-authenticated, or null. */
export async function sessionReauthenticatedAt(client: Db | Tx, userId: string, sessionId: string): Promise<Date | null> {
  const grant = await client.reauthGrant.findUnique({ where: { userId_sessionId: { userId, sessionId } }, select: { grantedAt: true } });
  return grant?.grantedAt ?? null;
}

/** Throws REAUTH_REQUIRED unless this session re-authenticated within the window. */
export async function assertRecentReauth(client: Db | Tx, userId: string, sessionId: string, now = new Date()): Promise<void> {
  if (!reauthValid(await sessionReauthenticatedAt(client, userId, sessionId), now)) {
    throw new AppError("REAUTH_REQUIRED", "For your security, confirm your password (and authenticator code) first.");
  }
}
