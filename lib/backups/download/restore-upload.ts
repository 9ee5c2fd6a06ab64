import "server-only";
import { openZipFile } from "@/lib/backups/archive/zip-reader";
import type { RequestMeta } from "@/lib/auth/request-meta";
import type { Db } from "@/lib/db";
import { spoolUpload } from "@/lib/http/upload";
import { importBackup, MAX_IMPORT_BYTES, type ImportBackupResult } from "./import-backup";
import { withRestoreLock } from "./restore-lock";

// A restore from an upload: the archive streams to a temporary file (never into memory), is
// read from there in slices, and the file is removed afterwards, whatever happened. The lock is
// taken first, so a second restore is refused before its body is read.

export async function restoreUploadedBackup(
  client: Db,
  userId: string,
  bindingId: string,
  request: Request,
  meta: RequestMeta,
): Promise<ImportBackupResult> {
  return withRestoreLock(client, userId, async () => {
    const upload = await spoolUpload(request, { field: "archive", maxBytes: MAX_IMPORT_BYTES, what: "The archive" });
    try {
      const archive = await openZipFile(upload.path);
      try {
        return await importBackup(client, userId, bindingId, archive, { meta });
      } finally {
        await archive.close();
      }
    } finally {
      await upload.remove();
    }
  });
}
