import "server-only";
import { openSecret, sealSecret } from "@/lib/crypto/secrets";
import type { Db, Tx } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { KeyCredentials } from "@/lib/exchanges/types";

// The only place that turns stored ciphertexts back into credentials, always for one binding
// of one user, and only to hand them to an exchange adapter.

const CONTEXT = { apiKey: "ExchangeBinding.apiKey", secret: "ExchangeBinding.secret", passphrase: "ExchangeBinding.passphrase" } as const;

export function sealCredentials(credentials: KeyCredentials) {
  return {
    apiKeyEnc: sealSecret(credentials.apiKey, CONTEXT.apiKey),
    secretEnc: sealSecret(credentials.secret, CONTEXT.secret),
    passphraseEnc: credentials.passphrase ? sealSecret(credentials.passphrase, CONTEXT.passphrase) : null,
  };
}

export async function loadCredentials(client: Db | Tx, userId: string, bindingId: string): Promise<KeyCredentials> {
  const binding = await client.exchangeBinding.findFirst({
    where: { id: bindingId, userId, status: { not: "UNBOUND" } },
    select: { apiKeyEnc: true, secretEnc: true, passphraseEnc: true },
  });
  if (!binding) throw new AppError("NOT_FOUND", "No such key.");
  return {
    apiKey: openSecret(binding.apiKeyEnc, CONTEXT.apiKey),
    secret: openSecret(binding.secretEnc, CONTEXT.secret),
    ...(binding.passphraseEnc ? { passphrase: openSecret(binding.passphraseEnc, CONTEXT.passphrase) } : {}),
  };
}

/**
 * The sealed credentials of a key unbound where the exchange cannot prove a deletion, while its
 * week of re-checks runs (lib/unbind/watch-unprovable.ts): the only way to read an unbound
 * binding's secret, and only before it is shredded.
 */
export async function loadWatchedCredentials(client: Db | Tx, userId: string, bindingId: string): Promise<KeyCredentials> {
  const binding = await client.exchangeBinding.findFirst({
    where: { id: bindingId, userId, status: "UNBOUND", unbindWatch: { endedAt: null } },
    select: { apiKeyEnc: true, secretEnc: true, passphraseEnc: true },
  });
  if (!binding) throw new AppError("NOT_FOUND", "No watched key.");
  return {
    apiKey: openSecret(binding.apiKeyEnc, CONTEXT.apiKey),
    secret: openSecret(binding.secretEnc, CONTEXT.secret),
    ...(binding.passphraseEnc ? { passphrase: openSecret(binding.passphraseEnc, CONTEXT.passphrase) } : {}),
  };
}
