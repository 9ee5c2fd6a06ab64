import "server-only";
import { randomInt } from "node:crypto";
import { hash, verify } from "@node-rs/argon2";
import type { Tx } from "@/lib/db";

// Ten one-time codes shown once at TOTP enrolment, for a lost authenticator. Each is about
// 50 bits of randomness, stored only as an argon2id hash.

const ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"; // no 0/o, 1/l/i: read aloud without mistakes
export const RECOVERY_CODE_COUNT = 10;

export function newRecoveryCode(): string {
  const chars = Array.from({ length: 10 }, () => ALPHABET[randomInt(ALPHABET.length)]).join("");
  return `${chars.slice(0, 5)}-${chars.slice(5)}`;
}

export function looksLikeRecoveryCode(input: string): boolean {
  return /^[a-z0-9]{5}-?[a-z0-9]{5}$/i.test(input.trim());
}

function normalise(code: string): string {
  const compact = code.trim().toLowerCase().replace("-", "");
  return `${compact.slice(0, 5)}-${compact.slice(5)}`;
}

/** Replaces the user's codes with fresh ones and returns them in the clear, once. */
export async function issueRecoveryCodes(tx: Tx, userId: string): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  const hashes = await Promise.all(codes.map((code) => hash(code)));
  await tx.recoveryCode.deleteMany({ where: { userId } });
  await tx.recoveryCode.createMany({ data: hashes.map((codeHash) => ({ userId, codeHash })) });
  return codes;
}

/** Marks a matching unused code as used; false when none matches. */
export async function consumeRecoveryCode(tx: Tx, userId: string, input: string, now: Date): Promise<boolean> {
  const candidate = normalise(input);
  const unused = await tx.recoveryCode.findMany({ where: { userId, usedAt: null } });
  for (const code of unused) {
    if (await verify(code.codeHash, candidate).catch(() => false)) {
      // The usedAt condition makes two concurrent uses of one code succeed only once.
      const { count } = await tx.recoveryCode.updateMany({ where: { id: code.id, usedAt: null }, data: { usedAt: now } });
      return count === 1;
    }
  }
  return false;
}
