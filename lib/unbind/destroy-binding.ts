import "server-only";
import { recordEvent } from "@/lib/audit/record-event";
import type { RequestMeta } from "@/lib/auth/request-meta";
import type { Tx } from "@/lib/db";

// Crypto-shredding of a key the exchange no longer knows (or that the user force-unbinds):
// the ciphertexts are overwritten, the fingerprint that could identify the key is cleared, the
// binding is marked unbound, its bots are stopped and detached, queued exports are cancelled,
// its open alerts are dismissed.
// Runs inside the caller's transaction, with the session's completion and its audit events,
// so either all of it happens or none.
//
// Where the exchange cannot prove the deletion (no full adapter), the unbind keeps the
// ciphertexts sealed until the week of re-checks ends (`keepSecretUntil`): everything else
// happens now, and shredSecret() overwrites them later (lib/unbind/watch-unprovable.ts).

export const SHREDDED = "shredded";

const SHREDDED_SECRETS = { apiKeyEnc: SHREDDED, secretEnc: SHREDDED, passphraseEnc: null };

export interface DestroyedBinding {
  detachedBotIds: string[];
}

export async function destroyBinding(
  tx: Tx,
  args: { userId: string; bindingId: string; sessionId: string; forced: boolean; now: Date; meta: RequestMeta; keepSecretUntil?: Date },
): Promise<DestroyedBinding> {
  const { userId, bindingId, now, meta } = args;
  const binding = await tx.exchangeBinding.findFirstOrThrow({
    where: { id: bindingId, userId },
    select: { exchange: true, label: true, apiKeyMasked: true, status: true },
  });
  const bots = await tx.bot.findMany({ where: { userId, bindingId }, select: { id: true, name: true } });

  await tx.exchangeBinding.update({
    where: { id: bindingId },
    data: {
      ...(args.keepSecretUntil ? {} : SHREDDED_SECRETS),
      keyFingerprint: null,
      status: "UNBOUND",
      unboundAt: now,
    },
  });
  await tx.bot.updateMany({ where: { userId, bindingId }, data: { bindingId: null, status: "STOPPED" } });
  await tx.exportJob.updateMany({
    where: { bindingId, status: { in: ["QUEUED", "RUNNING"] } },
    data: { status: "CANCELLED", finishedAt: now, error: "The key was unbound." },
  });
  // what was said of the key (expiring, unused, a permission gained) no longer asks anything of
  // the user; an alert that it still answers after the unbind is raised afresh
  const { count: dismissedAlerts } = await tx.alert.updateMany({ where: { userId, bindingId, dismissedAt: null }, data: { dismissedAt: now } });
  await recordEvent(tx, {
    userId,
    type: "key.unbound",
    bindingId,
    data: {
      sessionId: args.sessionId,
      exchange: binding.exchange,
      label: binding.label,
      maskedKey: binding.apiKeyMasked,
      forced: args.forced,
      ...(args.keepSecretUntil ? { secretSealedUntil: args.keepSecretUntil.toISOString() } : {}),
      detachedBots: bots.map((bot) => bot.name),
      ...(dismissedAlerts > 0 ? { dismissedAlerts } : {}),
    },
    ...meta,
  });
  return { detachedBotIds: bots.map((bot) => bot.id) };
}

/** Overwrites the sealed secrets of an unbound key kept for re-checks; audited. */
export async function shredSecret(tx: Tx, args: { userId: string; bindingId: string; reason: "expired" | "revoked"; now: Date }): Promise<void> {
  const { count } = await tx.exchangeBinding.updateMany({
    where: { id: args.bindingId, userId: args.userId, status: "UNBOUND" },
    data: SHREDDED_SECRETS,
  });
  if (count === 0) return;
  await recordEvent(tx, { userId: args.userId, type: "key.secret_shredded", bindingId: args.bindingId, data: { reason: args.reason, at: args.now.toISOString() } });
}
