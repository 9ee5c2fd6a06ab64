// GET /api/audit - the signed-in user's own audit events, newest first (?key=&kind=&from=&to=&before=<position>&limit=)
import { z } from "zod";
import { auditQuerySchema, filterOf, listEvents } from "@/lib/audit/list-events";
import { presentEvents } from "@/lib/audit/present-event";
import { db } from "@/lib/db";
import { parseInput, searchParamsOf, userRoute } from "@/lib/http/route";
import { viewerClock } from "@/lib/time/viewer-clock";

const querySchema = auditQuerySchema.extend({ limit: z.coerce.number().int().min(1).max(200).default(50) });

export const GET = userRoute(async ({ user, request }) => {
  const query = parseInput(querySchema, searchParamsOf(request));
  const { clock } = await viewerClock();
  const { events, next } = await listEvents(db(), user.id, { ...filterOf(query, clock.timeZone), before: query.before, limit: query.limit });
  const presented = await presentEvents(db(), user.id, events);
  return {
    events: events.map((e, i) => ({ id: e.id.toString(), type: e.type, data: e.data, ip: e.ip, createdAt: e.createdAt, ...presented[i], at: undefined })),
    next,
  };
});
