// GET /api/keys/[id]/backup?format=zip|csv|koinly|cointracker - stream the key's backup archive, its trades as CSV, or its history for a tax tool; recorded when complete
import { requestMetaFrom } from "@/lib/auth/request-meta";
import { openBackupDownload } from "@/lib/backups/download/open-backup-download";
import { backupDownloadQuery } from "@/lib/backups/schemas";
import { db } from "@/lib/db";
import { parseInput, searchParamsOf, userRoute } from "@/lib/http/route";
import { bindingIdSchema } from "@/lib/keys/schemas";

export const GET = userRoute<{ id: string }>(async ({ user, request, params }) => {
  const id = parseInput(bindingIdSchema, params.id);
  const { format } = parseInput(backupDownloadQuery, searchParamsOf(request));
  const download = await openBackupDownload(db(), user.id, id, format, { meta: requestMetaFrom(request.headers) });
  return new Response(download.body, {
    headers: {
      "Content-Type": download.contentType,
      "Content-Disposition": `attachment; filename="${download.fileName}"`,
      "Cache-Control": "no-store",
      "X-Backup-Rows": String(download.rows),
    },
  });
});
