import { recordEvent } from "@/lib/audit/record-event";
import { hashPassword } from "@/lib/auth/password";
import type { Db } from "@/lib/db";

// The demo account. Re-seeding keeps its data and only resets the password, so DEMO_PASSWORD
// can change between runs.

export const DEMO_EMAIL = "demo@myits.local";
export const DEFAULT_DEMO_PASSWORD = "myits-demo-password";

export async function seedDemo(client: Db, password: string): Promise<{ userId: string; created: boolean }> {
  const passwordHash = await hashPassword(password);
  const existing = await client.user.findUnique({ where: { email: DEMO_EMAIL }, select: { id: true } });
  if (existing) {
    await client.user.update({ where: { id: existing.id }, data: { passwordHash } });
    return { userId: existing.id, created: false };
  }
  return client.$transaction(async (tx) => {
    const user = await tx.user.create({ data: { email: DEMO_EMAIL, name: "Demo trader", passwordHash }, select: { id: true } });
    await recordEvent(tx, { userId: user.id, type: "auth.signup", data: { demo: true } });
    return { userId: user.id, created: true };
  });
}
