import "server-only";
import { availableParallelism } from "node:os";
import { hash, verify } from "@node-rs/argon2";
import { Semaphore } from "@/lib/concurrency/semaphore";

// argon2id with the library's defaults (m=19456 KiB, t=2, p=1: OWASP's minimum). The algorithm
// option is left out on purpose: its const enum breaks `next build`, and argon2id is the default.
//
// Every hash and verification in the process goes through one semaphore: a hash is ~20 ms of a
// core and 19 MiB of memory, so fifty parallel wrong-password sign-ins used to take every core
// (and, inside transactions, every database connection) from signed-in users. All cores but one
// may hash at once (one on a two-core machine), so a flood of sign-ins always leaves a core to
// serve pages, and each slot is taken at most 10 times a second (minSlotMs 100: about a fifth
// of a core for ~20 ms hashes), which leaves that core to Postgres and the event loop too.
// argon2 itself runs on libuv's thread pool, off the main thread. Measured on a two-core
// machine with 50 wrong sign-ins a second from distinct addresses (docs/benchmarks.md, part d),
// 25 a second (minSlotMs 40) left the server unable to keep up with the flood at all. Up to 20
// callers wait their turn (at most 2 s); beyond that the caller is told to retry shortly,
// before any query (auth.ts, the sign-in route and action ask hasRoom() first). Nobody calling
// here may hold a database transaction open.

export const passwordHashing = new Semaphore({
  concurrency: Math.max(1, availableParallelism() - 1),
  maxQueue: 20,
  minSlotMs: 100,
  busyMessage: "The server is busy checking passwords. Try again in a few seconds.",
});

export function hashPassword(password: string): Promise<string> {
  return passwordHashing.run(() => hash(password));
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  return passwordHashing.run(async () => {
    try {
      return await verify(passwordHash, password);
    } catch {
      return false;
    }
  });
}

// Verifying against a throwaway hash when the account does not exist keeps the response time
// the same, so timing does not reveal which emails have accounts.
let decoyHash: Promise<string> | undefined;
export async function burnPasswordCheck(password: string): Promise<void> {
  decoyHash ??= hashPassword("decoy-password-for-timing");
  await verifyPassword(await decoyHash, password);
}
