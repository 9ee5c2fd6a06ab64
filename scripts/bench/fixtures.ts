import { randomBytes } from "node:crypto";
import type { Db } from "@/lib/db";
import type { SimPermissions } from "@/lib/exchange-sim/types";

// Users and bindings as the dashboard stores them (sealed secrets), without going through the
// pages: the benchmarks measure the export and the backup, not sign-up.

export const READ_ONLY: SimPermissions = { read: true, spotTrade: true, marginTrade: false, futuresTrade: false, withdraw: false, transfer: false };

export async function benchUser(client: Db, passwordHash = "-"): Promise<string> {
  const user = await client.user.create({ data: { email: `bench-${randomBytes(4).toString("hex")}@bench.local`, passwordHash }, select: { id: true } });
  return user.id;
}

export { createSealedBinding as benchBinding } from "../../tests/support/sealed-binding";
