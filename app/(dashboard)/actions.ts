"use server";

import { headers } from "next/headers";
import { signOut } from "@/auth";
import { recordEvent } from "@/lib/audit/record-event";
import { currentUser } from "@/lib/auth/current-user";
import { requestMetaFrom } from "@/lib/auth/request-meta";
import { db } from "@/lib/db";

export async function signOutAction(): Promise<void> {
  const user = await currentUser();
  if (user) await recordEvent(db(), { userId: user.id, type: "auth.logout", ...requestMetaFrom(await headers()) });
  await signOut({ redirectTo: "/login?signedOut=1" });
}
