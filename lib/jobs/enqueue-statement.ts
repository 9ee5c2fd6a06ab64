import "server-only";
import { pollDelay, requestStatement, type StatementRequest } from "@/lib/backups/statements/statements";
import type { RequestMeta } from "@/lib/auth/request-meta";
import type { Db } from "@/lib/db";
import { getBoss } from "./boss";
import { sendStatementPoll } from "./handle-statement-job";

/** "Ask the exchange for its history file": the request, then the first poll of the statement job. */
export async function requestStatementAndPoll(client: Db, userId: string, input: StatementRequest, options: { meta?: RequestMeta } = {}): Promise<string> {
  const statementId = await requestStatement(client, userId, input, options);
  const row = await client.exchangeStatement.findUniqueOrThrow({ where: { id: statementId }, select: { typicalMs: true } });
  await sendStatementPoll(await getBoss(), statementId, pollDelay(row.typicalMs, 1));
  return statementId;
}
