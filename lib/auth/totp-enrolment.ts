import "server-only";
import QRCode from "qrcode";
import { recordEvent } from "@/lib/audit/record-event";
import { openSecret, sealSecret } from "@/lib/crypto/secrets";
import type { Db } from "@/lib/db";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { newRecoveryCodes, storeRecoveryCodes } from "./recovery-codes";
import { endOtherSessions } from "./end-other-sessions";
import { assertRecentReauth } from "./reauthenticate";
import type { RequestMeta } from "./request-meta";
import { TOTP_SECRET_CONTEXT } from "./second-factor";
import { checkTotp, newTotpSecret, totpUri } from "./totp";
import { forgetSessionUser } from "./session-user-cache";

// Enrolment in two steps: a pending secret is stored (encrypted) and shown as a QR code; only
// a correct code from the user's app turns the second factor on, so nobody is locked out by a
// half-finished enrolment. Both steps, and turning it off, need a fresh re-authentication of
// the session doing it (someone at an unlocked browser must not bind their own authenticator
// to the account); turning it on or off ends every other session (end-other-sessions.ts).

export interface PendingEnrolment {
  secret: string;
  uri: string;
  qrDataUrl: string;
}

export async function startTotpEnrolment(client: Db, userId: string, sessionId: string, now = new Date()): Promise<PendingEnrolment> {
  await assertRecentReauth(client, userId, sessionId, now);
  const user = await client.user.findUniqueOrThrow({ where: { id: userId }, select: { email: true, totpEnabledAt: true } });
  if (user.totpEnabledAt) throw new AppError("CONFLICT", "Two-factor authentication is already on.");
  const secret = newTotpSecret();
  await client.user.update({ where: { id: userId }, data: { totpSecretEnc: sealSecret(secret, TOTP_SECRET_CONTEXT), totpLastStep: null } });
  const uri = totpUri(secret, user.email, env().APP_NAME);
  return { secret, uri, qrDataUrl: await QRCode.toDataURL(uri, { margin: 1, width: 220 }) };
}

export async function confirmTotpEnrolment(
  client: Db,
  userId: string,
  sessionId: string,
  code: string,
  meta: RequestMeta,
  now = new Date(),
): Promise<{ recoveryCodes: string[] }> {
  await assertRecentReauth(client, userId, sessionId, now);
  const user = await client.user.findUniqueOrThrow({ where: { id: userId }, omit: { totpSecretEnc: false } });
  if (user.totpEnabledAt) throw new AppError("CONFLICT", "Two-factor authentication is already on.");
  if (!user.totpSecretEnc) throw new AppError("BAD_REQUEST", "Start the set-up again: no pending authenticator was found.");
  const step = await checkTotp(openSecret(user.totpSecretEnc, TOTP_SECRET_CONTEXT), code, null, now.getTime());
  if (step === null) {
    throw new AppError("BAD_REQUEST", "That code did not match. Check your phone's clock and enter the current code.", { field: "code" });
  }
  const { codes, hashes } = await newRecoveryCodes();
  const enrolled = await client.$transaction(async (tx) => {
    await tx.user.update({ where: { id: userId }, data: { totpEnabledAt: now, totpLastStep: step } });
    await storeRecoveryCodes(tx, userId, hashes);
    await endOtherSessions(tx, userId, sessionId);
    await recordEvent(tx, { userId, type: "auth.totp.enrolled", data: { otherSessionsEnded: true }, ...meta });
    return { recoveryCodes: codes };
  });
  forgetSessionUser(userId);
  return enrolled;
}

export async function disableTotp(client: Db, userId: string, sessionId: string, meta: RequestMeta, now = new Date()): Promise<void> {
  await assertRecentReauth(client, userId, sessionId, now);
  await client.$transaction(async (tx) => {
    await tx.user.update({ where: { id: userId }, data: { totpEnabledAt: null, totpSecretEnc: null, totpLastStep: null } });
    await tx.recoveryCode.deleteMany({ where: { userId } });
    await endOtherSessions(tx, userId, sessionId);
    await recordEvent(tx, { userId, type: "auth.totp.disabled", data: { otherSessionsEnded: true }, ...meta });
  });
  forgetSessionUser(userId);
}
