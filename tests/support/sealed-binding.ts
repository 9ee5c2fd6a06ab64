import { maskKey } from "@/lib/crypto/mask";
import type { Db } from "@/lib/db";
import type { SimKey } from "@/lib/exchange-sim/types";
import { sealCredentials } from "@/lib/keys/credentials";
import { keyFingerprint } from "@/lib/keys/fingerprint";

// A binding stored as bindKey stores it (sealed secrets, masked key, fingerprint), without the
// live check: for tests and benchmarks that start from a bound key. No vitest import, so the
// benchmarks can use it too.

export type BindableKey = Pick<SimKey, "exchange" | "apiKey" | "secret" | "label"> & { passphrase?: string };

export async function createSealedBinding(client: Db, userId: string, key: BindableKey): Promise<string> {
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
