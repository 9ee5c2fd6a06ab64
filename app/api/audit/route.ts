// GET /api/audit - the signed-in user's own audit events, newest first (?before=<id>&limit=)
import { z } from "zod";
import { listEvents } from "@/lib/audit/list-events";
import { db } from "@/lib/db";
import { parseInput, searchParamsOf, userRoute } from "@/lib/http/route";

const querySchema = z.object({
  before: z.string().regex(/^\d+$/, "must be an event id").transform(BigInt).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const GET = userRoute(async ({ user, request }) => {
  const query = parseInput(querySchema, searchParamsOf(request));
  const { events, nextBefore } = await listEvents(db(), user.id, query);
  return {
    events: events.map((e) => ({ id: e.id.toString(), type: e.type, data: e.data, ip: e.ip, createdAt: e.createdAt })),
    nextBefore: nextBefore?.toString() ?? null,
  };
});
