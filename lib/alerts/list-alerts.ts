import "server-only";
import { recordEvent } from "@/lib/audit/record-event";
import type { RequestMeta } from "@/lib/auth/request-meta";
import type { Db } from "@/lib/db";
import { AppError } from "@/lib/errors";

// The alerts a user has not dismissed yet: the navigation's badge and the review page's list.

export interface AlertView {
  id: string;
  kind: string;
  title: string;
  message: string;
  advice: string;
  bindingId: string | null;
  createdAt: string;
}

export function countOpenAlerts(client: Db, userId: string): Promise<number> {
  return client.alert.count({ where: { userId, dismissedAt: null } });
}

export async function listOpenAlerts(client: Db, userId: string): Promise<AlertView[]> {
  const rows = await client.alert.findMany({
    where: { userId, dismissedAt: null },
    select: { id: true, kind: true, title: true, message: true, advice: true, bindingId: true, createdAt: true },
    orderBy: { createdAt: "desc" },
    take: 100,
  });
  return rows.map((row) => ({ ...row, createdAt: row.createdAt.toISOString() }));
}

export async function dismissAlert(client: Db, userId: string, alertId: string, meta: RequestMeta): Promise<void> {
  await client.$transaction(async (tx) => {
    const alert = await tx.alert.findFirst({ where: { id: alertId, userId }, select: { id: true, bindingId: true, kind: true, dismissedAt: true } });
    if (!alert) throw new AppError("NOT_FOUND", "No such alert.");
    if (alert.dismissedAt) return;
    await tx.alert.update({ where: { id: alert.id }, data: { dismissedAt: new Date() } });
    await recordEvent(tx, { userId, type: "alert.dismissed", bindingId: alert.bindingId, data: { alertId: alert.id, kind: alert.kind }, ip: meta.ip, userAgent: meta.userAgent });
  });
}
