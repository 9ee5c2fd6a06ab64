import "server-only";
import { Prisma } from "@/generated/prisma/client";
import { recordEvent } from "@/lib/audit/record-event";
import type { RequestMeta } from "@/lib/auth/request-meta";
import type { Db, Tx } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { isSupportedExchange } from "@/lib/exchanges/registry";
import { parseEvidence, type UnbindEvidence } from "./evidence";
import type { StartUnbindInput } from "./schemas";
import type { SessionStatus } from "./state-machine";
import { isWizardStep, type WizardStep } from "./steps";

// Wizard sessions: one row per unbind, at most one ACTIVE per key (a partial unique index),
// always read through the user's id so nobody can reach another user's session.

export const sessionBindingSelect = {
  id: true,
  exchange: true,
  label: true,
  apiKeyMasked: true,
  status: true,
  permissions: true,
  keyCreatedAt: true,
  createdAt: true,
  lastSyncedAt: true,
} as const;

export interface LoadedSession {
  id: string;
  userId: string;
  bindingId: string;
  exchange: string;
  status: SessionStatus;
  step: WizardStep;
  evidence: UnbindEvidence;
  createdAt: Date;
  completedAt: Date | null;
  binding: Prisma.ExchangeBindingGetPayload<{ select: typeof sessionBindingSelect }>;
}

function toLoaded(row: Prisma.UnbindSessionGetPayload<{ include: { binding: { select: typeof sessionBindingSelect } } }>): LoadedSession {
  if (!isWizardStep(row.step)) throw new Error(`Unbind session ${row.id} is at an unknown step "${row.step}".`);
  return {
    id: row.id,
    userId: row.userId,
    bindingId: row.bindingId,
    exchange: row.exchange,
    status: row.status,
    step: row.step,
    evidence: parseEvidence(row.evidence),
    createdAt: row.createdAt,
    completedAt: row.completedAt,
    binding: row.binding,
  };
}

export async function loadSession(client: Db | Tx, userId: string, sessionId: string): Promise<LoadedSession> {
  const row = await client.unbindSession.findFirst({
    where: { id: sessionId, userId },
    include: { binding: { select: sessionBindingSelect } },
  });
  if (!row) throw new AppError("NOT_FOUND", "No such unbind session.");
  return toLoaded(row);
}

/** Serialises every change to one session: the row stays locked until the transaction ends. */
export async function lockSession(tx: Tx, userId: string, sessionId: string): Promise<LoadedSession> {
  const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "UnbindSession" WHERE id = ${sessionId} AND "userId" = ${userId} FOR UPDATE`;
  if (locked.length === 0) throw new AppError("NOT_FOUND", "No such unbind session.");
  return loadSession(tx, userId, sessionId);
}

export async function saveSession(
  tx: Tx,
  session: LoadedSession,
  change: { step?: WizardStep; status?: SessionStatus; evidence?: UnbindEvidence; completedAt?: Date },
): Promise<void> {
  await tx.unbindSession.update({
    where: { id: session.id },
    data: {
      step: change.step,
      status: change.status,
      evidence: change.evidence ? (change.evidence as Prisma.InputJsonObject) : undefined,
      completedAt: change.completedAt,
    },
  });
}

export async function findActiveSession(client: Db | Tx, userId: string, bindingId: string): Promise<{ id: string } | null> {
  return client.unbindSession.findFirst({ where: { userId, bindingId, status: "ACTIVE" }, select: { id: true } });
}

/** Starts the wizard for a key, or resumes the one already in progress. */
export async function startUnbind(client: Db, userId: string, input: StartUnbindInput, meta: RequestMeta): Promise<{ sessionId: string; resumed: boolean }> {
  const binding = await client.exchangeBinding.findFirst({
    where: { id: input.bindingId, userId, status: { not: "UNBOUND" } },
    select: { id: true, exchange: true },
  });
  if (!binding) throw new AppError("NOT_FOUND", "No such key.");
  if (input.reason === "transfer" && input.targetExchange && !isSupportedExchange(input.targetExchange)) {
    throw new AppError("BAD_REQUEST", `Exchange "${input.targetExchange}" is not supported.`);
  }
  const existing = await findActiveSession(client, userId, binding.id);
  if (existing) return { sessionId: existing.id, resumed: true };

  const evidence: UnbindEvidence = {
    purpose: { reason: input.reason, ...(input.reason === "transfer" && input.targetExchange ? { targetExchange: input.targetExchange } : {}) },
    confirmations: [],
    detachedBotIds: [],
  };
  try {
    return await client.$transaction(async (tx) => {
      const session = await tx.unbindSession.create({
        data: { userId, bindingId: binding.id, exchange: binding.exchange, step: "backup", evidence: evidence as Prisma.InputJsonObject },
        select: { id: true },
      });
      await recordEvent(tx, { userId, type: "unbind.started", bindingId: binding.id, data: { sessionId: session.id, reason: input.reason }, ...meta });
      return { sessionId: session.id, resumed: false };
    });
  } catch (error) {
    // Another request started it a moment ago: resume that one.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      const raced = await findActiveSession(client, userId, binding.id);
      if (raced) return { sessionId: raced.id, resumed: true };
    }
    throw error;
  }
}

/** The session the wizard page of a key shows: the one in progress, else (for an unbound key) the one that unbound it. */
export async function currentSessionOf(client: Db, userId: string, bindingId: string): Promise<{ id: string } | null> {
  const active = await findActiveSession(client, userId, bindingId);
  if (active) return active;
  return client.unbindSession.findFirst({
    where: { userId, bindingId, status: "COMPLETED", binding: { status: "UNBOUND" } },
    orderBy: { completedAt: "desc" },
    select: { id: true },
  });
}
