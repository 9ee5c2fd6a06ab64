// GET /api/unbind/[sessionId] - the wizard's state: step, every gate with its status, deliveries
// POST /api/unbind/[sessionId] - one wizard action ({ type: "goto" | "confirm" | ... }); 409 when a gate is not met
import { requestMetaFrom } from "@/lib/auth/request-meta";
import { db } from "@/lib/db";
import { jsonBody, parseInput, userRoute } from "@/lib/http/route";
import { performUnbindAction } from "@/lib/unbind/perform-action";
import { sessionIdSchema, unbindActionSchema } from "@/lib/unbind/schemas";
import { getWizardView } from "@/lib/unbind/wizard-view";

export const GET = userRoute<{ sessionId: string }>(async ({ user, params }) => {
  const id = parseInput(sessionIdSchema, params.sessionId);
  return { unbind: await getWizardView(db(), user.id, id, user.sessionId) };
});

export const POST = userRoute<{ sessionId: string }>(async ({ user, request, params }) => {
  const id = parseInput(sessionIdSchema, params.sessionId);
  const action = parseInput(unbindActionSchema, await jsonBody(request));
  const result = await performUnbindAction(db(), user.id, id, action, { meta: requestMetaFrom(request.headers), authSessionId: user.sessionId });
  return { result, unbind: await getWizardView(db(), user.id, id, user.sessionId) };
});
