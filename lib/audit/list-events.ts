import "server-only";
import type { Db } from "@/lib/db";

// A user's own audit events, newest first, with keyset paging (ids only grow).
export async function listEvents(client: Db, userId: string, options: { before?: bigint; limit?: number } = {}) {
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 200);
  const rows = await client.auditEvent.findMany({
    where: { userId, ...(options.before ? { id: { lt: options.before } } : {}) },
    orderBy: { id: "desc" },
    take: limit + 1,
  });
  const page = rows.slice(0, limit);
  return { events: page, nextBefore: rows.length > limit ? page[page.length - 1]!.id : null };
}
