// GET /api/keys/[id]/exports - the key's exports, newest first
// POST /api/keys/[id]/exports - start exporting the key's trades (202), or get the one already running (200)
import { NextResponse } from "next/server";
import { requestMetaFrom } from "@/lib/auth/request-meta";
import { listExportJobs } from "@/lib/backups/export/export-jobs";
import { startExportSchema } from "@/lib/backups/schemas";
import { db } from "@/lib/db";
import { jsonBody, parseInput, userRoute } from "@/lib/http/route";
import { enqueueExport } from "@/lib/jobs/enqueue-export";
import { getBinding } from "@/lib/keys/list-keys";
import { bindingIdSchema } from "@/lib/keys/schemas";

export const GET = userRoute<{ id: string }>(async ({ user, params }) => {
  const id = parseInput(bindingIdSchema, params.id);
  await getBinding(db(), user.id, id);
  return { exports: await listExportJobs(db(), user.id, { bindingId: id }) };
});

export const POST = userRoute<{ id: string }>(async ({ user, request, params }) => {
  const id = parseInput(bindingIdSchema, params.id);
  const input = parseInput(startExportSchema, request.headers.get("content-length") === "0" ? {} : await jsonBody(request));
  const result = await enqueueExport(db(), user.id, id, { fullScan: input.fullScan, meta: requestMetaFrom(request.headers) });
  return NextResponse.json(result, { status: result.created ? 202 : 200 });
});
