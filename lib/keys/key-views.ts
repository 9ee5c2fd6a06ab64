import "server-only";
import type { Db } from "@/lib/db";
import { checkKeyLive, type LiveFacts } from "./live-facts";
import { getBinding, listBindings, toKeyView, type KeyView } from "./list-keys";

// Live check first, then read the binding, so the view shows the snapshot the check just
// refreshed. Checks run in parallel; one failing check never fails the others.

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
  const after = new Map((await listBindings(client, userId)).map((b) => [b.id, b]));
  return before.flatMap((b, i) => {
    const current = after.get(b.id);
    return current ? [toKeyView(current, facts[i] ?? null)] : [];
  });
}

export async function keyView(client: Db, userId: string, bindingId: string, options: { force?: boolean } = {}): Promise<KeyView> {
  await getBinding(client, userId, bindingId); // NOT_FOUND before any exchange call
  const facts = await liveOrNull(client, userId, bindingId, options.force ?? false);
  return toKeyView(await getBinding(client, userId, bindingId), facts);
}
