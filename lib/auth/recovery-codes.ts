import "server-only";
import { randomInt } from "node:crypto";
import type { Db, Tx } from "@/lib/db";
import { hashPassword, verifyPassword } from "./password";

// Ten one-time codes shown once at TOTP enrolment, for a lost authenticator. Each is about
// 50 bits of randomness, stored only as an argon2id hash (through the password hashing bound
// of password.ts, so never inside a transaction).

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

/** Fresh codes in the clear (shown once) and their hashes; hashed before any transaction opens. */
export async function newRecoveryCodes(): Promise<{ codes: string[]; hashes: string[] }> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  return { codes, hashes: await Promise.all(codes.map((code) => hashPassword(code))) };
}

/** Replaces the user's codes with the given hashes (from newRecoveryCodes). */
export async function storeRecoveryCodes(tx: Tx, userId: string, hashes: string[]): Promise<void> {
  await tx.recoveryCode.deleteMany({ where: { userId } });
  await tx.recoveryCode.createMany({ data: hashes.map((codeHash) => ({ userId, codeHash })) });
}

/** Marks a matching unused code as used; false when none matches. Call outside a transaction. */
export async function consumeRecoveryCode(client: Db | Tx, userId: string, input: string, now: Date): Promise<boolean> {
  const candidate = normalise(input);
  const unused = await client.recoveryCode.findMany({ where: { userId, usedAt: null } });
  for (const code of unused) {
    if (await verifyPassword(code.codeHash, candidate)) {
      // The usedAt condition makes two concurrent uses of one code succeed only once.
      const { count } = await client.recoveryCode.updateMany({ where: { id: code.id, usedAt: null }, data: { usedAt: now } });
      return count === 1;
    }
  }
  return false;
}
