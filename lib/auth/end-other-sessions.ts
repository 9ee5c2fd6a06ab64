import "server-only";
import type { Tx } from "@/lib/db";

// Raises the user's credential version inside the caller's transaction, so every session
// signed in under an older version is no session on its next request (session-validity.ts),
// except `keepSessionId`, the session making the change. Their re-authentications go too.
export async function endOtherSessions(tx: Tx, userId: string, keepSessionId: string): Promise<void> {
  await tx.user.update({
    where: { id: userId },
    data: { credentialVersion: { increment: 1 }, credentialChangedBySid: keepSessionId },
  });
  await tx.reauthGrant.deleteMany({ where: { userId, sessionId: { not: keepSessionId } } });
}
