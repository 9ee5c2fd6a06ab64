// GET /api/audit/export - the signed-in user's audit events as a CSV file, streamed (?key=&kind=&from=&to=)
import { auditCsv } from "@/lib/audit/audit-csv";
import { auditQuerySchema, filterOf } from "@/lib/audit/list-events";
import { db } from "@/lib/db";
import { parseInput, searchParamsOf, userRoute } from "@/lib/http/route";
import { viewerClock } from "@/lib/time/viewer-clock";

const exportQuerySchema = auditQuerySchema.omit({ before: true }).strict();

export const GET = userRoute(async ({ user, request }) => {
  const query = parseInput(exportQuerySchema, searchParamsOf(request));
  // the days of a filter are the viewer's days, as on the page
  const { clock } = await viewerClock();
  const day = new Date().toISOString().slice(0, 10);
  return new Response(auditCsv(db(), user.id, filterOf(query, clock.timeZone)), {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="myits-audit-${day}.csv"`,
      "cache-control": "no-store",
    },
  });
});
