"use server";

import { z } from "zod";
import { signOut } from "@/auth";
import { recordEvent } from "@/lib/audit/record-event";
import { currentUser } from "@/lib/auth/current-user";
import { db } from "@/lib/db";
import { guestAction } from "@/lib/http/action";

// A guest action: signing out must work even when the account behind the cookie is gone.
export const signOutAction = guestAction(z.object({}), async ({ meta }) => {
  const user = await currentUser();
  if (user) await recordEvent(db(), { userId: user.id, type: "auth.logout", ...meta });
  await signOut({ redirectTo: "/login?signedOut=1" });
});
