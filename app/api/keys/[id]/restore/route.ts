// POST /api/keys/[id]/restore - restore a backup archive (multipart field "archive") into the key, after verifying every checksum
import { requestMetaFrom } from "@/lib/auth/request-meta";
import { importBackup, MAX_IMPORT_BYTES } from "@/lib/backups/download/import-backup";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { parseInput, userRoute } from "@/lib/http/route";
import { bindingIdSchema } from "@/lib/keys/schemas";

export const POST = userRoute<{ id: string }>(async ({ user, request, params }) => {
  const id = parseInput(bindingIdSchema, params.id);
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_IMPORT_BYTES) throw new AppError("BAD_REQUEST", `The archive is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB.`);
  const form = await request.formData().catch(() => {
    throw new AppError("BAD_REQUEST", "Send the archive as multipart/form-data in a field named archive.");
  });
  const file = form.get("archive");
  if (!(file instanceof File) || file.size === 0) throw new AppError("BAD_REQUEST", "archive: choose a backup file (.zip).");
  return { restored: await importBackup(db(), user.id, id, new Uint8Array(await file.arrayBuffer()), { meta: requestMetaFrom(request.headers) }) };
});
