import { newPasswordSchema } from "@/lib/auth/schemas";
import { createPrismaClient } from "@/lib/db";
import { DEFAULT_DEMO_PASSWORD, seedDemo } from "@/lib/demo/seed-demo";
import { seedDemoExchanges } from "@/lib/demo/seed-demo-exchanges";
import type { KeyCredentials } from "@/lib/exchanges/types";
import type { DemoKeySpec } from "@/lib/demo/demo-keys";

/** Seeds the demo user and its keys (already on the simulator); returns the password to print. */
export async function seedDemoAccount(databaseUrl: string, keys: { spec: DemoKeySpec; credentials: KeyCredentials }[]): Promise<string> {
  const password = process.env.DEMO_PASSWORD || DEFAULT_DEMO_PASSWORD;
  const check = newPasswordSchema.safeParse(password);
  if (!check.success) throw new Error(`DEMO_PASSWORD ${check.error.issues[0]?.message.toLowerCase()}`);
  const client = createPrismaClient(databaseUrl);
  try {
    const { userId } = await seedDemo(client, password);
    await seedDemoExchanges(client, userId, keys);
  } finally {
    await client.$disconnect();
  }
  return password;
}
