// POST /api/keys/[id]/restore - restore a backup archive (multipart field "archive") into the key, after verifying every checksum
import { requestMetaFrom } from "@/lib/auth/request-meta";
import { restoreUploadedBackup } from "@/lib/backups/download/restore-upload";
import { db } from "@/lib/db";
import { parseInput, userRoute } from "@/lib/http/route";
import { bindingIdSchema } from "@/lib/keys/schemas";

export const POST = userRoute<{ id: string }>(async ({ user, request, params }) => {
  const id = parseInput(bindingIdSchema, params.id);
  return { restored: await restoreUploadedBackup(db(), user.id, id, request, requestMetaFrom(request.headers)) };
}, { accepts: "multipart" });
