import "server-only";
import { redirect } from "next/navigation";
import { cache } from "react";
import { auth } from "@/auth";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";

// Every page, route handler and server action asks here who is signed in; proxy.ts only
// redirects. The user is re-read from Postgres, so a token for a removed account is worthless.

export interface CurrentUser {
  id: string;
  email: string;
  name: string | null;
  totpEnabled: boolean;
  reauthenticatedAt: Date | null;
}

export const currentUser = cache(async (): Promise<CurrentUser | null> => {
  const session = await auth();
  const id = session?.user?.id;
  if (!id) return null;
  const user = await db().user.findUnique({
    where: { id },
    select: { id: true, email: true, name: true, totpEnabledAt: true, reauthenticatedAt: true },
  });
  if (!user) return null;
  return { id: user.id, email: user.email, name: user.name, totpEnabled: user.totpEnabledAt !== null, reauthenticatedAt: user.reauthenticatedAt };
});

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
