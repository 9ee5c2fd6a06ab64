import "server-only";
import { recordEvent } from "@/lib/audit/record-event";
import type { Db } from "@/lib/db";
import { endOtherSessions } from "./end-other-sessions";
import type { RequestMeta } from "./request-meta";
import { forgetSessionUser } from "./session-user-cache";

// "Sign out everywhere": every other browser and device of the user is signed out on its next
// request; the session asking stays signed in (session-validity.ts says why). No re-auth is
// asked for: ending sessions only ever protects the account.
export async function signOutEverywhere(client: Db, userId: string, sessionId: string, meta: RequestMeta): Promise<void> {
  await client.$transaction(async (tx) => {
    await endOtherSessions(tx, userId, sessionId);
    await recordEvent(tx, { userId, type: "auth.sessions.ended", ...meta });
  });
  forgetSessionUser(userId);
}
