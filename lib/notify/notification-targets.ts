import "server-only";
import { randomBytes } from "node:crypto";
import { recordEvent } from "@/lib/audit/record-event";
import type { RequestMeta } from "@/lib/auth/request-meta";
import { openSecret, sealSecret } from "@/lib/crypto/secrets";
import type { Db, Tx } from "@/lib/db";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { destinationProblem } from "./destination-policy";
import type { NotificationTargetInput } from "./schemas";

// The user's webhooks. The signing secret is generated here, shown to the user once, and kept
// only sealed (AES-256-GCM); delivery opens it to sign, nothing else does.

const SECRET_CONTEXT = "NotificationTarget.secret";

export interface TargetView {
  id: string;
  name: string;
  url: string;
  enabled: boolean;
  createdAt: Date;
}

const viewSelect = { id: true, name: true, url: true, enabled: true, createdAt: true } as const;

export async function createTarget(
  client: Db,
  userId: string,
  input: NotificationTargetInput,
  meta: RequestMeta,
  options: { allowPrivateNetworks?: boolean } = {},
): Promise<{ target: TargetView; signingSecret: string }> {
  if (!(options.allowPrivateNetworks ?? env().WEBHOOK_ALLOW_PRIVATE_NETWORKS)) {
    const problem = await destinationProblem(input.url);
    if (problem) throw new AppError("BAD_REQUEST", `Webhooks go to public addresses only: ${problem}.`);
  }
  const signingSecret = `whsec_${randomBytes(32).toString("base64url")}`;
  return client.$transaction(async (tx) => {
    const target = await tx.notificationTarget.create({
      data: { userId, name: input.name, url: input.url, secretEnc: sealSecret(signingSecret, SECRET_CONTEXT) },
      select: viewSelect,
    });
    await recordEvent(tx, { userId, type: "notify.target_created", data: { targetId: target.id, name: input.name, url: input.url }, ...meta });
    return { target, signingSecret };
  });
}

export function listTargets(client: Db, userId: string): Promise<TargetView[]> {
  return client.notificationTarget.findMany({ where: { userId }, select: viewSelect, orderBy: { createdAt: "asc" } });
}

async function requireTarget(client: Db | Tx, userId: string, targetId: string): Promise<TargetView> {
  const target = await client.notificationTarget.findFirst({ where: { id: targetId, userId }, select: viewSelect });
  if (!target) throw new AppError("NOT_FOUND", "No such webhook.");
  return target;
}

export async function setTargetEnabled(client: Db, userId: string, targetId: string, enabled: boolean, meta: RequestMeta): Promise<void> {
  await client.$transaction(async (tx) => {
    await requireTarget(tx, userId, targetId);
    await tx.notificationTarget.update({ where: { id: targetId }, data: { enabled } });
    await recordEvent(tx, { userId, type: "notify.target_updated", data: { targetId, enabled }, ...meta });
  });
}

export async function deleteTarget(client: Db, userId: string, targetId: string, meta: RequestMeta): Promise<void> {
  await client.$transaction(async (tx) => {
    const target = await requireTarget(tx, userId, targetId);
    await tx.notificationTarget.delete({ where: { id: targetId } });
    await recordEvent(tx, { userId, type: "notify.target_deleted", data: { targetId, name: target.name }, ...meta });
  });
}

/** The signing secrets of the user's enabled targets, for delivery only. */
export async function enabledTargetsWithSecrets(client: Db, userId: string) {
  const targets = await client.notificationTarget.findMany({
    where: { userId, enabled: true },
    select: { ...viewSelect, secretEnc: true },
    orderBy: { createdAt: "asc" },
  });
  return targets.map(({ secretEnc, ...target }) => ({ ...target, secret: openSecret(secretEnc, SECRET_CONTEXT) }));
}

export async function targetSecret(client: Db, userId: string, targetId: string): Promise<string> {
  const target = await client.notificationTarget.findFirst({ where: { id: targetId, userId }, select: { secretEnc: true } });
  if (!target) throw new AppError("NOT_FOUND", "No such webhook.");
  return openSecret(target.secretEnc, SECRET_CONTEXT);
}
