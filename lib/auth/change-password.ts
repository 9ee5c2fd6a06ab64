import "server-only";
import { recordEvent } from "@/lib/audit/record-event";
import type { Db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { endOtherSessions } from "./end-other-sessions";
import { hashPassword } from "./password";
import { reauthenticate } from "./reauthenticate";
import type { RequestMeta } from "./request-meta";
import type { ChangePasswordInput } from "./schemas";
import { forgetSessionUser } from "./session-user-cache";

// A password change is a re-authentication first (the current password, and the authenticator
// code when enrolled, counted like any other guess for this session), then the new hash, made
// before the transaction opens. Every other session ends with it: whoever knew the old password
// may be signed in somewhere.
export async function changePassword(
  client: Db,
  userId: string,
  sessionId: string,
  input: ChangePasswordInput,
  meta: RequestMeta,
  now = new Date(),
): Promise<void> {
  const confirmed = await reauthenticate(client, userId, sessionId, { password: input.currentPassword, code: input.code }, meta, now);
  if (!confirmed.ok) {
    switch (confirmed.reason) {
      case "invalid_password":
        throw new AppError("BAD_REQUEST", "That is not your current password.", { field: "currentPassword" });
      case "totp_required":
        throw new AppError("BAD_REQUEST", "Enter the code from your authenticator app too.", { field: "code" });
      case "totp_invalid":
        throw new AppError("BAD_REQUEST", "That authenticator code is not valid.", { field: "code" });
      case "locked_out":
        throw new AppError("LOCKED_OUT", "Too many failed attempts: wait a little, then try again.", { retryAt: confirmed.until.toISOString() });
    }
  }
  const passwordHash = await hashPassword(input.newPassword);
  await client.$transaction(async (tx) => {
    await tx.user.update({ where: { id: userId }, data: { passwordHash } });
    await endOtherSessions(tx, userId, sessionId);
    await recordEvent(tx, { userId, type: "auth.password.changed", data: { otherSessionsEnded: true }, ...meta });
  });
  forgetSessionUser(userId);
}
