import "server-only";
import type PgBoss from "pg-boss";
import { advanceStatement, type StatementStep } from "@/lib/backups/statements/statements";
import type { Db } from "@/lib/db";
import { STATEMENT_QUEUE, type StatementJobData } from "./boss";

// One pg-boss job per poll of an exchange's history-file request: poll once; while the exchange
// is still preparing the file, send the next poll for later (pg-boss's startAfter), so no worker
// slot is held for the hours Binance may take. A failure of our own (the database) throws and
// pg-boss retries the job; the exchange's refusals are written on the statement row.

export async function handleStatementJob(job: PgBoss.Job<StatementJobData>, client: Db, boss: PgBoss): Promise<StatementStep | { skipped: true }> {
  const statementId = job.data?.statementId;
  if (typeof statementId !== "string") return { skipped: true };
  const step = await advanceStatement(client, statementId);
  if (step.state === "waiting") await sendStatementPoll(boss, statementId, step.retryInMs);
  return step;
}

export async function sendStatementPoll(boss: PgBoss, statementId: string, afterMs: number): Promise<void> {
  const data: StatementJobData = { statementId };
  await boss.send(STATEMENT_QUEUE, data, { startAfter: Math.max(1, Math.ceil(afterMs / 1000)) });
}
