import "server-only";
import type { Db } from "@/lib/db";
import type { CurrentUser } from "./current-user";
import { sessionIsCurrent } from "./session-validity";

// What a session token stands for, read from Postgres on every request: the user as they are
// now, or null when the account is gone or the token's credential version is stale. Split from
// current-user.ts (which reads the token through Auth.js) so tests can call it without Next.js.

export interface SessionClaims {
  userId: string | undefined;
  sessionId: string | undefined;
  credentialVersion: number | undefined;
}

export async function loadSessionUser(client: Db, claims: SessionClaims): Promise<CurrentUser | null> {
  const { userId, sessionId } = claims;
  if (!userId || !sessionId) return null;
  const user = await client.user.findUnique({
    where: { id: userId },
    select: {
      id: true,
      email: true,
      name: true,
      totpEnabledAt: true,
      credentialVersion: true,
      credentialChangedBySid: true,
      reauthGrants: { where: { sessionId }, select: { grantedAt: true } },
    },
  });
  if (!user || !sessionIsCurrent({ sessionId, credentialVersion: claims.credentialVersion }, user)) return null;
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    totpEnabled: user.totpEnabledAt !== null,
    sessionId,
    reauthenticatedAt: user.reauthGrants[0]?.grantedAt ?? null,
  };
}
