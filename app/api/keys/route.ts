// GET /api/keys - the user's bound keys with live facts from each exchange (?refresh=1 re-checks)
// POST /api/keys - bind a key: verified live with the exchange first, secrets stored encrypted
import { NextResponse } from "next/server";
import { z } from "zod";
import { requestMetaFrom } from "@/lib/auth/request-meta";
import { db } from "@/lib/db";
import { jsonBody, parseInput, searchParamsOf, userRoute } from "@/lib/http/route";
import { throttle } from "@/lib/http/throttle";
import { bindKey } from "@/lib/keys/bind-key";
import { keyViews } from "@/lib/keys/key-views";
import { bindKeySchema } from "@/lib/keys/schemas";

const listQuery = z.object({ refresh: z.enum(["0", "1"]).optional() });

export const GET = userRoute(async ({ user, request }) => {
  const query = parseInput(listQuery, searchParamsOf(request));
  if (query.refresh === "1") await throttle("recheck", requestMetaFrom(request.headers).ip);
  return { keys: await keyViews(db(), user.id, { force: query.refresh === "1" }) };
});

export const POST = userRoute(async ({ user, request }) => {
  const input = parseInput(bindKeySchema, await jsonBody(request));
  const meta = requestMetaFrom(request.headers);
  await throttle("bind", meta.ip);
  const result = await bindKey(db(), user.id, input, meta);
  return NextResponse.json(result, { status: 201 });
});
