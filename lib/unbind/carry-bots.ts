import "server-only";
import { recordEvent } from "@/lib/audit/record-event";
import type { RequestMeta } from "@/lib/auth/request-meta";
import type { Db } from "@/lib/db";
import { parseEvidence } from "./evidence";

// A user moving to another exchange unbinds the old key and binds one there: the bots the
// unbind detached move to the new key. They stay stopped: trading on a new exchange is started
// by the user, deliberately, not by a form.

export interface CarriedBots {
  sessionId: string;
  bots: { id: string; name: string }[];
}

/** The detached bots of one of the user's completed unbinds that no key has taken over yet. */
export async function botsToCarry(client: Db, userId: string, sessionId: string): Promise<CarriedBots | null> {
  const session = await client.unbindSession.findFirst({ where: { id: sessionId, userId, status: "COMPLETED" }, select: { id: true, evidence: true } });
  if (!session) return null;
  const { detachedBotIds } = parseEvidence(session.evidence);
  const bots = await client.bot.findMany({
    where: { userId, id: { in: detachedBotIds }, bindingId: null },
    select: { id: true, name: true },
    orderBy: { name: "asc" },
  });
  return { sessionId: session.id, bots };
}

export async function carryBotsOver(client: Db, userId: string, sessionId: string, bindingId: string, meta: RequestMeta): Promise<string[]> {
  const carried = await botsToCarry(client, userId, sessionId);
  if (!carried || carried.bots.length === 0) return [];
  return client.$transaction(async (tx) => {
    const target = await tx.exchangeBinding.findFirstOrThrow({ where: { id: bindingId, userId, status: "ACTIVE" }, select: { id: true } });
    const moved = await tx.bot.updateMany({ where: { userId, id: { in: carried.bots.map((b) => b.id) }, bindingId: null }, data: { bindingId: target.id } });
    await recordEvent(tx, { userId, type: "bots.moved", bindingId, data: { fromSession: sessionId, bots: carried.bots.map((b) => b.name), moved: moved.count }, ...meta });
    return carried.bots.map((b) => b.name);
  });
}
