import "server-only";
import { availableParallelism } from "node:os";
import { Semaphore } from "@/lib/concurrency/semaphore";
import { passwordHashing } from "./password";

// Sign-in attempts this process works on at once, from the first query (the per-IP throttle)
// to the last write, with no queue: one more is answered "busy" at once, before any query.
// password.ts bounds the hashes; this bounds everything around them. Measured with 50 wrong
// sign-ins a second from distinct addresses (docs/benchmarks.md, part d): with only the hashes
// bounded, the attempts between the busy check and their place in the hashing queue (the
// throttle, the backoff claim, the user lookup) grew without bound while Postgres was slow, took
// every connection of the pool, and signed-in users' queries and the attempts' own writes timed
// out waiting for one. Four per hashing slot keeps the hasher fed (an attempt spends most of its
// time on queries and the pacing, not hashing) and leaves most of the pool to everyone else.

export const signInAttempts = new Semaphore({
  concurrency: 4 * Math.max(1, availableParallelism() - 1),
  maxQueue: 0,
  busyMessage: "The server is busy checking passwords. Try again in a few seconds.",
});

/** Whether a sign-in attempt would be refused as busy now (no room for the attempt or its hash). */
export function signInBusy(): boolean {
  return !(signInAttempts.hasRoom() && passwordHashing.hasRoom());
}

// For scripts/lib/busy-sign-in.cjs, which answers such attempts before Next routes them.
(globalThis as { myitsSignInBusy?: () => boolean }).myitsSignInBusy = signInBusy;
