// GET /api/exports/[jobId] - one export's state and progress (the progress bar polls this); 404 unless it is the user's
import { exportJobIdSchema } from "@/lib/backups/schemas";
import { getExportJob } from "@/lib/backups/export/export-jobs";
import { db } from "@/lib/db";
import { parseInput, userRoute } from "@/lib/http/route";

export const GET = userRoute<{ jobId: string }>(async ({ user, params }) => {
  const id = parseInput(exportJobIdSchema, params.jobId);
  return { export: await getExportJob(db(), user.id, id) };
});
