// POST /api/unbind - start the unbind wizard for a key (201), or resume the one in progress (200)
import { NextResponse } from "next/server";
import { requestMetaFrom } from "@/lib/auth/request-meta";
import { db } from "@/lib/db";
import { jsonBody, parseInput, userRoute } from "@/lib/http/route";
import { startUnbindSchema } from "@/lib/unbind/schemas";
import { startUnbind } from "@/lib/unbind/unbind-session";

export const POST = userRoute(async ({ user, request }) => {
  const input = parseInput(startUnbindSchema, await jsonBody(request));
  const result = await startUnbind(db(), user.id, input, requestMetaFrom(request.headers));
  return NextResponse.json(result, { status: result.resumed ? 200 : 201 });
});
