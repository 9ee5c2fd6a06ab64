import "server-only";
import { env } from "@/lib/env";
import { createKeyRing, decrypt, encrypt, type KeyRing } from "./secret-box";

// The application's key ring, built once from the environment.

let ring: KeyRing | undefined;

function keyRing(): KeyRing {
  const config = env();
  ring ??= createKeyRing(
    { version: config.ENCRYPTION_KEY_VERSION, key: config.ENCRYPTION_KEY },
    config.ENCRYPTION_PREVIOUS_KEYS,
  );
  return ring;
}

/** Context names which column a ciphertext belongs to, e.g. "ExchangeBinding.secret". */
export function sealSecret(plaintext: string, context: string): string {
  return encrypt(keyRing(), plaintext, context);
}

export function openSecret(envelope: string, context: string): string {
  return decrypt(keyRing(), envelope, context);
}
