import "server-only";
import type { Db } from "@/lib/db";
import { checkKeyLive, type LiveFacts } from "./live-facts";
import { getBinding, listBindings, toKeyView, type BindingRow, type KeyView } from "./list-keys";

// Live check first, then the binding as it is after the check, so the view shows the snapshot
// the check just refreshed. A check answered from the cache refreshed nothing, so the binding
// already read is the current one: reading it again (once per page, and once more per key card)
// was most of a keys request's database time under load (docs/benchmarks.md, part d). Checks
// run in parallel; one failing check never fails the others.

async function liveOrNull(client: Db, userId: string, bindingId: string, force: boolean): Promise<LiveFacts | null> {
  try {
    return await checkKeyLive(client, userId, bindingId, { force });
  } catch (error) {
    console.error("live key check failed", bindingId, error instanceof Error ? error.name : "unknown");
    return null;
  }
}

export async function keyViews(client: Db, userId: string, options: { force?: boolean } = {}): Promise<KeyView[]> {
  const before = await listBindings(client, userId);
  const facts = await Promise.all(before.map((b) => liveOrNull(client, userId, b.id, options.force ?? false)));
  if (facts.every(refreshedNothing)) return before.map((b, i) => toKeyView(b, facts[i] ?? null));
  const after = new Map((await listBindings(client, userId)).map((b) => [b.id, b]));
  return before.flatMap((b, i) => {
    const current = after.get(b.id);
    return current ? [toKeyView(current, facts[i] ?? null)] : [];
  });
}

export async function keyView(client: Db, userId: string, bindingId: string, options: { force?: boolean } = {}): Promise<KeyView> {
  return keyViewOf(client, userId, await getBinding(client, userId, bindingId), options); // NOT_FOUND before any exchange call
}

/** The view of a binding row the caller has just read for this user (the keys page reads them all at once). */
export async function keyViewOf(client: Db, userId: string, binding: BindingRow, options: { force?: boolean } = {}): Promise<KeyView> {
  const facts = await liveOrNull(client, userId, binding.id, options.force ?? false);
  return toKeyView(refreshedNothing(facts) ? binding : await getBinding(client, userId, binding.id), facts);
}

/** A cached answer, or no answer (the check failed before storing anything): the row read before is current. */
function refreshedNothing(facts: LiveFacts | null): boolean {
  return facts === null || facts.fromCache;
}
