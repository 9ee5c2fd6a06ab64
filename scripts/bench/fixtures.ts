import { randomBytes } from "node:crypto";
import { maskKey } from "@/lib/crypto/mask";
import type { Db } from "@/lib/db";
import type { SimKey, SimPermissions } from "@/lib/exchange-sim/types";
import { sealCredentials } from "@/lib/keys/credentials";
import { keyFingerprint } from "@/lib/keys/fingerprint";

// Users and bindings as the dashboard stores them (sealed secrets), without going through the
// pages: the benchmarks measure the export and the backup, not sign-up.

export const READ_ONLY: SimPermissions = { read: true, spotTrade: true, marginTrade: false, futuresTrade: false, withdraw: false, transfer: false };

export async function benchUser(client: Db, passwordHash = "-"): Promise<string> {
  const user = await client.user.create({ data: { email: `bench-${randomBytes(4).toString("hex")}@bench.local`, passwordHash }, select: { id: true } });
  return user.id;
}

export async function benchBinding(
  client: Db,
  userId: string,
  key: Pick<SimKey, "exchange" | "apiKey" | "secret" | "label"> & { passphrase?: string },
): Promise<string> {
  const binding = await client.exchangeBinding.create({
    data: {
      userId,
      exchange: key.exchange,
      label: key.label,
      apiKeyMasked: maskKey(key.apiKey),
      keyFingerprint: keyFingerprint(key.exchange, key.apiKey),
      ...sealCredentials({ apiKey: key.apiKey, secret: key.secret, ...(key.passphrase ? { passphrase: key.passphrase } : {}) }),
    },
    select: { id: true },
  });
  return binding.id;
}
