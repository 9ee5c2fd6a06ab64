import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/generated/prisma/client";
import { env } from "@/lib/env";

// One Prisma client per process. Secret columns are omitted from every query unless a
// function asks for them by name (`omit: { secretEnc: false }`), so a careless `findMany`
// can never carry a ciphertext, let alone a secret, towards a page.
export const secretColumns = {
  user: { passwordHash: true, totpSecretEnc: true },
  exchangeBinding: { apiKeyEnc: true, secretEnc: true, passphraseEnc: true },
  notificationTarget: { secretEnc: true },
  // not a secret, but up to megabytes: read only where the file itself is wanted
  exchangeStatement: { content: true },
} as const;

export function createPrismaClient(connectionString: string) {
  return new PrismaClient({
    adapter: new PrismaPg({ connectionString }),
    omit: secretColumns,
  });
}

export type Db = ReturnType<typeof createPrismaClient>;
/** The client handed to a transaction callback. */
export type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

const globalForDb = globalThis as unknown as { myitsDb?: Db };

export function db(): Db {
  globalForDb.myitsDb ??= createPrismaClient(env().DATABASE_URL);
  return globalForDb.myitsDb;
}
