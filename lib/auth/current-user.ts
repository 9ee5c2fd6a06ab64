import "server-only";
import { redirect } from "next/navigation";
import { cache } from "react";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { sessionClaims } from "./session-claims";
import { sharedSessionUsers } from "./session-user-cache";

// Every page, route handler and server action asks here who is signed in; proxy.ts only
// redirects. The token is read as Auth.js reads it (session-claims.ts), and the user is checked
// on every request against Postgres's current facts, so a token for a removed account, or one
// whose credential version is stale (session-validity.ts), is no session: through the process's
// cache of those facts, which Postgres itself invalidates (session-user-cache.ts).

export interface CurrentUser {
  id: string;
  email: string;
  name: string | null;
  totpEnabled: boolean;
  /** This sign-in's random id (the JWT's `sid`). */
  sessionId: string;
  /** When this session last re-authenticated (never another session's). */
  reauthenticatedAt: Date | null;
}

export const currentUser = cache(async (): Promise<CurrentUser | null> =>
  sharedSessionUsers(env().DATABASE_URL).load(db(), await sessionClaims()),
);

/** For route handlers and server actions: throws UNAUTHENTICATED (401). */
export async function requireUser(): Promise<CurrentUser> {
  const user = await currentUser();
  if (!user) throw new AppError("UNAUTHENTICATED", "Sign in to continue.");
  return user;
}

/** For pages: sends a signed-out visitor to the sign-in page, then back. */
export async function requirePageUser(returnTo: string): Promise<CurrentUser> {
  const user = await currentUser();
  if (!user) redirect(`/login?callbackUrl=${encodeURIComponent(returnTo)}`);
  return user;
}
