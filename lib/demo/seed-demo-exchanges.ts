import { recordEvent } from "@/lib/audit/record-event";
import { maskKey } from "@/lib/crypto/mask";
import type { Db } from "@/lib/db";
import { getAdapter } from "@/lib/exchanges/registry";
import type { KeyCredentials } from "@/lib/exchanges/types";
import { snapshotOf } from "@/lib/keys/bind-key";
import { sealCredentials } from "@/lib/keys/credentials";
import { keyFingerprint } from "@/lib/keys/fingerprint";
import { keyCheckData } from "@/lib/watch/key-checks";
import type { DemoKeySpec } from "./demo-keys";

const DAY = 24 * 60 * 60 * 1000;

/**
 * Binds the demo keys (already created in the simulator) to the demo user, with their bots.
 * Idempotent: a key bound on an earlier start, or unbound by the user since, is left alone.
 */
export async function seedDemoExchanges(client: Db, userId: string, keys: { spec: DemoKeySpec; credentials: KeyCredentials }[], now = new Date()) {
  let bound = 0;
  for (const { spec, credentials } of keys) {
    const fingerprint = keyFingerprint(spec.exchange, credentials.apiKey);
    // Matched by label and masked key, whatever its status: an unbound key keeps no fingerprint,
    // and a key the user unbound must stay unbound after a restart.
    const existing = await client.exchangeBinding.findFirst({ where: { userId, exchange: spec.exchange, apiKeyMasked: maskKey(credentials.apiKey), label: spec.label } });
    if (existing) continue;
    const description = await getAdapter(spec.exchange).describeKey(credentials);
    if (description.status !== "valid") throw new Error(`demo key ${spec.slug} is not valid on the simulator: ${description.status}`);
    await client.$transaction(async (tx) => {
      const binding = await tx.exchangeBinding.create({
        data: {
          userId,
          exchange: spec.exchange,
          label: spec.label,
          apiKeyMasked: maskKey(credentials.apiKey),
          keyFingerprint: fingerprint,
          ...sealCredentials(credentials),
          ...snapshotOf(description, now),
          lastUsedAt: spec.lastUsedDaysAgo === null ? null : new Date(now.getTime() - spec.lastUsedDaysAgo * DAY),
          createdAt: new Date(now.getTime() - 120 * DAY),
        },
      });
      // the first entry of the key's history, as bindKey writes it
      await tx.keyCheck.create({ data: keyCheckData(binding.id, description, "bind", new Date(now.getTime() - 120 * DAY), null) });
      await tx.bot.createMany({
        data: spec.bots.map((bot) => ({ userId, bindingId: binding.id, name: bot.name, strategy: bot.strategy, status: bot.status, settings: { demo: true } })),
      });
      await recordEvent(tx, { userId, type: "key.bound", bindingId: binding.id, data: { exchange: spec.exchange, label: spec.label, demo: true } });
    });
    bound++;
  }
  return { bound };
}
