// GET /api/keys/[id] - one bound key with live facts (?refresh=1 re-checks); 404 unless it is the user's
import { z } from "zod";
import { db } from "@/lib/db";
import { requestMetaFrom } from "@/lib/auth/request-meta";
import { parseInput, searchParamsOf, userRoute } from "@/lib/http/route";
import { throttle } from "@/lib/http/throttle";
import { keyView } from "@/lib/keys/key-views";
import { bindingIdSchema } from "@/lib/keys/schemas";

const query = z.object({ refresh: z.enum(["0", "1"]).optional() });

export const GET = userRoute<{ id: string }>(async ({ user, request, params }) => {
  const id = parseInput(bindingIdSchema, params.id);
  const { refresh } = parseInput(query, searchParamsOf(request));
  if (refresh === "1") await throttle("recheck", requestMetaFrom(request.headers).ip);
  return { key: await keyView(db(), user.id, id, { force: refresh === "1" }) };
});
