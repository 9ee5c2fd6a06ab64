"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { db } from "@/lib/db";
import { userAction } from "@/lib/http/action";
import { requestStatementAndPoll } from "@/lib/jobs/enqueue-statement";

const statementRequestSchema = z.object({
  bindingId: z.string().min(1).max(64),
  kind: z.string().min(1).max(64),
  from: z.coerce.date(),
  to: z.coerce.date(),
  // the page says what the request costs; asking means having read it
  understood: z.literal("yes", { error: "Tick the box to confirm you have read what the request costs." }),
});

export const requestStatementAction = userAction(statementRequestSchema, async ({ user, input, meta }) => {
  await requestStatementAndPoll(db(), user.id, { bindingId: input.bindingId, kind: input.kind, from: input.from, to: input.to }, { meta });
  revalidatePath("/backups");
  return { ok: true, message: "Asked. The file is fetched and stored as soon as the exchange has prepared it; this page shows when." };
});
